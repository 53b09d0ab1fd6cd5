// The JSON API under /api/v1, grouped by audience like a table of contents: a public group anyone
// may call, and one admin group under /admin. The admin group's middleware checks the bearer token
// (401) and then the role (403) for every route in it, before any feature sees the request; a
// feature joins only as an area naming the roles that may use it, so nothing in the group is open
// until a policy grants it. Areas have distinct prefixes, none inside another, so no router
// answers for another and the order in which they are listed changes nothing.
import { Hono } from 'hono';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { StaffRole } from '../db/tables.js';
import { allow, requireToken, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';

/** One feature of the admin API: its routes, under `path`, for the roles named. */
export interface AdminArea {
  /** A fixed prefix under /api/v1/admin, e.g. `/posts` (no parameters). */
  path: string;
  roles: readonly StaffRole[];
  routes: Hono<AppEnv>;
}

/** One feature of the public API, under a fixed prefix of its own. */
export interface PublicArea {
  path: string;
  routes: Hono<AppEnv>;
}

export interface ApiRoutesDeps {
  accounts: AccountsService;
  /** The OpenAPI document served at /api/v1/openapi.json. */
  openApi: () => unknown;
  public: readonly PublicArea[];
  admin: readonly AdminArea[];
}

const segments = (path: string) => path.split('/').filter(Boolean);

/** Throws at start when a prefix has parameters or lies inside another: one router per address. */
function checkPrefixes(paths: readonly string[], group: string): void {
  for (const path of paths) {
    if (!/^(\/[a-z][a-z0-9-]*)+$/.test(path)) throw new Error(`${group} area "${path}" must be a fixed prefix like /posts.`);
  }
  for (const a of paths) {
    for (const b of paths) {
      if (a === b) continue;
      const [sa, sb] = [segments(a), segments(b)];
      if (sa.length <= sb.length && sa.every((s, i) => s === sb[i])) throw new Error(`${group} area "${b}" lies inside "${a}".`);
    }
  }
  if (new Set(paths).size !== paths.length) throw new Error(`${group} areas share a prefix.`);
}

const ROLE_WORDS: Record<StaffRole, string> = { owner: 'the owner', author: 'authors', moderator: 'moderators' };

/** Forbidden unless the signed-in staff member's role is one of `roles`. */
function grant(roles: readonly StaffRole[]) {
  const message = `Only ${roles.map((r) => ROLE_WORDS[r]).join(' and ')} may do that.`;
  return async (c: Parameters<typeof staffOf>[0], next: () => Promise<void>) => {
    allow(roles.includes(staffOf(c).role), message);
    await next();
  };
}

/** The admin group: token, then role, then the feature. */
export function adminApiRoutes(accounts: AccountsService, areas: readonly AdminArea[]) {
  checkPrefixes(
    areas.map((a) => a.path),
    'admin API',
  );
  const admin = new Hono<AppEnv>();
  admin.use(requireToken(accounts));
  for (const area of areas) {
    admin.use(area.path, grant(area.roles));
    admin.use(`${area.path}/*`, grant(area.roles));
    admin.route(area.path, area.routes);
  }
  return admin;
}

/** Everything under /api/v1. */
export function apiRoutes(deps: ApiRoutesDeps) {
  checkPrefixes([...deps.public.map((a) => a.path), '/admin'], 'API');
  const api = new Hono<AppEnv>();
  // ---- public: anyone ----
  api.get('/openapi.json', (c) => c.json(deps.openApi()));
  for (const area of deps.public) api.route(area.path, area.routes);
  // ---- staff: bearer token and a role the area grants ----
  api.route('/admin', adminApiRoutes(deps.accounts, deps.admin));
  return api;
}
