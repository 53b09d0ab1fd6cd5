// Moving in: imported posts and comments keep their source HTML. `source_format` says what the
// `markdown` column holds, so the HTML can be shown (sanitized) rather than read as Markdown.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('posts')
    .addColumn('source_format', 'text', (c) => c.notNull().defaultTo('markdown'))
    .execute();
  await db.schema
    .alterTable('comments')
    .addColumn('source_format', 'text', (c) => c.notNull().defaultTo('markdown'))
    .execute();
}
