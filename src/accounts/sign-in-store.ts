// Sign-in attempts, counted in the database so that every process of a site sees the same counts,
// and the places each account has signed in from. Keys and addresses arrive already hashed.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

export interface CountedAttempt {
  /** Attempts in the window, this one included: parallel attempts each get a different number. */
  attempts: number;
  windowStart: number;
}

/**
 * Counts one attempt and returns the count, in one statement: check and count cannot be pulled
 * apart by parallel requests. A window starts at its first attempt; once it has passed, the next
 * attempt starts a new one.
 */
export async function countAttempt(
  db: Db,
  counter: { key: string; account: string | null },
  now: number,
  windowMs: number,
): Promise<CountedAttempt> {
  const expired = sql<boolean>`sign_in_counters.window_start <= ${now - windowMs}`;
  const row = await db
    .insertInto('sign_in_counters')
    .values({ key: counter.key, account: counter.account, window_start: now, attempts: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        attempts: sql<number>`case when ${expired} then 1 else sign_in_counters.attempts + 1 end`,
        window_start: sql<number>`case when ${expired} then ${now} else sign_in_counters.window_start end`,
      }),
    )
    .returning(['attempts', 'window_start'])
    .executeTakeFirstOrThrow();
  return { attempts: Number(row.attempts), windowStart: Number(row.window_start) };
}

/** Takes back an attempt counted in this window (it succeeded, or another limit refused it). */
export async function uncountAttempt(db: Db, key: string, windowStart: number): Promise<void> {
  await db
    .updateTable('sign_in_counters')
    .set({ attempts: sql<number>`attempts - 1` })
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .where('attempts', '>', 0)
    .execute();
}

export async function clearCounter(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_counters').where('key', '=', key).execute();
}

/** Every counter of an account: its own and those of each address it was tried from. */
export async function clearCountersOfAccount(db: Db, account: string): Promise<void> {
  await db.deleteFrom('sign_in_counters').where('account', '=', account).execute();
}

export async function deleteCountersBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_counters').where('window_start', '<', before).execute();
}

export async function rememberAddress(db: Db, userId: string, address: string, now: number): Promise<void> {
  await db
    .insertInto('sign_in_addresses')
    .values({ user_id: userId, address, last_success_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'address']).doUpdateSet({ last_success_at: now }))
    .execute();
}

/** Whether the account signed in from this address since `since`. */
export async function knownAddress(db: Db, userId: string, address: string, since: number): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_addresses')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('address', '=', address)
    .where('last_success_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function forgetAddressesBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_addresses').where('last_success_at', '<=', before).execute();
}
