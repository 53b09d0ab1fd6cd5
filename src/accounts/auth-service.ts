// Signing in to the workspace: sessions, throttled password checks, password resets and staff
// invitations by single-use emailed links. No HTTP here: routes hand in what they read.

import { canChangeRole, canManageStaff, canRemoveStaff } from '../admin/admin-permissions.js';
import type { ChangeFeed } from '../cache/change-feed.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { AccountLinkPurpose, StaffRole, UserRow } from '../db/tables.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthorizedError } from '../errors.js';
import { hashToken, newId, newSecretToken } from '../ids.js';
import { enqueueMail } from '../notify/mail-payloads.js';
import { slugify, uniqueSlug } from '../text/slug.js';
import { countLinksSince, findAccountLink, insertAccountLink, retireLinksOfUser, useAccountLink } from './account-link-store.js';
import { MIN_PASSWORD_LENGTH, type Staff, toStaff } from './accounts-service.js';
import type { PasswordHasher } from './passwords.js';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findLiveSession,
  insertSession,
  touchSession,
} from './session-store.js';
import { accountRecovered, admitAttempt, attemptSucceeded } from './sign-in-throttle.js';
import { listStaff, removeUser, setPasswordHash, setRole } from './staff-store.js';
import { deleteTokensOfUser } from './token-store.js';
import { countOwners, findUserByEmail, findUserById, insertUser, slugTaken } from './user-store.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const AUTH_POLICY = {
  /** A session lives this long after its last use. */
  sessionTtlMs: 30 * DAY,
  /** last_seen_at is written at most this often, so reading pages does not write every time. */
  touchEveryMs: MINUTE,
  resetTtlMs: 60 * MINUTE,
  /** Reset emails per account per window: nobody can flood a colleague's mailbox. */
  maxResetsPerWindow: 3,
  resetWindowMs: 15 * MINUTE,
  invitationTtlMs: 7 * DAY,
} as const;

/** The one answer to a failed sign-in: it never says whether the email or the password was wrong. */
export const SIGN_IN_FAILED = 'That email and password do not match. Check both and try again.';

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  token: string;
  staff: Staff;
  expiresAt: number;
}

export interface LiveSession {
  staff: Staff;
  /** The stored id (hash of the cookie): what CSRF tokens are tied to. */
  sessionId: string;
  expiresAt: number;
  /** True when this read moved the expiry forward: the cookie should be sent again. */
  renewed: boolean;
}

export interface AccountLink {
  purpose: AccountLinkPurpose;
  staff: Staff;
  hasPassword: boolean;
}

export interface AuthService {
  /** Throttled (src/accounts/sign-in-throttle.ts): past a limit, TooManyError before any password is checked. */
  signIn(input: { email: string; password: string; ip: string; userAgent: string }): Promise<SignedIn>;
  session(token: string): Promise<LiveSession | undefined>;
  signOut(token: string): Promise<void>;
  /** Ends every session of the account and revokes its API tokens: for a lost device or a leaked secret. */
  signOutEverywhere(userId: string): Promise<void>;
  /** Emails a reset link when the address belongs to staff; answers the same either way. */
  requestReset(email: string): Promise<void>;
  /** What a reset or invitation link is for, while it still works. */
  checkLink(token: string): Promise<AccountLink | undefined>;
  /**
   * Sets the password through a link, ends every other session, and signs this browser in. It is
   * never throttled, and clears the account's sign-in throttles; `ip` becomes a known place. A
   * reset that replaces a password also revokes the account's API tokens (whoever knew the old
   * password may have made some); choosing a first password keeps the tokens made meanwhile.
   */
  completeLink(token: string, password: string, userAgent: string, ip?: string): Promise<SignedIn>;
  staff(actor: Staff): Promise<Staff[]>;
  invite(actor: Staff, input: { email: string; name: string; role: StaffRole }): Promise<Staff>;
  changeRole(actor: Staff, userId: string, role: StaffRole): Promise<Staff>;
  remove(actor: Staff, userId: string): Promise<void>;
}

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  passwords: PasswordHasher;
  baseUrl: string;
  /** Pages show staff roles (comment badges) and post authors: kept pages must hear of changes. */
  changes?: ChangeFeed;
}

export const resetPath = (token: string) => `/admin/reset/${token}`;

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { db, clock, passwords, baseUrl } = deps;
  // Verifying against a real hash when the account is unknown keeps both answers equally slow.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => {
    decoy ??= passwords.hash(newSecretToken());
    return decoy;
  };

  async function startSession(trx: Db, user: UserRow, userAgent: string, now: number): Promise<SignedIn> {
    const token = newSecretToken();
    const expiresAt = now + AUTH_POLICY.sessionTtlMs;
    await insertSession(trx, {
      id: hashToken(token),
      user_id: user.id,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: userAgent.slice(0, 300),
    });
    return { token, staff: toStaff(user), expiresAt };
  }

  async function sendLink(
    trx: Db,
    user: Pick<UserRow, 'id' | 'email' | 'name'>,
    purpose: AccountLinkPurpose,
    now: number,
    inviter?: Staff,
    role?: StaffRole,
  ) {
    const token = newSecretToken();
    const tokenHash = hashToken(token);
    const ttl = purpose === 'reset' ? AUTH_POLICY.resetTtlMs : AUTH_POLICY.invitationTtlMs;
    await insertAccountLink(trx, {
      token_hash: tokenHash,
      user_id: user.id,
      purpose,
      created_at: now,
      expires_at: now + ttl,
      used_at: null,
    });
    const link = `${baseUrl}${resetPath(token)}`;
    if (purpose === 'invitation' && inviter && role) {
      await enqueueMail(
        trx,
        { type: 'invitation', to: user.email, name: user.name, inviterName: inviter.name, role, link },
        `invitation:${tokenHash}`,
        now,
      );
    } else {
      await enqueueMail(trx, { type: 'password-reset', to: user.email, name: user.name, link }, `password-reset:${tokenHash}`, now);
    }
  }

  async function ownedTarget(actor: Staff, userId: string): Promise<UserRow> {
    if (!canManageStaff(actor)) throw new ForbiddenError('Only the owner manages the staff.');
    const target = await findUserById(db, userId);
    if (!target) throw new NotFoundError('No staff member has this id.');
    return target;
  }

  return {
    async signIn({ email: given, password, ip, userAgent }) {
      const email = given.trim().toLowerCase();
      const now = clock.now();
      const user = email ? await findUserByEmail(db, email) : undefined;
      // Counted before the (slow) check: parallel guesses cannot all get in under the limit.
      const admission = await admitAttempt(db, { email, ip, userId: user?.id, now });
      const ok = await passwords.verify(user?.password_hash ?? (await decoyHash()), password);
      if (!user?.password_hash || !ok) throw new UnauthorizedError(SIGN_IN_FAILED);
      return db.transaction().execute(async (trx) => {
        await attemptSucceeded(trx, admission, user.id, now);
        await deleteExpiredSessions(trx, now);
        return startSession(trx, user, userAgent, now);
      });
    },

    async session(token) {
      if (!token) return undefined;
      const now = clock.now();
      const found = await findLiveSession(db, hashToken(token), now);
      if (!found) return undefined;
      const { session, user } = found;
      let expiresAt = session.expires_at;
      const renewed = now - session.last_seen_at >= AUTH_POLICY.touchEveryMs;
      if (renewed) {
        expiresAt = now + AUTH_POLICY.sessionTtlMs;
        await touchSession(db, session.id, now, expiresAt);
      }
      return { staff: toStaff(user), sessionId: session.id, expiresAt, renewed };
    },

    async signOut(token) {
      await deleteSession(db, hashToken(token));
    },

    async signOutEverywhere(userId) {
      await db.transaction().execute(async (trx) => {
        await deleteSessionsOfUser(trx, userId);
        await deleteTokensOfUser(trx, userId);
      });
    },

    async requestReset(given) {
      const email = given.trim().toLowerCase();
      const user = email ? await findUserByEmail(db, email) : undefined;
      if (!user) return;
      const now = clock.now();
      // Past the limit the answer stays the same; only the email is not sent again.
      if ((await countLinksSince(db, user.id, 'reset', now - AUTH_POLICY.resetWindowMs)) >= AUTH_POLICY.maxResetsPerWindow) return;
      await db.transaction().execute((trx) => sendLink(trx, user, 'reset', now));
    },

    async checkLink(token) {
      const link = await findAccountLink(db, hashToken(token));
      if (!link || link.used_at !== null || link.expires_at <= clock.now()) return undefined;
      const user = await findUserById(db, link.user_id);
      return user ? { purpose: link.purpose, staff: toStaff(user), hasPassword: user.password_hash !== null } : undefined;
    },

    async completeLink(token, password, userAgent, ip) {
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new InvalidError('Choose a longer password.', { password: `must be at least ${MIN_PASSWORD_LENGTH} characters` });
      }
      if (password.length > 1000) throw new InvalidError('Choose a shorter password.', { password: 'must be at most 1,000 characters' });
      const tokenHash = hashToken(token);
      const link = await findAccountLink(db, tokenHash);
      const gone = () => new NotFoundError('This link has expired or was already used. Ask for a new one.');
      if (!link) throw gone();
      const hash = await passwords.hash(password);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        // The conditional update is the single-use guarantee, even for two submissions at once.
        if (!(await useAccountLink(trx, tokenHash, now))) throw gone();
        const user = await findUserById(trx, link.user_id);
        if (!user) throw gone();
        await setPasswordHash(trx, user.id, hash, now);
        await retireLinksOfUser(trx, user.id, now);
        await deleteSessionsOfUser(trx, user.id);
        if (link.purpose === 'reset' && user.password_hash !== null) await deleteTokensOfUser(trx, user.id);
        await accountRecovered(trx, { email: user.email.toLowerCase(), userId: user.id, ip, now });
        return startSession(trx, { ...user, password_hash: hash }, userAgent, now);
      });
    },

    async staff(actor) {
      if (!canManageStaff(actor)) throw new ForbiddenError('Only the owner manages the staff.');
      return (await listStaff(db)).map(toStaff);
    },

    async invite(actor, input) {
      if (!canManageStaff(actor)) throw new ForbiddenError('Only the owner invites staff.');
      const email = input.email.trim().toLowerCase();
      if (await findUserByEmail(db, email))
        throw new InvalidError('Someone on the staff already has this email.', { email: 'is already on the staff' });
      const now = clock.now();
      const slug = await uniqueSlug(slugify(input.name) || 'staff', (s) => slugTaken(db, s));
      const row: UserRow = {
        id: newId(now),
        email,
        name: input.name.trim(),
        slug,
        role: input.role,
        password_hash: null,
        bio: '',
        source: null,
        source_id: null,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await insertUser(trx, row);
        await sendLink(trx, row, 'invitation', now, actor, input.role);
      });
      return toStaff(row);
    },

    async changeRole(actor, userId, role) {
      const target = await ownedTarget(actor, userId);
      if (!canChangeRole(actor, target, role, await countOwners(db))) throw new ConflictError('The site needs at least one owner.');
      await setRole(db, userId, role, clock.now());
      await deps.changes?.publish({ scope: 'site' });
      return toStaff({ ...target, role });
    },

    async remove(actor, userId) {
      const target = await ownedTarget(actor, userId);
      if (target.id === actor.id) throw new ConflictError('You cannot remove yourself.');
      if (!canRemoveStaff(actor, target, await countOwners(db))) throw new ConflictError('The site needs at least one owner.');
      await db.transaction().execute((trx) => removeUser(trx, userId, actor.id));
      await deps.changes?.publish({ scope: 'site' });
    },
  };
}
