// Reading a post: its newer and older neighbours are found by walking posts in time order, so the
// walk needs an index in that order (the listing index starts with the status, which a "published
// or scheduled" filter cannot use for ordering).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('posts_timeline_idx').on('posts').columns(['kind', 'published_at', 'id']).execute();
}
