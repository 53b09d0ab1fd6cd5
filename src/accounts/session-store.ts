// Workspace sessions: the row's id is the SHA-256 of the cookie value, never the value itself.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { SessionsTable, UserRow } from '../db/tables.js';

export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(db: Db, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user, when the session has not expired at `now`. */
export async function findLiveSession(db: Db, id: string, now: number): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.user_agent',
    ])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, session_created_at, last_seen_at, expires_at, user_agent, ...user } = row;
  return {
    session: { id: session_id, user_id: user.id, created_at: session_created_at, last_seen_at, expires_at, user_agent },
    user,
  };
}

export async function touchSession(db: Db, id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Expired rows are useless; removing them on sign-in keeps the table small without a job. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}
