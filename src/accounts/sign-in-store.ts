// Failed sign-ins, counted per email and per address over a sliding window. Kept in the database
// so that every process of a site sees the same counts.
import type { Db } from '../db/connect.js';

export async function recordFailure(db: Db, row: { id: string; email: string; ip: string; created_at: number }): Promise<void> {
  await db.insertInto('sign_in_failures').values(row).execute();
}

/** How many failures match since `since`, and when the oldest of them happened. */
export async function failuresSince(
  db: Db,
  by: { email: string } | { ip: string },
  since: number,
): Promise<{ count: number; oldest: number | null }> {
  let q = db.selectFrom('sign_in_failures').where('created_at', '>', since);
  q = 'email' in by ? q.where('email', '=', by.email) : q.where('ip', '=', by.ip);
  const row = await q.select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')]).executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
}

/** A successful sign-in forgets the email's failures (the address keeps its own count). */
export async function clearFailuresOfEmail(db: Db, email: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('email', '=', email).execute();
}

export async function deleteFailuresBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('created_at', '<=', before).execute();
}
