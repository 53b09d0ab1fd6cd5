// Programs in the conversation: readers' sign-ups for a program (a post of kind 'program') and the
// clicks on program cards, each attributed to the post or staff reply the reader came from.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('program_signups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // A program's sign-ups go with it: the delete confirmation says so.
    .addColumn('program_id', 'text', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    // Plain ids, no foreign keys: a deleted post still accounts for the sign-ups it brought, and
    // deleting a post never has to scan this table.
    .addColumn('source_post_id', 'text')
    .addColumn('source_comment_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // One sign-up per address and program: a resent form is answered as the first time.
    .addUniqueConstraint('program_signups_email_uq', ['program_id', 'email'])
    .execute();
  await db.schema.createIndex('program_signups_list_idx').on('program_signups').columns(['program_id', 'created_at']).execute();

  await db.schema
    .createTable('link_clicks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // program (more kinds may follow: reading-to-share links)
    .addColumn('target', 'text', (c) => c.notNull()) // the program's post id
    .addColumn('source_post_id', 'text')
    .addColumn('source_comment_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // Counting the clicks of one target by source is one index range.
  await db.schema.createIndex('link_clicks_target_idx').on('link_clicks').columns(['kind', 'target', 'created_at']).execute();
}
