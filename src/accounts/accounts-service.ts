// Staff accounts and API tokens: the rules around who may act, without HTTP.
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
  countOwners,
  findUserByEmail,
  findUserBySlug,
  findUserByTokenHash,
  insertApiToken,
  insertUser,
  slugTaken,
  touchApiToken,
} from './user-store.js';

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
  createToken(email: string, label?: string): Promise<{ token: string; user: Staff }>;
  /** The staff member a bearer token acts as, or undefined. */
  userForToken(token: string): Promise<Staff | undefined>;
  hasOwner(): Promise<boolean>;
  /** A staff member's public face, for author pages. */
  bySlug(slug: string): Promise<{ id: string; name: string; slug: string; bio: string } | undefined>;
}

export const TOKEN_PREFIX = 'hth_';

export function createAccountsService(deps: { db: Db; clock: Clock; passwords: PasswordHasher }): AccountsService {
  const { db, clock, passwords } = deps;
  return {
    async addUser(input) {
      const parsed = newUserSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = String(issue?.path[0] ?? 'input');
        throw new InvalidError(issue?.message ?? 'invalid user', { [field]: issue?.message ?? 'invalid' });
      }
      const { email, name, role, password } = parsed.data;
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

    async createToken(email, label = 'API token') {
      const user = await findUserByEmail(db, email);
      if (!user) throw new NotFoundError(`no user has the email ${email.toLowerCase()}`);
      const token = `${TOKEN_PREFIX}${newSecretToken()}`;
      const now = clock.now();
      await insertApiToken(db, {
        id: newId(now),
        user_id: user.id,
        label,
        token_hash: hashToken(token),
        created_at: now,
        last_used_at: null,
      });
      return { token, user: toStaff(user) };
    },

    async userForToken(token) {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      const row = await findUserByTokenHash(db, hashToken(token));
      if (!row) return undefined;
      await touchApiToken(db, row.token_id, clock.now());
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
