// Languages: a post may be written in a language of its own (posts.language; null: the site's),
// and search stems words by the site's language. PostgreSQL keeps the text search configuration
// of each post's vector in posts.search_config, whose default follows the site's language
// (src/search/search-language.ts); SQLite's FTS5 has only an English stemmer built in, so its
// index holds words stemmed by Hearth (Snowball, src/search/stemming.ts) under a plain tokenizer.
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../connect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('posts').addColumn('language', 'text').execute();
  // Which language the search index stems by; the index is made again when the site's changes.
  await db.schema
    .createTable('search_language')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('locale', 'text', (c) => c.notNull())
    .execute();
  if (isPostgres(db)) {
    await sql`insert into search_language (id, locale) values (1, 'en')`.execute(db);
    await sql`alter table posts add column search_config regconfig not null default 'english'`.execute(db);
    await sql`drop index posts_search_idx`.execute(db);
    await sql`alter table posts drop column search`.execute(db);
    await sql`alter table posts add column search tsvector generated always as (
      setweight(to_tsvector(search_config, coalesce(title, '')), 'A') ||
      setweight(to_tsvector(search_config, coalesce(excerpt, '')), 'B') ||
      setweight(to_tsvector(search_config, coalesce(markdown, '')), 'C')
    ) stored`.execute(db);
    await sql`create index posts_search_idx on posts using gin (search)`.execute(db);
    return;
  }
  await sql`drop table posts_fts`.execute(db);
  await sql`create virtual table posts_fts using fts5(
    post_id unindexed, title, excerpt, body,
    tokenize = 'unicode61 remove_diacritics 2'
  )`.execute(db);
  // Empty: the index is empty until the site's language is read at start, which fills it
  // (src/search/search-index.ts); until then words are stemmed as English.
  await sql`insert into search_language (id, locale) values (1, '')`.execute(db);
}
