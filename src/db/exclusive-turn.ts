// "Only one process at a time does this": on PostgreSQL a transaction-scoped advisory lock (another
// process that tries meanwhile skips its turn); SQLite serves one process, which just goes ahead.
import { sql } from 'kysely';
import { type Db, isPostgres } from './connect.js';

/** Runs `work` unless another process is running work of the same name; says whether it ran. */
export async function inExclusiveTurn(db: Db, name: string, work: () => Promise<void>): Promise<boolean> {
  if (!isPostgres(db)) {
    await work();
    return true;
  }
  return db.transaction().execute(async (trx) => {
    const got = await sql<{ got: boolean }>`select pg_try_advisory_xact_lock(hashtext(${name})) as got`.execute(trx);
    if (!got.rows[0]?.got) return false;
    await work();
    return true;
  });
}
