// Mail that came in to a reply address: each message once, with what became of it (a comment, or
// the reason it was not placed), so that nothing sent to the site is silently lost.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('inbound_mail')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    // smtp | pipe | imap
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    // The Message-ID of a message that was placed (or is being placed): unique, so the same
    // message twice is one comment even when two processes receive it at once. Null otherwise.
    .addColumn('placed_key', 'text', (c) => c.unique())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('from_name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // The comment the reply address named, and for whom it was made (reader | staff); null when none.
    .addColumn('target_comment_id', 'text')
    .addColumn('target_role', 'text')
    // placed | held | refused | ignored | dismissed
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // The new words found in it (what "place it" posts), and the comment it became.
    .addColumn('words', 'text')
    .addColumn('comment_id', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbound_mail_outcome_idx').on('inbound_mail').columns(['outcome', 'received_at']).execute();
}
