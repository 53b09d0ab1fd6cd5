// What the search index holds, in the site's language. SQLite: posts_fts holds each post's words
// stemmed here (src/search/stemming.ts). PostgreSQL: each post's vector is made by the text search
// configuration in posts.search_config, whose default is the site's. search_language names the
// language the index was made in; changing the site's language makes the index again. How each
// database keeps its index is src/db/full-text.ts's.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { dropPostText, indexPostText, reindexAllText, type TextLanguage } from '../db/full-text.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import { textLanguage } from './stemming.js';

interface Indexable {
  id: string;
  title: string;
  excerpt: string;
  markdown: string;
}

/** The language the index is made in (and queries are stemmed by). */
export async function indexLocale(db: Db): Promise<Locale> {
  const { rows } = await sql<{ locale: string }>`select locale from search_language where id = 1`.execute(db);
  const locale = rows[0]?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The index's language, as the full-text queries ask for it. */
export async function indexLanguage(db: Db): Promise<TextLanguage> {
  return textLanguage(await indexLocale(db));
}

/** Puts a post's words in the SQLite index (PostgreSQL's vector is a generated column). */
export async function indexPost(db: Db, post: Indexable, created = false): Promise<void> {
  await indexPostText(db, { id: post.id, title: post.title, excerpt: post.excerpt, body: post.markdown }, await indexLanguage(db), created);
}

export async function unindexPost(db: Db, postId: string): Promise<void> {
  await dropPostText(db, postId);
}

/**
 * Makes the index speak `locale`, when it does not yet (at start, and when the site's language
 * changes). Returns how many posts were indexed again.
 */
export async function alignSearchLanguage(db: Db, locale: Locale): Promise<number> {
  const { rows } = await sql<{ locale: string }>`select locale from search_language where id = 1`.execute(db);
  if (rows[0]?.locale === locale) return 0;
  return db.transaction().execute(async (trx) => {
    const count = await reindexAllText(trx, textLanguage(locale));
    await sql`update search_language set locale = ${locale} where id = 1`.execute(trx);
    return count;
  });
}
