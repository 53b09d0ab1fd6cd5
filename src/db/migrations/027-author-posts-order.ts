// An author's posts of one kind, newest first, their state beside them. The inbox reads an
// author's titles to find the ones a reader names (up to 5,000 of them), and her programs; with
// posts_author_idx (author_id, status, published_at) two states cannot be read in date order, so
// PostgreSQL walked every post of the kind by date and dropped other authors' (20,000 rows read
// for 5,000 at 100,000 posts). The dashboard counts her posts of a kind in a state from the same
// index, without reading the posts.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('posts_author_kind_idx').on('posts').columns(['author_id', 'kind', 'published_at', 'status']).execute();
}
