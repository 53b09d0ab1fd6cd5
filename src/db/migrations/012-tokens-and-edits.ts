// API tokens may expire, and are listed per account (the Account page, `hearth token list`); a
// comment remembers who last changed its words, so staff see "edited by <name>" beside it.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // Null: the token works until it is revoked.
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  // 'writer' or a staff user id, as comment_revisions.edited_by; null while never edited.
  await db.schema.alterTable('comments').addColumn('edited_by', 'text').execute();
  // Comments edited before this knew it only from their history: the latest edit's author. A
  // writer's deletion is kept in the history too, but it is not an edit of the words.
  await sql`update comments set edited_by = (
      select r.edited_by from comment_revisions r
      where r.comment_id = comments.id and r.edited_by <> 'writer:deleted'
      order by r.edited_at desc, r.id desc limit 1
    ) where edited_at is not null`.execute(db);
}
