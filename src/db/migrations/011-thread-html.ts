// A thread's public HTML, rendered when the thread changes and kept beside its summary, so a post
// page reads one row per thread instead of every comment (src/comments/thread-html.ts).
//
// Triggers, not callers, mark it stale: any write to a comment (a reader's edit, moderation, an
// import, a data erasure), a staff member's role (her comments' badge) or a post's slug (reply
// links) empties the stored HTML of the threads it touches, whatever code made the write. An empty
// thread is rendered again from its rows, by the write that changed it or in the background.

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { isPostgres } from '../connect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('threads').addColumn('public_html', 'text').execute();
  // What the HTML was rendered with (renderer version and reply depth): another key means stale.
  await db.schema.alterTable('threads').addColumn('html_key', 'text').execute();

  if (isPostgres(db)) {
    await sql`create function hearth_comment_thread_html() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then
          update threads set public_html = null where root_id = old.root_id and public_html is not null;
        end if;
        if tg_op <> 'DELETE' then
          update threads set public_html = null where root_id = new.root_id and public_html is not null;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger comments_thread_html after insert or update or delete on comments
      for each row execute function hearth_comment_thread_html()`.execute(db);
    await sql`create function hearth_staff_thread_html() returns trigger language plpgsql as $$
      begin
        update threads set public_html = null
          where public_html is not null and root_id in (select root_id from comments where staff_user_id = old.id);
        return null;
      end $$`.execute(db);
    await sql`create trigger users_thread_html after update of role or delete on users
      for each row execute function hearth_staff_thread_html()`.execute(db);
    await sql`create function hearth_post_thread_html() returns trigger language plpgsql as $$
      begin
        if new.slug is distinct from old.slug then
          update threads set public_html = null where post_id = new.id and public_html is not null;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger posts_thread_html after update of slug on posts
      for each row execute function hearth_post_thread_html()`.execute(db);
    return;
  }

  await sql`create trigger comments_thread_html_insert after insert on comments begin
      update threads set public_html = null where root_id = new.root_id and public_html is not null;
    end`.execute(db);
  await sql`create trigger comments_thread_html_update after update on comments begin
      update threads set public_html = null where root_id in (old.root_id, new.root_id) and public_html is not null;
    end`.execute(db);
  await sql`create trigger comments_thread_html_delete after delete on comments begin
      update threads set public_html = null where root_id = old.root_id and public_html is not null;
    end`.execute(db);
  await sql`create trigger users_thread_html_role after update of role on users begin
      update threads set public_html = null
        where public_html is not null and root_id in (select root_id from comments where staff_user_id = old.id);
    end`.execute(db);
  await sql`create trigger users_thread_html_delete after delete on users begin
      update threads set public_html = null
        where public_html is not null and root_id in (select root_id from comments where staff_user_id = old.id);
    end`.execute(db);
  await sql`create trigger posts_thread_html_slug after update of slug on posts when new.slug is not old.slug begin
      update threads set public_html = null where post_id = new.id and public_html is not null;
    end`.execute(db);
}
