// Staff accounts and API tokens (made, listed, expiring, revoked): the rules around who may act, without HTTP.
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { STAFF_ROLES, type StaffRole, type UserRow } from '../db/tables.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { hashToken, newId, newSecretToken } from '../ids.js';
import { MAX_EMAIL_LENGTH } from '../text/email.js';
import { slugify, uniqueSlug } from '../text/slug.js';
import type { PasswordHasher } from './passwords.js';
import {
  type ApiTokenRow,
  deleteApiToken,
  findApiToken,
  findUserByTokenHash,
  insertApiToken,
  tokensOfUser,
  touchApiToken,
} from './token-store.js';
import { countOwners, findUserByEmail, findUserById, findUserBySlug, insertUser, slugTaken } from './user-store.js';

export const MIN_PASSWORD_LENGTH = 10;

export const newUserSchema = z.object({
  email: z
    .string()
    .max(MAX_EMAIL_LENGTH, `email must be at most ${MAX_EMAIL_LENGTH} characters`)
    .pipe(z.email({ message: 'email must be an address like name@example.com' }))
    .transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
  role: z.enum(STAFF_ROLES, { message: `role must be one of ${STAFF_ROLES.join(', ')}` }),
  password: z.string().min(MIN_PASSWORD_LENGTH, `the password must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1000).nullable(),
});
export type NewUser = z.input<typeof newUserSchema>;

const DAY = 24 * 60 * 60 * 1000;
export const MAX_TOKEN_DAYS = 3650;

/** What a new token is called and how long it works (no expiresInDays: until revoked). */
export const newTokenSchema = z.object({
  label: z
    .string({ message: 'the label must be text' })
    .trim()
    .min(1, 'the label must not be empty')
    .max(100, 'the label must be at most 100 characters')
    // A label is printed as one column of `hearth token list`: no tabs or line breaks in it.
    .refine((l) => !/\p{Cc}/u.test(l), 'the label must be one line of text'),
  expiresInDays: z
    .number({ message: `the expiry must be a whole number of days, from 1 to ${MAX_TOKEN_DAYS}` })
    .int(`the expiry must be a whole number of days, from 1 to ${MAX_TOKEN_DAYS}`)
    .min(1, `the expiry must be a whole number of days, from 1 to ${MAX_TOKEN_DAYS}`)
    .max(MAX_TOKEN_DAYS, `the expiry must be a whole number of days, from 1 to ${MAX_TOKEN_DAYS}`)
    .optional(),
});
export type NewToken = z.input<typeof newTokenSchema>;

/** An API token as its owner sees it: never the secret, which is shown once when it is made. */
export interface ApiTokenInfo {
  id: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** Null: works until revoked. */
  expiresAt: number | null;
  expired: boolean;
}

export interface CreatedToken {
  /** The secret, shown once. */
  token: string;
  user: Staff;
  info: ApiTokenInfo;
}

/** A staff member as the rest of the app sees them. */
export interface Staff {
  id: string;
  email: string;
  name: string;
  slug: string;
  role: StaffRole;
}

export function toStaff(row: UserRow): Staff {
  return { id: row.id, email: row.email, name: row.name, slug: row.slug, role: row.role };
}

export interface AccountsService {
  addUser(input: NewUser): Promise<Staff>;
  /** A token for the user with this email (`hearth token create`). */
  createToken(email: string, label?: string, options?: { expiresInDays?: number | undefined }): Promise<CreatedToken>;
  /** A token for the signed-in staff member herself (the Account page). */
  createOwnToken(staff: Staff, input: NewToken): Promise<CreatedToken>;
  /** The tokens of the user with this email, newest first (`hearth token list`). */
  tokensOf(email: string): Promise<{ user: Staff; tokens: ApiTokenInfo[] }>;
  ownTokens(staff: Staff): Promise<ApiTokenInfo[]>;
  /** Revokes any token by its id (`hearth token revoke`: whoever runs the command runs the site). */
  revokeToken(id: string): Promise<{ user: Staff; info: ApiTokenInfo }>;
  /** Revokes one of her own tokens; another's is not found. */
  revokeOwnToken(staff: Staff, id: string): Promise<void>;
  /** The staff member a bearer token acts as, or undefined (unknown, revoked or expired). */
  userForToken(token: string): Promise<Staff | undefined>;
  hasOwner(): Promise<boolean>;
  /** A staff member's public face, for author pages. */
  bySlug(slug: string): Promise<{ id: string; name: string; slug: string; bio: string } | undefined>;
}

export const TOKEN_PREFIX = 'hth_';

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'input')] ??= issue.message;
  throw new InvalidError(parsed.error.issues[0]?.message ?? `invalid ${what}`, fields);
}

export function createAccountsService(deps: { db: Db; clock: Clock; passwords: PasswordHasher }): AccountsService {
  const { db, clock, passwords } = deps;

  const infoOf = (row: ApiTokenRow, now: number): ApiTokenInfo => ({
    id: row.id,
    label: row.label,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    expired: row.expires_at !== null && row.expires_at <= now,
  });

  async function issue(user: UserRow, input: NewToken): Promise<CreatedToken> {
    const { label, expiresInDays } = parseOrThrow(newTokenSchema, input, 'token');
    const token = `${TOKEN_PREFIX}${newSecretToken()}`;
    const now = clock.now();
    const row: ApiTokenRow = {
      id: newId(now),
      user_id: user.id,
      label,
      token_hash: hashToken(token),
      created_at: now,
      last_used_at: null,
      expires_at: expiresInDays === undefined ? null : now + expiresInDays * DAY,
    };
    await insertApiToken(db, row);
    return { token, user: toStaff(user), info: infoOf(row, now) };
  }

  async function userByEmail(email: string): Promise<UserRow> {
    const user = await findUserByEmail(db, email);
    if (!user) throw new NotFoundError(`no user has the email ${email.toLowerCase()}`);
    return user;
  }

  return {
    async addUser(input) {
      const { email, name, role, password } = parseOrThrow(newUserSchema, input, 'user');
      if (await findUserByEmail(db, email)) throw new ConflictError(`a user with the email ${email} already exists`);
      const now = clock.now();
      const row = {
        id: newId(now),
        email,
        name,
        slug: await uniqueSlug(slugify(name) || 'staff', (s) => slugTaken(db, s)),
        role,
        password_hash: password === null ? null : await passwords.hash(password),
        bio: '',
        source: null,
        source_id: null,
        created_at: now,
        updated_at: now,
      };
      await insertUser(db, row);
      return toStaff(row);
    },

    async createToken(email, label = 'API token', options = {}) {
      return issue(await userByEmail(email), { label, expiresInDays: options.expiresInDays });
    },

    async createOwnToken(staff, input) {
      const user = await findUserById(db, staff.id);
      if (!user) throw new NotFoundError('Your account no longer exists.');
      return issue(user, input);
    },

    async tokensOf(email) {
      const user = await userByEmail(email);
      const now = clock.now();
      return { user: toStaff(user), tokens: (await tokensOfUser(db, user.id)).map((r) => infoOf(r, now)) };
    },

    async ownTokens(staff) {
      const now = clock.now();
      return (await tokensOfUser(db, staff.id)).map((r) => infoOf(r, now));
    },

    async revokeToken(id) {
      const row = await findApiToken(db, id);
      const user = row ? await findUserById(db, row.user_id) : undefined;
      if (!row || !user || !(await deleteApiToken(db, row.id, row.user_id))) throw new NotFoundError(`no API token has the id ${id}`);
      return { user: toStaff(user), info: infoOf(row, clock.now()) };
    },

    async revokeOwnToken(staff, id) {
      if (!(await deleteApiToken(db, id, staff.id))) throw new NotFoundError('You have no API token with this id.');
    },

    async userForToken(token) {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      const now = clock.now();
      const row = await findUserByTokenHash(db, hashToken(token), now);
      if (!row) return undefined;
      await touchApiToken(db, row.token_id, now);
      return toStaff(row);
    },

    async hasOwner() {
      return (await countOwners(db)) > 0;
    },

    async bySlug(slug) {
      const user = await findUserBySlug(db, slug);
      return user ? { id: user.id, name: user.name, slug: user.slug, bio: user.bio } : undefined;
    },
  };
}
