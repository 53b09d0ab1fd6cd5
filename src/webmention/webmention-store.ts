// Webmentions received and sent (020-webmentions): rows in, rows out, counts. No rules here.
import type { Db } from '../db/connect.js';
import type { PostRow, WebmentionKind, WebmentionRow, WebmentionSendsTable } from '../db/tables.js';

export function findPublishedPost(db: Db, slug: string, now: number): Promise<PostRow | undefined> {
  return db
    .selectFrom('posts')
    .selectAll()
    .where('slug', '=', slug)
    .where('status', '=', 'published')
    .where('published_at', '<=', now)
    .executeTakeFirst() as Promise<PostRow | undefined>;
}

export function findPost(db: Db, id: string): Promise<PostRow | undefined> {
  return db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PostRow | undefined>;
}

export function findMention(db: Db, id: string): Promise<WebmentionRow | undefined> {
  return db.selectFrom('webmentions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findBySource(db: Db, source: string, postId: string): Promise<WebmentionRow | undefined> {
  return db.selectFrom('webmentions').selectAll().where('source', '=', source).where('post_id', '=', postId).executeTakeFirst();
}

export async function insertMention(db: Db, row: WebmentionRow): Promise<void> {
  await db.insertInto('webmentions').values(row).execute();
}

export async function updateMention(db: Db, id: string, patch: Partial<Omit<WebmentionRow, 'id' | 'post_id' | 'source'>>): Promise<void> {
  await db.updateTable('webmentions').set(patch).where('id', '=', id).execute();
}

/** Verified likes, reposts, bookmarks and mentions of a post, by kind (replies are its comments). */
export async function countsFor(db: Db, postId: string): Promise<Partial<Record<WebmentionKind, number>>> {
  const rows = await db
    .selectFrom('webmentions')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('post_id', '=', postId)
    .where('status', '=', 'verified')
    .where('kind', '!=', 'reply')
    .groupBy('kind')
    .execute();
  const counts: Partial<Record<WebmentionKind, number>> = {};
  for (const r of rows) if (r.kind) counts[r.kind] = Number(r.n);
  return counts;
}

export interface RecentMention extends WebmentionRow {
  post_slug: string;
  post_title: string;
}

export async function recentMentions(db: Db, limit: number): Promise<{ rows: RecentMention[]; total: number }> {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('webmentions')
      .innerJoin('posts', 'posts.id', 'webmentions.post_id')
      .selectAll('webmentions')
      .select(['posts.slug as post_slug', 'posts.title as post_title'])
      .orderBy('webmentions.received_at', 'desc')
      .orderBy('webmentions.id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('webmentions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function sendsOf(db: Db, postId: string): Promise<WebmentionSendsTable[]> {
  return db.selectFrom('webmention_sends').selectAll().where('post_id', '=', postId).execute();
}

export async function recordSend(db: Db, row: WebmentionSendsTable): Promise<void> {
  await db
    .insertInto('webmention_sends')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['post_id', 'target'])
        .doUpdateSet({ endpoint: row.endpoint, status: row.status, linked: row.linked, sent_at: row.sent_at }),
    )
    .execute();
}
