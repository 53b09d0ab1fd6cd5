// Likes and boosts an author sends from the workspace (kept so she can take them back with an
// Undo), when a Note sent from here was last edited (its Update says so), and the addresses of
// deleted posts, which answer 410 Gone so that the pages they linked to, told by Webmention, and
// any reader, learn the post is gone rather than missing.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('fed_reactions_sent')
    .addColumn('local_handle', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    // like or announce.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('fed_reactions_sent_pk', ['local_handle', 'object_id', 'kind'])
    .execute();

  await db.schema.alterTable('fed_notes').addColumn('updated_at', 'bigint').execute();

  await db.schema
    .createTable('posts_gone')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('deleted_at', 'bigint', (c) => c.notNull())
    .execute();
}
