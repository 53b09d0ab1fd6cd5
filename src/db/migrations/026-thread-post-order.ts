// A post's threads in id order, whatever their state. Paging counts the public threads on one side
// of a comment's (root_id above or below it, up to a cap); threads_public_page_idx holds exactly
// those, but with threads_post_idx on post_id alone the planner could take that one instead
// (statistics gathered while the post had no comments rate both the same) and read every thread
// of the post on each comment written: at a few thousand threads, most of PostgreSQL's time under
// load. Ordered by root_id, either index reads only the range it counts.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('threads_post_idx').execute();
  await db.schema.createIndex('threads_post_idx').on('threads').columns(['post_id', 'root_id']).execute();
}
