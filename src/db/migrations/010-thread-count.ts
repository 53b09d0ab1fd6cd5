// A post keeps how many of its threads readers see (threads with a published public comment), so
// the page a comment falls on, and the number of pages, need not count every thread of the post.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('posts')
    .addColumn('public_thread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update posts set public_thread_count = (
    select count(*) from threads t where t.post_id = posts.id and t.public_count > 0
  )`.execute(db);
}
