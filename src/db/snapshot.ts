// A consistent copy of the database while the site keeps writing: SQLite's online backup API
// (pages copied under one read transaction, which in WAL mode never blocks a writer), or on
// PostgreSQL a repeatable-read transaction, whose every query sees the same moment.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection, Db } from './connect.js';

const run = promisify(execFile);

/** Copies the SQLite database to `file` in one step (a step restarted by every write could never end under load). */
export async function copySqliteDatabase(conn: Connection, file: string): Promise<void> {
  if (!conn.sqlite) throw new Error('not a SQLite database');
  await conn.sqlite.backup(file, { progress: () => 1_000_000_000 });
}

/** Runs `work` on one unchanging view of the database. */
export function atOneMoment<T>(db: Db, work: (snapshot: Db) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(work);
}

/**
 * `pg_dump --format=custom` of the database when pg_dump is installed (restore it with
 * pg_restore); false when it is not there or could not run (say, a client older than the server).
 */
export async function pgDump(url: string, file: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${url}`], { timeout: 30 * 60_000 });
    return { ok: true };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    return {
      ok: false,
      reason: e.code === 'ENOENT' ? 'pg_dump is not installed' : ((e.stderr ?? e.message).trim().split('\n')[0] ?? 'failed'),
    };
  }
}
