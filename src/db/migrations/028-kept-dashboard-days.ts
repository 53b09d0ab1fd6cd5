// The dashboard's figures of whole days, kept once computed (src/dashboard/kept-days.ts): read
// from every comment of the last 30 days and 12 weeks, they took 0.7 to 0.8 s a view at 10 million
// comments (bench/SCALE.md), most of it for days whose figures had not changed.
//
// comment_days holds one row per day and viewer's part (scope: '' for every post, or an author's
// id): her readers' comments by post, and the waits for a first staff reply to the questions of
// that day. Each row records the day's mark when it was computed; comment_day_marks counts the
// changes to each day, and triggers (not callers) move a day's mark whenever a write could change
// its figures, whatever code made it: a comment's state, time, post or thread changing or the
// comment going, a staff comment written (its thread's first question may now be answered), an
// old comment written (restored from a backup, or given an earlier time). A kept row whose mark
// differs from its day's is stale and computed again. Day -1 is every day's: a post changing
// author moves it, and so does an import (below).
//
// A reader's comment written now moves nothing: the hot path of posting touches no shared row.
// The dashboard keeps a day only once it ended more than an hour ago (KEEP_AFTER_MS), and a
// comment written within the hour (by the database's clock) cannot belong to such a day. An
// import's comments (those with a `source`) move nothing one by one either: the importer moves
// every day's mark once per batch it writes (src/importers/import-store.ts), as a mark per comment
// cost an import of 100,000 comments 7% of its time.
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../connect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('comment_days')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('mark', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_days_pk', ['scope', 'day'])
    .execute();
  await db.schema
    .createTable('comment_day_marks')
    .addColumn('day', 'bigint', (c) => c.primaryKey())
    .addColumn('mark', 'bigint', (c) => c.notNull())
    .execute();

  // A null day (a staff reply whose thread's root is already gone) marks nothing.
  if (isPostgres(db)) {
    await sql`create function hearth_mark_comment_day(d bigint) returns void language sql as $$
        insert into comment_day_marks (day, mark) select d, 1 where d is not null
        on conflict (day) do update set mark = comment_day_marks.mark + 1
      $$`.execute(db);
    await sql`create function hearth_comment_days() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          if new.source is not null then
            return null;
          elsif new.staff_user_id is not null then
            perform hearth_mark_comment_day((select c.created_at / 86400000 from comments c where c.id = new.root_id));
          elsif new.created_at < (extract(epoch from now()) * 1000)::bigint - 3600000 then
            perform hearth_mark_comment_day(new.created_at / 86400000);
          end if;
          return null;
        end if;
        if tg_op = 'UPDATE' and new.status is not distinct from old.status and new.created_at = old.created_at
          and new.post_id = old.post_id and new.root_id = old.root_id
          and new.staff_user_id is not distinct from old.staff_user_id then
          return null;
        end if;
        perform hearth_mark_comment_day(old.created_at / 86400000);
        if old.staff_user_id is not null then
          perform hearth_mark_comment_day((select c.created_at / 86400000 from comments c where c.id = old.root_id));
        end if;
        if tg_op = 'UPDATE' then
          perform hearth_mark_comment_day(new.created_at / 86400000);
          if new.staff_user_id is not null then
            perform hearth_mark_comment_day((select c.created_at / 86400000 from comments c where c.id = new.root_id));
          end if;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger comments_days after insert or delete or update of status, created_at, post_id, root_id, staff_user_id
      on comments for each row execute function hearth_comment_days()`.execute(db);
    await sql`create function hearth_post_author_days() returns trigger language plpgsql as $$
      begin
        if new.author_id is distinct from old.author_id then
          perform hearth_mark_comment_day(-1);
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger posts_author_days after update of author_id on posts
      for each row execute function hearth_post_author_days()`.execute(db);
    return;
  }

  // SQLite: the same marks, one statement per case (an upsert from a SELECT needs its WHERE).
  const mark = (day: string) =>
    sql.raw(`insert into comment_day_marks (day, mark) select ${day}, 1 where ${day} is not null
        on conflict (day) do update set mark = mark + 1;`);
  const rootDay = (row: 'new' | 'old') => `(select c.created_at / 86400000 from comments c where c.id = ${row}.root_id)`;
  await sql`create trigger comments_days_staff_insert after insert on comments
      when new.source is null and new.staff_user_id is not null begin
      ${mark(rootDay('new'))}
    end`.execute(db);
  await sql`create trigger comments_days_old_insert after insert on comments
      when new.source is null and new.staff_user_id is null
        and new.created_at < (julianday('now') - 2440587.5) * 86400000 - 3600000 begin
      ${mark('new.created_at / 86400000')}
    end`.execute(db);
  await sql`create trigger comments_days_update after update of status, created_at, post_id, root_id, staff_user_id on comments
      when new.status is not old.status or new.created_at <> old.created_at or new.post_id <> old.post_id
        or new.root_id <> old.root_id or new.staff_user_id is not old.staff_user_id begin
      ${mark('old.created_at / 86400000')}
      ${mark('new.created_at / 86400000')}
      ${mark(`case when old.staff_user_id is not null then ${rootDay('old')} end`)}
      ${mark(`case when new.staff_user_id is not null then ${rootDay('new')} end`)}
    end`.execute(db);
  await sql`create trigger comments_days_delete after delete on comments begin
      ${mark('old.created_at / 86400000')}
      ${mark(`case when old.staff_user_id is not null then ${rootDay('old')} end`)}
    end`.execute(db);
  await sql`create trigger posts_author_days after update of author_id on posts when new.author_id is not old.author_id begin
      ${mark('-1')}
    end`.execute(db);
}
