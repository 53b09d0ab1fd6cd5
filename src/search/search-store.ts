// Full-text search over published posts: what may be found and how it is asked, in the index's
// language; how each database matches and ranks (FTS5 with bm25, tsvector with ts_rank) is
// src/db/full-text.ts's.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { postsMatchingAnyWord, searchPostText } from '../db/full-text.js';
import { EXTERNAL_KIND } from '../db/tables.js';
import type { Locale } from '../i18n/locales.js';
import { indexLocale } from './search-index.js';
import { MARK_END, MARK_START, type SearchTerms, toFts5 } from './search-query.js';
import { stemWord, textLanguage } from './stemming.js';

/** How many of the newest matching posts a search ranks (src/db/full-text.ts). */
export { RANKED_MATCHES } from '../db/full-text.js';

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
  const locale = await indexLocale(db);
  const stemmed = stemTerms(terms, locale);
  return searchPostText(db, {
    terms,
    fts5: toFts5(stemmed),
    snippetOf: (markdown) => stemmedSnippet(markdown, stemmed, locale),
    lang: textLanguage(locale),
    visible: visible(now),
    marks: { start: MARK_START, end: MARK_END },
    limit,
    offset,
  });
}

/** A prefix as the index holds it: its stem when that is shorter ("cancione*" finds "cancion"). */
const stemPrefix = (prefix: string, locale: Locale) => {
  const stem = stemWord(prefix, locale);
  return prefix.toLowerCase().startsWith(stem) ? stem : prefix.toLowerCase();
};

/** The terms as SQLite's index holds words: stemmed (src/search/stemming.ts). */
export function stemTerms(t: SearchTerms, locale: Locale): SearchTerms {
  return {
    phrases: t.phrases.map((p) => p.map((w) => stemWord(w, locale))),
    words: t.words.map((w) => stemWord(w, locale)),
    prefixes: t.prefixes.map((w) => stemPrefix(w, locale)),
  };
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const SNIPPET_WORDS = 24;

/**
 * A snippet of the text around its first matching word, every matching word between MARK_START
 * and MARK_END: what FTS5's snippet() gives, but matched by stems, which the stored text is not.
 */
export function stemmedSnippet(text: string, stemmed: SearchTerms, locale: Locale): string {
  const wanted = new Set([...stemmed.words, ...stemmed.phrases.flat()]);
  const matches = (word: string) => {
    const stem = stemWord(word, locale);
    return wanted.has(stem) || stemmed.prefixes.some((p) => stem.startsWith(p) || word.toLowerCase().startsWith(p));
  };
  const words = [...text.matchAll(WORD)];
  if (words.length === 0) return '';
  const first = Math.max(
    0,
    words.findIndex((w) => matches(w[0])),
  );
  const start = Math.max(0, Math.min(first - 4, words.length - SNIPPET_WORDS));
  const end = Math.min(words.length, start + SNIPPET_WORDS);
  let out = start > 0 ? '…' : '';
  let at = (words[start] as RegExpExecArray).index;
  for (let i = start; i < end; i++) {
    const w = words[i] as RegExpExecArray;
    out += text.slice(at, w.index);
    out += matches(w[0]) ? `${MARK_START}${w[0]}${MARK_END}` : w[0];
    at = w.index + w[0].length;
  }
  return end < words.length ? `${out}…` : out;
}

// Other sites' pages (src/sites) hold no writing of this site: never found here.
const visible = (now: number) => sql`p.status in ('published', 'scheduled') and p.published_at <= ${now} and p.kind <> ${EXTERNAL_KIND}`;

/**
 * How many of each tag's newest posts are weighed for "read next". Counting shared tags over every
 * post of a tag reads them all: 3 s a page at 100,000 posts in 8 tags (bench/SCALE.md).
 */
const PER_TAG = 200;

/**
 * How many of the newest posts sharing a word of the title are ranked for "read next": ranking
 * every post that shares a common word reads them all, 1 to 3 s at 100,000 posts (bench:scale).
 */
const TITLE_MATCHES = 200;

/**
 * Posts like this one, for "read next": shared tags count most (among each tag's newest PER_TAG
 * posts; ids are time-ordered), then text similarity of titles (an OR query of the post's title
 * words against the index, among the TITLE_MATCHES newest posts it finds).
 */
export async function relatedPosts(db: Db, post: { id: string; title: string; kind: string }, now: number, limit: number) {
  const tags = await db.selectFrom('post_tags').select('tag_id').where('post_id', '=', post.id).execute();
  const scores = new Map<string, number>();
  for (const { tag_id } of tags) {
    const { rows } = await sql<{ id: string }>`
      select pt.post_id as id from post_tags pt join posts p on p.id = pt.post_id
      where pt.tag_id = ${tag_id} and pt.post_id <> ${post.id} and p.kind = 'post' and ${visible(now)}
      order by pt.post_id desc
      limit ${PER_TAG}`.execute(db);
    for (const r of rows) scores.set(r.id, (scores.get(r.id) ?? 0) + 10);
  }

  const titleWords = (post.title.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).slice(0, 8);
  if (titleWords.length > 0) {
    const textHits = await postsMatchingAnyWord(db, {
      words: titleWords,
      lang: textLanguage(await indexLocale(db)),
      where: sql`p.id <> ${post.id} and p.kind = 'post' and ${visible(now)}`,
      limit: 20,
      among: TITLE_MATCHES,
    });
    for (const hit of textHits) scores.set(hit.id, (scores.get(hit.id) ?? 0) + Math.min(Number(hit.score), 9));
  }
  const ranked = [...scores.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([id]) => id);
  if (ranked.length === 0) return [];
  const rows = await db.selectFrom('posts').select(['id', 'slug', 'title', 'excerpt', 'published_at']).where('id', 'in', ranked).execute();
  return ranked.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
}
