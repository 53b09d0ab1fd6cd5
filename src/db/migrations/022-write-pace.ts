// Comment writes at SQLite's pace on PostgreSQL too (src/comments/comment-store.ts, startThread).
//
// A comment that starts a thread is written, with its thread (summary and rendered HTML), its
// post's counts and its outbox event, in one statement. The trigger of migration 011 would empty
// that thread's HTML at the statement's end, after the thread row was written with it: it now
// leaves alone a thread's first comment. HTML kept for a thread before its first comment existed
// cannot have shown it, so nothing stale is kept by this; every other insert, update and delete
// of a comment still empties its thread's HTML.
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../connect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`create or replace function hearth_comment_thread_html() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then
          update threads set public_html = null where root_id = old.root_id and public_html is not null;
        end if;
        if tg_op = 'UPDATE' or (tg_op = 'INSERT' and new.id <> new.root_id) then
          update threads set public_html = null where root_id = new.root_id and public_html is not null;
        end if;
        return null;
      end $$`.execute(db);
    return;
  }
  await sql`drop trigger comments_thread_html_insert`.execute(db);
  await sql`create trigger comments_thread_html_insert after insert on comments when new.id <> new.root_id begin
      update threads set public_html = null where root_id = new.root_id and public_html is not null;
    end`.execute(db);
}
