// Shared by the importer tests: where the third-party corpora are, and how to look at the result.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db/connect.js';
import type { ImportFormat, ImportSummary } from '../../src/importers/batch.js';
import type { ImportOptions, ImportService } from '../../src/importers/import-service.js';

/** The corpora live beside the project and are read in place, never copied. */
export const CORPORA = path.resolve(import.meta.dirname, '../../../shared/corpora');

export const corpus = (...parts: string[]) => path.join(CORPORA, ...parts);

export interface ManifestEntry {
  well_formed_xml: boolean;
  items?: number;
  post_types?: Record<string, number>;
  post_statuses?: Record<string, number>;
  comments?: number;
  comments_with_parent?: number;
  max_reply_depth?: number;
  comment_approved_values?: Record<string, number>;
  comment_types?: Record<string, number>;
}

export function manifest(folder: string): Record<string, ManifestEntry> {
  return (JSON.parse(fs.readFileSync(corpus(folder, 'MANIFEST.json'), 'utf8')) as { files: Record<string, ManifestEntry> }).files;
}

export function importFile(imports: ImportService, format: ImportFormat, file: string, options?: ImportOptions): Promise<ImportSummary> {
  return imports.importStream(format, fs.createReadStream(file, { highWaterMark: 16 * 1024 }), options);
}

/** Imports text held in memory (tests that build their own small exports). */
export function importText(imports: ImportService, format: ImportFormat, text: string, options?: ImportOptions): Promise<ImportSummary> {
  async function* chunks() {
    // Small, uneven pieces: every boundary case of the streaming readers gets exercised.
    for (let i = 0; i < text.length; i += 37) yield text.slice(i, i + 37);
  }
  return imports.importStream(format, chunks(), options);
}

/** The whole database as a backup's lines, minus the header's time: equal means identical. */
export async function snapshot(imports: ImportService): Promise<string> {
  let out = '';
  await imports.exportJson(async (chunk) => {
    out += chunk;
  });
  return out.slice(out.indexOf('\n') + 1);
}

export async function countRows(db: Db, table: 'posts' | 'comments' | 'users' | 'tags' | 'redirects' | 'threads'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A small WXR 1.2 file around the given channel body. */
export function wxr(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test</title><link>https://old.example.com</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example.com</wp:base_blog_url>
${body}
</channel></rss>`;
}

export function wxrItem(id: number, title: string, comments: string[]): string {
  const slug = title.toLowerCase().replace(/\W+/g, '-');
  return `<item><title>${title}</title><link>https://old.example.com/2020/01/02/${slug}/</link><dc:creator>wren</dc:creator>
<content:encoded><![CDATA[First line
second line

Another paragraph.]]></content:encoded><wp:post_id>${id}</wp:post_id><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>${slug}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>${comments.join('')}</item>`;
}

export function comment(id: number, parent: number, email: string, userId: number, approved: string, text: string): string {
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[${email.split('@')[0]}]]></wp:comment_author>
<wp:comment_author_email>${email}</wp:comment_author_email><wp:comment_date_gmt>2020-01-${10 + (id % 20)} 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[${text}]]></wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved>
<wp:comment_parent>${parent}</wp:comment_parent><wp:comment_user_id>${userId}</wp:comment_user_id></wp:comment>`;
}
