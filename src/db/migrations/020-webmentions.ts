// Webmentions (W3C Recommendation): what other pages said of a post, and what a post told the
// pages it links to. A received mention is kept by (source, post): a resend of the same source
// updates it, a source gone removes it. A reply becomes a comment (comment_id); a like, repost,
// bookmark or plain mention is only counted. Sends are kept per (post, target) so an update
// notifies again and a link taken out of the post is told too.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('webmentions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    // As the sender gave it (it may name a comment: #comment-ID).
    .addColumn('target', 'text', (c) => c.notNull())
    // queued (waiting for verification), verified, refused (never linked), removed (gone since).
    .addColumn('status', 'text', (c) => c.notNull())
    // reply, like, repost, bookmark or mention, once verified.
    .addColumn('kind', 'text')
    .addColumn('comment_id', 'text', (c) => c.references('comments.id').onDelete('set null'))
    .addColumn('author_name', 'text')
    .addColumn('author_url', 'text')
    // Why it was refused or removed, in words for the workspace.
    .addColumn('note', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('checked_at', 'bigint')
    .execute();
  await db.schema.createIndex('webmentions_source_post_idx').unique().on('webmentions').columns(['source', 'post_id']).execute();
  await db.schema.createIndex('webmentions_post_idx').on('webmentions').columns(['post_id', 'status']).execute();
  await db.schema.createIndex('webmentions_received_idx').on('webmentions').column('received_at').execute();

  await db.schema
    .createTable('webmention_sends')
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull())
    // The endpoint found for it, or null when the page offers none.
    .addColumn('endpoint', 'text')
    // sent, no-endpoint, failed.
    .addColumn('status', 'text', (c) => c.notNull())
    // Still linked from the post: 0 once the link is gone and the target was told so.
    .addColumn('linked', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('webmention_sends_pk', ['post_id', 'target'])
    .execute();
}
