// The comments of one status newest first, with the post each belongs to in the index itself.
// An author's moderation queue counts her held comments (up to 1,000) by walking the held ones
// newest first and keeping those on her posts: with (status, created_at) alone, every comment
// walked was read from the table for its post, thousands of scattered reads at 10 million comments
// (24 ms for the count, most of the queue's page, bench/SCALE.md). With the post in the index the
// walk reads the index only.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('comments_status_recent_idx').on('comments').columns(['status', 'created_at', 'post_id']).execute();
  await db.schema.dropIndex('comments_moderation_idx').execute();
}
