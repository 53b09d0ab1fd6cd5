// Reading to share: an author's own published posts as candidates for a reply. Full-text
// similarity runs on FTS5 (bm25) on SQLite and on the tsvector column (ts_rank) on PostgreSQL,
// like src/search/search-store.ts; the rest is portable.
import { sql } from 'kysely';
import { type Db, isPostgres } from '../db/connect.js';
import type { PostKind } from '../db/tables.js';
import { visibleAt } from '../posts/post-store.js';

export interface ShareablePost {
  id: string;
  slug: string;
  title: string;
}

/** Every published post (or program) of an author, for finding the ones a reader names. */
export function publishedOf(db: Db, authorId: string, kind: PostKind, now: number, limit: number): Promise<ShareablePost[]> {
  return db
    .selectFrom('posts')
    .select(['posts.id', 'posts.slug', 'posts.title'])
    .where('posts.author_id', '=', authorId)
    .where('posts.kind', '=', kind)
    .where(visibleAt(now))
    .orderBy('posts.published_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The author's published posts most similar to the given words, best first: any word may match
 * (an OR query), and posts matching more and rarer words, in the title above all, rank higher.
 * Words are letters and digits only (see significantWords), so quoting them is enough for FTS5.
 */
export async function postsMatching(
  db: Db,
  q: { authorId: string; words: readonly string[]; excludeId: string; now: number; limit: number },
): Promise<ShareablePost[]> {
  if (q.words.length === 0) return [];
  const visible = sql`p.kind = 'post' and p.status in ('published', 'scheduled') and p.published_at <= ${q.now}`;
  if (isPostgres(db)) {
    const query = sql.join(
      q.words.map((w) => sql`plainto_tsquery('english', ${w})`),
      sql` || `,
    );
    const rows = await sql<ShareablePost>`
      select p.id, p.slug, p.title
      from posts p, (select ${query} as q) query
      where p.search @@ query.q and p.author_id = ${q.authorId} and p.id <> ${q.excludeId} and ${visible}
      order by ts_rank(p.search, query.q) desc, p.published_at desc
      limit ${q.limit}`.execute(db);
    return rows.rows;
  }
  const match = q.words.map((w) => `"${w}"`).join(' OR ');
  const rows = await sql<ShareablePost>`
    select p.id, p.slug, p.title
    from posts_fts join posts p on p.id = posts_fts.post_id
    where posts_fts match ${match} and p.author_id = ${q.authorId} and p.id <> ${q.excludeId} and ${visible}
    order by bm25(posts_fts, 0, 10, 4, 1), p.published_at desc
    limit ${q.limit}`.execute(db);
  return rows.rows;
}
