// What every JSON endpoint shares: bearer-token auth, body parsing, list paging.
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AccountsService, Staff } from '../accounts/accounts-service.js';
import { BadRequestError, ForbiddenError, InvalidError, UnauthorizedError } from '../errors.js';
import { hasControlChars } from '../text/control-chars.js';
import type { AppEnv } from './env.js';
import { readJson } from './request-body.js';

/** Closes a route group to everyone without a valid `Authorization: Bearer <token>`. */
export function requireToken(accounts: AccountsService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const staff = match?.[1] ? await accounts.userForToken(match[1]) : undefined;
    if (!staff) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedError('A valid API token is required (Authorization: Bearer <token>).');
    }
    c.set('staff', staff);
    await next();
  };
}

/** The staff member of an authenticated route; the group's middleware guarantees one. */
export function staffOf(c: Context<AppEnv>): Staff {
  const staff = c.get('staff');
  if (!staff) throw new UnauthorizedError();
  return staff;
}

/** Throws Forbidden unless the predicate allows the action. */
export function allow(allowed: boolean, message = 'Your role may not do that.'): void {
  if (!allowed) throw new ForbiddenError(message);
}

/** Parses a JSON body (control characters dropped) with a zod schema; problems become a 422 with a message per field. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseWith(schema, await readJson(c));
}

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || 'body';
    fields[key] ??= issue.message;
  }
  throw new InvalidError('Some fields need attention.', fields);
}

export interface ListQuery {
  limit: number;
  cursor: string | undefined;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** `limit` (default 50, larger than 500 is clamped) and an opaque `cursor`. */
export function listQuery(c: Context): ListQuery {
  const raw = c.req.query('limit');
  let limit = DEFAULT_LIMIT;
  if (raw !== undefined) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidError('limit must be a positive whole number.', { limit: 'must be a positive whole number' });
    limit = Math.min(n, MAX_LIMIT);
  }
  return { limit, cursor: c.req.query('cursor') || undefined };
}

/** Cursors are opaque to clients: base64url JSON of the last item's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The largest time a JavaScript Date can hold, in milliseconds: no cursor number is larger. */
const MAX_CURSOR_NUMBER = 8_640_000_000_000_000;

/**
 * What a cursor this site gave out can hold: its numbers are times in milliseconds, offsets and
 * counts (safe integers), its strings ids. Anything else was made by hand, and would reach the
 * database as a number it cannot hold or a string PostgreSQL refuses.
 */
function plausible(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && Math.abs(value) <= MAX_CURSOR_NUMBER;
  if (typeof value === 'string') return value.length <= 320 && !hasControlChars(value);
  if (Array.isArray(value)) return value.length <= 8 && value.every(plausible);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length <= 8 && entries.every(([, v]) => plausible(v));
  }
  return false;
}

/** The cursor's value, or 400 when it is not one this site gave out (garbage, or the wrong shape). */
export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (plausible(value) && check(value)) return value;
  throw new BadRequestError('cursor is not one this API gave out.');
}

export interface ListPage<T> {
  items: T[];
  total: number;
  next: string | null;
}
