// The workspace group's guards: the session cookie, CSRF on every state-changing request (a token
// tied to the session, or before sign-in to a pre-session cookie, plus an Origin check), and the
// door that sends a signed-out visitor to the sign-in page.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Staff } from '../accounts/accounts-service.js';
import type { AuthService, SignedIn } from '../accounts/auth-service.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { hmacSign, sameText } from '../hmac.js';
import { hashToken, newSecretToken } from '../ids.js';
import type { SettingsService } from '../settings/settings-service.js';
import { readForm } from '../web/request-body.js';
import { FOREIGN_FORM, sentFromOwnSite } from '../web/same-origin.js';
import type { WorkspaceEnv } from './workspace-env.js';

export const SESSION_COOKIE = 'hearth_session';
export const PRE_SESSION_COOKIE = 'hearth_presession';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const secureCookies = (baseUrl: string) => baseUrl.startsWith('https:');

export function setSessionCookie(c: Context, baseUrl: string, signedIn: Pick<SignedIn, 'token' | 'expiresAt'>, now: number): void {
  setCookie(c, SESSION_COOKIE, signedIn.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(baseUrl),
    maxAge: Math.max(0, Math.floor((signedIn.expiresAt - now) / 1000)),
  });
}

export function clearSessionCookie(c: Context, baseUrl: string): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookies(baseUrl) });
}

export const sessionToken = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE) || undefined;

/** Reads the session cookie; sets `staff` and `sessionId` when it is live, slides its expiry. */
export function workspaceSession(deps: { auth: AuthService; baseUrl: string; now: () => number }): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    // Workspace pages are personal: no shared cache may keep them.
    c.header('Cache-Control', 'no-store');
    const token = sessionToken(c);
    if (token) {
      const live = await deps.auth.session(token);
      if (live) {
        c.set('staff', live.staff);
        c.set('sessionId', live.sessionId);
        if (live.renewed) setSessionCookie(c, deps.baseUrl, { token, expiresAt: live.expiresAt }, deps.now());
      } else {
        clearSessionCookie(c, deps.baseUrl);
      }
    }
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function submittedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return undefined;
  // The body is kept once read, so the route reads the same form again for little.
  const form = await readForm(c);
  const value = form[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Gives the page its CSRF token and refuses a state-changing request without the right one or
 * from a foreign origin (403). Signed in, the token is tied to the session; before sign-in, to a
 * random pre-session cookie, so even the sign-in form cannot be submitted from elsewhere.
 */
export function csrfGuard(deps: { settings: SettingsService; baseUrl: string }): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    const secret = hmacSign(await deps.settings.secret(), 'workspace-csrf');
    const sessionId = c.get('sessionId');
    let pre = getCookie(c, PRE_SESSION_COOKIE);
    const expected: string[] = [];
    if (sessionId) expected.push(hmacSign(secret, `session:${sessionId}`));
    if (pre) expected.push(hmacSign(secret, `pre:${hashToken(pre)}`));
    if (!SAFE_METHODS.has(c.req.method)) {
      if (!sentFromOwnSite(c, deps.baseUrl)) throw new ForbiddenError(FOREIGN_FORM);
      const given = await submittedToken(c);
      if (!given || !expected.some((e) => sameText(e, given))) {
        throw new ForbiddenError('This form has expired. Go back, reload the page and send it again.');
      }
    }
    if (!sessionId && !pre) {
      pre = newSecretToken();
      setCookie(c, PRE_SESSION_COOKIE, pre, { path: '/admin', httpOnly: true, sameSite: 'Lax', secure: secureCookies(deps.baseUrl) });
      expected.push(hmacSign(secret, `pre:${hashToken(pre)}`));
    }
    c.set('csrfToken', expected[0] as string);
    await next();
  };
}

/** Closes the rest of the group: signed out, a page visit goes to sign-in, anything else is 401. */
export function requireStaff(): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    if (c.get('staff')) return next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      const url = new URL(c.req.url);
      const back = `${url.pathname}${url.search}`;
      return c.redirect(
        back === '/admin/' || back === '/admin' ? '/admin/sign-in' : `/admin/sign-in?next=${encodeURIComponent(back)}`,
        303,
      );
    }
    throw new UnauthorizedError('Your session has ended. Sign in again; what you typed is still in your browser.');
  };
}

const WORKSPACE = 'http://workspace.invalid';

/**
 * A path inside the workspace to go back to after sign-in; anything else falls back to /admin/.
 * It ends up in a Location header: control characters (CR/LF would split the header) and
 * backslashes are refused, and the path comes back percent-encoded, as a header needs it.
 */
export function safeNext(next: string | undefined): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it refuses
  if (!next?.startsWith('/admin/') || /[\u0000-\u001F\u007F\\]/.test(next)) return '/admin/';
  const url = new URL(next, WORKSPACE);
  // "/admin/../elsewhere" resolves outside the workspace.
  if (url.origin !== WORKSPACE || !url.pathname.startsWith('/admin/')) return '/admin/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The signed-in staff member of a route behind the door (requireStaff guarantees one). */
export function staffOf(c: Context<WorkspaceEnv>): Staff {
  const staff = c.get('staff');
  if (!staff) throw new UnauthorizedError();
  return staff;
}
