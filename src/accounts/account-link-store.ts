// Single-use links sent by email: password resets and staff invitations, stored as hashes.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { AccountLinksTable } from '../db/tables.js';

export type AccountLinkRow = Selectable<AccountLinksTable>;

export async function insertAccountLink(db: Db, row: Insertable<AccountLinksTable>): Promise<void> {
  await db.insertInto('account_links').values(row).execute();
}

export function findAccountLink(db: Db, tokenHash: string): Promise<AccountLinkRow | undefined> {
  return db.selectFrom('account_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks the link used, only if nobody used it first; returns whether this call did. */
export async function useAccountLink(db: Db, tokenHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('account_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Once a password is set, every other link of that user stops working. */
export async function retireLinksOfUser(db: Db, userId: string, now: number): Promise<void> {
  await db.updateTable('account_links').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

/** How many links of a purpose were made for a user since `since`. */
export async function countLinksSince(db: Db, userId: string, purpose: AccountLinksTable['purpose'], since: number): Promise<number> {
  const row = await db
    .selectFrom('account_links')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
