// Comments anywhere: the owner registers other sites (their origins), and a page of one of them
// gets a conversation keyed by its canonical address. Such a page is a row of `posts` of kind
// 'external' (published, never listed on Hearth's own site), so the whole conversation machinery
// serves it unchanged; posts.external_url holds the page's normalized address, posts.site_id the
// site it belongs to (null once the site is removed: its conversations stay readable on Hearth).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('posts').addColumn('site_id', 'text').execute();
  await db.schema.alterTable('posts').addColumn('external_url', 'text').execute();
  await db.schema.createIndex('posts_external_url_uq').on('posts').column('external_url').unique().execute();
  await db.schema.createIndex('posts_site_idx').on('posts').columns(['site_id', 'published_at']).execute();
}
