// Row locks, which only PostgreSQL has: SQLite lets one writer at a time into the whole database,
// so what a lock guards against there cannot happen. Domain code names what it wants; the
// difference stays here.
import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { type Db, isPostgres } from './connect.js';

/**
 * Whether the database is one file on this machine (SQLite): a backup copies the file, and uploads
 * live in the data folder beside it. Otherwise it is a server every process of the site reaches
 * from any machine (PostgreSQL), which keeps the uploads too, so every process serves them.
 */
export function isOneFile(db: Db): boolean {
  return !isPostgres(db);
}

/**
 * Rows a worker may take without waiting: on PostgreSQL rows another process has locked are
 * skipped (`for update skip locked`), so workers in many processes never take the same row.
 */
export function skippingLockedRows<DB, TB extends keyof DB, O>(db: Db, q: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isPostgres(db) ? q.forUpdate().skipLocked() : q;
}

/** Locks the selected rows until the caller's transaction ends (`for update`): writers of them wait. */
export async function lockRows<DB, TB extends keyof DB, O>(db: Db, q: SelectQueryBuilder<DB, TB, O>): Promise<void> {
  if (isPostgres(db)) await q.forUpdate().execute();
}

/**
 * The row's `id` is one of the ids a WITH part (`part`, already run: materialized) picked.
 * PostgreSQL is asked to look each one up (`= any(array(…))`): as `in (select …)` a plan made while
 * the table was small walks every row of it and compares each with the list.
 */
export function idAmong(db: Db, part: string): RawBuilder<boolean> {
  const ids = sql`select id from ${sql.table(part)}`;
  return isPostgres(db) ? sql<boolean>`id = any(array(${ids}))` : sql<boolean>`id in (${ids})`;
}
