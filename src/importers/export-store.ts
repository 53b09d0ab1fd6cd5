// Reads for the exports, in pages, so an export of any size holds one page at a time.
import { type Kysely, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { CommentRow, PostRow, TagRow, UserRow } from '../db/tables.js';

export function usersInOrder(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
}

export function tagsInOrder(db: Db): Promise<TagRow[]> {
  return db.selectFrom('tags').selectAll().orderBy('slug').execute();
}

/** Posts after `afterId` (ids are time-ordered UUIDv7), oldest first. */
export function postsPage(db: Db, afterId: string | null, limit: number): Promise<PostRow[]> {
  let q = db.selectFrom('posts').selectAll().orderBy('id').limit(limit);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.execute();
}

export function tagsOfPosts(db: Db, postIds: readonly string[]) {
  if (postIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['post_tags.post_id', 'tags.slug', 'tags.name'])
    .where('post_tags.post_id', 'in', postIds)
    .orderBy('post_tags.position')
    .execute();
}

export function commentsOfPost(db: Db, postId: string): Promise<CommentRow[]> {
  return db.selectFrom('comments').selectAll().where('post_id', '=', postId).orderBy('created_at').orderBy('id').execute();
}

/** The backup's view of the schema: any table, rows as plain objects. */
type Loose = Kysely<Record<string, Record<string, unknown>>>;

/** A page of a table's rows in key order, after the given key (composite keys compared in order). */
export async function rowsPage(
  db: Db,
  table: string,
  key: readonly string[],
  after: readonly unknown[] | null,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const order = sql.join(key.map((k) => sql.ref(k)));
  let where = sql`1 = 1`;
  if (after !== null) {
    // (a, b) > (x, y) written out, as SQLite and PostgreSQL both read it.
    const ors = key.map((k, i) => {
      const equal = key.slice(0, i).map((p, j) => sql`${sql.ref(p)} = ${after[j]}`);
      return sql.join([...equal, sql`${sql.ref(k)} > ${after[i]}`], sql` and `);
    });
    where = sql`(${sql.join(
      ors.map((o) => sql`(${o})`),
      sql` or `,
    )})`;
  }
  const result = await sql<
    Record<string, unknown>
  >`select * from ${sql.table(table)} where ${where} order by ${order} limit ${limit}`.execute(db);
  return result.rows;
}

/** Inserts rows, leaving those whose key is already there; returns how many were added. */
export async function insertRows(db: Db, table: string, key: readonly string[], rows: Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await (db as unknown as Loose)
    .insertInto(table)
    .values(rows)
    .onConflict((oc) => oc.columns(key as string[]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Settings restore over what is there: a backup brings its site's configuration back. */
export async function upsertSetting(db: Db, row: { key: string; value: string; updated_at: number }): Promise<void> {
  await db
    .insertInto('settings')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
    .execute();
}
