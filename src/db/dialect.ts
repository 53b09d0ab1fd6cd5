// Row locks, which only PostgreSQL has: SQLite lets one writer at a time into the whole database,
// so what a lock guards against there cannot happen. Domain code names what it wants; the
// difference stays here.
import type { SelectQueryBuilder } from 'kysely';
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
