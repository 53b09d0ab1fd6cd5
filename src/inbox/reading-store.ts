// Reading to share: an author's own published posts as candidates for a reply. Full-text
// similarity runs on either database through src/db/full-text.ts, like src/search/search-store.ts,
// in the search index's language (the caller reads it, once for many lookups).
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { postsMatchingAnyWord, type TextLanguage } from '../db/full-text.js';
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
 * How many of the author's newest matching posts are ranked for a reply: every inbox entry asks, and
 * an author of thousands of posts would otherwise have all of them read for each (bench/SCALE.md).
 */
const CANDIDATES = 200;

/**
 * The author's published posts most similar to the given words, best first: any word may match
 * (an OR query), and posts matching more and rarer words, in the title above all, rank higher.
 * Words are letters and digits only (see significantWords), so quoting them is enough for FTS5.
 */
export async function postsMatching(
  db: Db,
  q: { authorId: string; words: readonly string[]; excludeId: string; now: number; limit: number; lang: TextLanguage },
): Promise<ShareablePost[]> {
  const visible = sql`p.kind = 'post' and p.status in ('published', 'scheduled') and p.published_at <= ${q.now}`;
  const rows = await postsMatchingAnyWord(db, {
    words: q.words,
    lang: q.lang,
    where: sql`p.author_id = ${q.authorId} and p.id <> ${q.excludeId} and ${visible}`,
    limit: q.limit,
    newestFirst: true,
    among: CANDIDATES,
  });
  return rows.map((r) => ({ id: r.id, slug: r.slug, title: r.title }));
}
