// API tokens: only the SHA-256 of a token is kept. A revoked token's row is deleted.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ApiTokensTable, UserRow } from '../db/tables.js';

export type ApiTokenRow = Selectable<ApiTokensTable>;

export async function insertApiToken(db: Db, token: Insertable<ApiTokensTable>): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

/** The user a token acts as, by the token's hash, while the token has not expired at `now`. */
export function findUserByTokenHash(db: Db, tokenHash: string, now: number): Promise<(UserRow & { token_id: string }) | undefined> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select('api_tokens.id as token_id')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: string, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

/** A user's tokens, newest first. */
export function tokensOfUser(db: Db, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findApiToken(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes the token when it belongs to the user; says whether it did. */
export async function deleteApiToken(db: Db, id: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteTokensOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
}
