// Where a comment came from: written on the site (the form, the API, the workspace), sent by
// email (src/mailin), from the fediverse (ActivityPub) or from another web page (Webmention).
// Threads and the inbox show it, and an answer goes back the way the words came. origin_url is
// the words' own address elsewhere (the reader's Note, the page that mentioned the post).
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('comments')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('site'))
    .execute();
  await db.schema.alterTable('comments').addColumn('origin_url', 'text').execute();
  // Replies by email already placed in threads (014-mail-in) say so from now on.
  await sql`update comments set origin = 'email'
    where id in (select comment_id from inbound_mail where comment_id is not null)`.execute(db);
}
