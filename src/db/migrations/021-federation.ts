// ActivityPub (src/federation): the site and each author are actors with their own keys; who
// follows whom, blocked servers and accounts, likes and boosts of posts, the Notes Hearth sends
// and receives, what people she follows published, and Fedify's key-value store. Deliveries
// themselves go through the outbox (kind 'fedify'), so they survive a restart and any process
// may send them.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('fed_kv')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .execute();

  // Keys are made once per actor, on first need: RSA for HTTP Signatures, Ed25519 for proofs.
  await db.schema
    .createTable('fed_actors')
    .addColumn('handle', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.unique().references('users.id').onDelete('cascade'))
    .addColumn('rsa_private', 'text', (c) => c.notNull())
    .addColumn('rsa_public', 'text', (c) => c.notNull())
    .addColumn('ed_private', 'text', (c) => c.notNull())
    .addColumn('ed_public', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Both ways: remote accounts following a local actor, and local actors following remote ones.
  await db.schema
    .createTable('fed_follows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('local_handle', 'text', (c) => c.notNull())
    .addColumn('remote_actor', 'text', (c) => c.notNull())
    .addColumn('remote_handle', 'text', (c) => c.notNull())
    .addColumn('remote_name', 'text', (c) => c.notNull())
    .addColumn('inbox', 'text', (c) => c.notNull())
    .addColumn('shared_inbox', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('fed_follows_unique', ['direction', 'local_handle', 'remote_actor'])
    .execute();

  // A server (its host) or one account (its actor URL); their activities are refused.
  await db.schema
    .createTable('fed_blocks')
    .addColumn('target', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('fed_reactions')
    .addColumn('activity_id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fed_reactions_post_idx').on('fed_reactions').columns(['post_id', 'kind']).execute();

  // Notes this site sent: a staff reply to a fediverse comment, or a reply to someone followed.
  await db.schema
    .createTable('fed_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('local_handle', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'text', (c) => c.unique().references('comments.id').onDelete('set null'))
    .addColumn('in_reply_to', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Objects received: a reply that became a comment, or a post (or an answer) shown in the workspace.
  await db.schema
    .createTable('fed_received')
    .addColumn('object_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('comment_id', 'text', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_handle', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fed_received_time_idx').on('fed_received').columns(['kind', 'received_at']).execute();

  // What followers were last sent of each post: its version (updated_at), or that it was deleted.
  await db.schema
    .createTable('fed_post_state')
    .addColumn('post_id', 'text', (c) => c.primaryKey())
    .addColumn('local_handle', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
