// Runs the static list of migrations (a bundled build has no migration folder to scan).
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { type Db, isPostgres } from './connect.js';
import * as core from './migrations/001-core.js';
import * as media from './migrations/002-media.js';
import * as importing from './migrations/003-import.js';
import * as conversations from './migrations/004-conversations.js';
import * as email from './migrations/005-email.js';
import * as workspace from './migrations/006-workspace.js';
import * as programs from './migrations/007-programs.js';
import * as inbox from './migrations/008-inbox.js';
import * as reading from './migrations/009-reading.js';
import * as threadCount from './migrations/010-thread-count.js';
import * as threadHtml from './migrations/011-thread-html.js';
import * as tokensAndEdits from './migrations/012-tokens-and-edits.js';
import * as throttles from './migrations/013-throttles.js';

/** Every migration, in order. A new one is appended here and never edited after it ships. */
const MIGRATIONS: Record<string, Migration> = {
  '001-core': core,
  '002-media': media,
  '003-import': importing,
  '004-conversations': conversations,
  '005-email': email,
  '006-workspace': workspace,
  '007-programs': programs,
  '008-inbox': inbox,
  '009-reading': reading,
  '010-thread-count': threadCount,
  '011-thread-html': threadHtml,
  '012-tokens-and-edits': tokensAndEdits,
  '013-throttles': throttles,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date (or, for a test of a migration, up to `upTo`); returns the names it applied. */
export async function migrate(db: Db, upTo?: string): Promise<string[]> {
  // On PostgreSQL, name the schema: Kysely otherwise finds the bookkeeping tables of any schema
  // on the search path's server, not just ours.
  const schema = isPostgres(db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'hearth_migration',
    migrationLockTableName: 'hearth_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '));
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
