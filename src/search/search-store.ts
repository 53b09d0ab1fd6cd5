// Full-text search over published posts: FTS5 with bm25 on SQLite, tsvector with ts_rank on
// PostgreSQL. One function hides the difference.
import { sql } from 'kysely';
import { type Db, isPostgres } from '../db/connect.js';
import { MARK_END, MARK_START, type SearchTerms, toFts5 } from './search-query.js';

export interface SearchHit {
  id: string;
  slug: string;
  title: string;
  published_at: number | null;
  excerpt: string;
  /** Raw snippet with MARK_START/MARK_END around matches; not yet escaped. */
  snippet: string;
}

export async function searchPosts(
  db: Db,
  terms: SearchTerms,
  now: number,
  limit: number,
  offset: number,
): Promise<{ hits: SearchHit[]; total: number }> {
  return isPostgres(db) ? searchPostgres(db, terms, now, limit, offset) : searchSqlite(db, terms, now, limit, offset);
}

const visible = (now: number) => sql`p.status in ('published', 'scheduled') and p.published_at <= ${now}`;

async function searchSqlite(db: Db, terms: SearchTerms, now: number, limit: number, offset: number) {
  const match = toFts5(terms);
  const hits = await sql<SearchHit>`
    select p.id, p.slug, p.title, p.published_at, p.excerpt,
      snippet(posts_fts, 3, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
    from posts_fts join posts p on p.id = posts_fts.post_id
    where posts_fts match ${match} and ${visible(now)}
    order by bm25(posts_fts, 0, 10, 4, 1), p.published_at desc
    limit ${limit} offset ${offset}`.execute(db);
  const count = await sql<{ n: number }>`
    select count(*) as n from posts_fts join posts p on p.id = posts_fts.post_id
    where posts_fts match ${match} and ${visible(now)}`.execute(db);
  return { hits: hits.rows, total: Number(count.rows[0]?.n ?? 0) };
}

/** The tsquery for the terms, built from parts PostgreSQL parses safely. */
function tsquery(terms: SearchTerms) {
  const parts = [
    ...terms.phrases.map((p) => sql`phraseto_tsquery('english', ${p.join(' ')})`),
    ...terms.words.map((w) => sql`plainto_tsquery('english', ${w})`),
    // Prefix words are letters and digits only (see parseSearchQuery), so ':*' is safe to append.
    ...terms.prefixes.map((w) => sql`to_tsquery('simple', ${`${w}:*`})`),
  ];
  return sql.join(parts, sql` && `);
}

async function searchPostgres(db: Db, terms: SearchTerms, now: number, limit: number, offset: number) {
  const q = tsquery(terms);
  const hits = await sql<SearchHit>`
    with query as (select ${q} as q),
    ranked as (
      select p.id, p.slug, p.title, p.published_at, p.excerpt, p.markdown, ts_rank(p.search, query.q) as rank
      from posts p, query
      where p.search @@ query.q and ${visible(now)}
      order by rank desc, p.published_at desc
      limit ${limit} offset ${offset}
    )
    select ranked.id, ranked.slug, ranked.title, ranked.published_at, ranked.excerpt,
      ts_headline('english', ranked.markdown, query.q,
        ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "`}) as snippet
    from ranked, query
    order by ranked.rank desc, ranked.published_at desc`.execute(db);
  const count = await sql<{ n: number }>`
    select count(*) as n from posts p where p.search @@ (${q}) and ${visible(now)}`.execute(db);
  return { hits: hits.rows, total: Number(count.rows[0]?.n ?? 0) };
}

/**
 * Posts like this one, for "read next": shared tags count most, then text similarity of titles
 * (an OR query of the post's title words against the index).
 */
export async function relatedPosts(db: Db, post: { id: string; title: string; kind: string }, now: number, limit: number) {
  const tagScores = await sql<{ id: string; score: number }>`
    select pt2.post_id as id, count(*) as score
    from post_tags pt1 join post_tags pt2 on pt2.tag_id = pt1.tag_id and pt2.post_id <> pt1.post_id
    join posts p on p.id = pt2.post_id
    where pt1.post_id = ${post.id} and p.kind = 'post' and ${visible(now)}
    group by pt2.post_id`.execute(db);
  const scores = new Map(tagScores.rows.map((r) => [r.id, Number(r.score) * 10]));

  const titleWords = (post.title.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).slice(0, 8);
  if (titleWords.length > 0) {
    const textHits = isPostgres(db)
      ? await sql<{ id: string; score: number }>`
          select p.id, ts_rank(p.search, q) * 10 as score
          from posts p, to_tsquery('english', ${titleWords.join(' | ')}) q
          where p.search @@ q and p.id <> ${post.id} and p.kind = 'post' and ${visible(now)}
          order by score desc limit 20`.execute(db)
      : await sql<{ id: string; score: number }>`
          select p.id, -bm25(posts_fts, 0, 10, 4, 1) as score
          from posts_fts join posts p on p.id = posts_fts.post_id
          where posts_fts match ${titleWords.map((w) => `"${w}"`).join(' OR ')} and p.id <> ${post.id} and p.kind = 'post' and ${visible(now)}
          order by bm25(posts_fts, 0, 10, 4, 1) limit 20`.execute(db);
    for (const hit of textHits.rows) scores.set(hit.id, (scores.get(hit.id) ?? 0) + Math.min(Number(hit.score), 9));
  }
  const ranked = [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id]) => id);
  if (ranked.length === 0) return [];
  const rows = await db.selectFrom('posts').select(['id', 'slug', 'title', 'excerpt', 'published_at']).where('id', 'in', ranked).execute();
  return ranked.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
}
