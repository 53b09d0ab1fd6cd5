// Runs the static list of migrations (a bundled build has no migration folder to scan).
import { type DatabaseIntrospector, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
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
import * as mailIn from './migrations/014-mail-in.js';
import * as languages from './migrations/016-languages.js';
import * as mediaBlobs from './migrations/017-media-blobs.js';
import * as commentOrigins from './migrations/018-comment-origins.js';
import * as otherSites from './migrations/019-other-sites.js';
import * as webmentions from './migrations/020-webmentions.js';
import * as federation from './migrations/021-federation.js';
import * as writePace from './migrations/022-write-pace.js';
import * as reactionsAndGone from './migrations/023-reactions-and-gone.js';
import * as commentRecency from './migrations/024-comment-recency.js';
import * as outboxDueOrder from './migrations/025-outbox-due-order.js';
import * as threadPostOrder from './migrations/026-thread-post-order.js';
import * as authorPostsOrder from './migrations/027-author-posts-order.js';
import * as keptDashboardDays from './migrations/028-kept-dashboard-days.js';
import * as postsByDate from './migrations/029-posts-by-date.js';
import * as heldByPost from './migrations/030-held-by-post.js';

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
  '014-mail-in': mailIn,
  '016-languages': languages,
  '017-media-blobs': mediaBlobs,
  '018-comment-origins': commentOrigins,
  '019-other-sites': otherSites,
  '020-webmentions': webmentions,
  '021-federation': federation,
  '022-write-pace': writePace,
  '023-reactions-and-gone': reactionsAndGone,
  '024-comment-recency': commentRecency,
  '025-outbox-due-order': outboxDueOrder,
  '026-thread-post-order': threadPostOrder,
  '027-author-posts-order': authorPostsOrder,
  '028-kept-dashboard-days': keptDashboardDays,
  '029-posts-by-date': postsByDate,
  '030-held-by-post': heldByPost,
};

/** The names of every migration, oldest first (the upgrade test walks them one by one). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date (or, for a test of a migration, up to `upTo`); returns the names it applied. */
export async function migrate(db: Db, upTo?: string): Promise<string[]> {
  // On PostgreSQL, name the schema: Kysely otherwise finds the bookkeeping tables of any schema
  // on the search path's server, not just ours.
  const schema = isPostgres(db) ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db: schema ? introspectingOnly(db, schema) : db,
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

/**
 * The database as the migrator sees it, its introspection limited to our schema. Kysely's own
 * lists the tables of every schema on the server and asks PostgreSQL for each column's sequence
 * by name: a table another process drops meanwhile (another site's migration, a test's schema
 * going away) fails our migration with "relation ... does not exist" of a schema not ours.
 */
function introspectingOnly(db: Db, schema: string): Db {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => [{ name: schema }],
    getTables: async () => {
      const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${schema}`.execute(db);
      return rows.map((r) => ({ name: r.name, schema, isView: false, columns: [] }));
    },
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === 'introspection') return introspection;
      const value = Reflect.get(target, key, target);
      // Kysely's methods read private fields: they must run on the instance itself.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
