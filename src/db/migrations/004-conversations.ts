// Conversations: shared rate-limit counters, a per-thread count of public comments (so a post's
// page of threads is one index range on `threads`), and a lookup of a writer's own comments.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Fixed-window counters shared by every process of a site (rate limits live in the database).
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limits_window_idx').on('rate_limits').column('window_start').execute();

  await db.schema
    .alterTable('threads')
    .addColumn('public_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update threads set public_count = (
    select count(*) from comments c
    where c.root_id = threads.root_id and c.status = 'published' and c.visibility = 'public'
  )`.execute(db);
  // The threads readers see on a post, in order: paging reads only the page's rows.
  await db.schema
    .createIndex('threads_public_page_idx')
    .on('threads')
    .columns(['post_id', 'root_id'])
    .where(sql.ref('public_count'), '>', 0)
    .execute();

  // A writer's own comments on a post, found by the hash of her credential.
  await db.schema
    .createIndex('comments_writer_idx')
    .on('comments')
    .columns(['edit_token_hash', 'post_id'])
    .where(sql.ref('edit_token_hash'), 'is not', null)
    .execute();
}
