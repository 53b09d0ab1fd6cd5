// Runs the static list of migrations (a bundled build has no migration folder to scan).
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { type Db, isPostgres } from './connect.js';
import * as core from './migrations/001-core.js';

/** Every migration, in order. A new one is appended here and never edited after it ships. */
const MIGRATIONS: Record<string, Migration> = {
  '001-core': core,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; returns the names it applied. */
export async function migrate(db: Db): Promise<string[]> {
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
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`.replace('  ', ' '));
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
