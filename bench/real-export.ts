// The largest conversation of a real WordPress export in the corpora: "Template: Comments" of the
// WordPress theme unit test data (20 comments, replies nested ten levels deep, real markup). No
// export there holds a 200-comment post, so a second post carries the same 20 comments ten times
// over (each copy with its own ids, its replies under its own copy's parents): 200 comments of
// real words and shapes. Both are imported through Hearth's WordPress importer, as a site moves in.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { systemClock } from '../src/clock.js';
import type { Connection } from '../src/db/connect.js';
import { createImportService } from '../src/importers/import-service.js';
import { createMarkdownRenderer } from '../src/render/markdown.js';

const CORPUS = '/work/shared/corpora/wxr-wordpress-importer/phpunit-data/theme-unit-test-data.xml';
export const REAL_EXPORT_FILE = process.env.BENCH_REAL_WXR ?? CORPUS;
export const REAL_POST = 'template-comments';
export const REAL_POST_200 = 'template-comments-times-ten';
const COPIES = 10;

/** The export's "Template: Comments" item with its comments copied `COPIES` times, as a post of its own. */
function tenfold(item: string): string {
  const comments = item.match(/<wp:comment>[\s\S]*?<\/wp:comment>/g) ?? [];
  const head = item.slice(0, item.indexOf('<wp:comment>'));
  const tail = item.slice(item.lastIndexOf('</wp:comment>') + '</wp:comment>'.length);
  const copies: string[] = [];
  for (let k = 0; k < COPIES; k++) {
    for (const c of comments) {
      copies.push(
        c
          .replace(/<wp:comment_id>(\d+)<\/wp:comment_id>/, (_, id) => `<wp:comment_id>${Number(id) + k * 100_000}</wp:comment_id>`)
          .replace(
            /<wp:comment_parent>(\d+)<\/wp:comment_parent>/,
            (_, id) => `<wp:comment_parent>${Number(id) === 0 ? 0 : Number(id) + k * 100_000}</wp:comment_parent>`,
          ),
      );
    }
  }
  return (head + copies.join('\n') + tail)
    .replace(/<wp:post_name>[\s\S]*?<\/wp:post_name>/, `<wp:post_name><![CDATA[${REAL_POST_200}]]></wp:post_name>`)
    .replace(/<wp:post_id>(\d+)<\/wp:post_id>/, '<wp:post_id>900001</wp:post_id>')
    .replace(/<title>[\s\S]*?<\/title>/, '<title>Template: Comments, ten times over</title>')
    .replace(/<link>[\s\S]*?<\/link>/, `<link>https://wpthemetestdata.wordpress.com/${REAL_POST_200}/</link>`)
    .replace(/<guid[^>]*>[\s\S]*?<\/guid>/, `<guid isPermaLink="false">https://wpthemetestdata.wordpress.com/?p=900001</guid>`);
}

/** Imports the real export and the tenfold post; the number of comments of each, by slug. */
export async function importRealExport(conn: Connection): Promise<void> {
  const xml = fs.readFileSync(REAL_EXPORT_FILE, 'utf8');
  const items = xml.match(/<item>[\s\S]*?<\/item>/g) ?? [];
  const item = items.find((i) => new RegExp(`<wp:post_name>(<!\\[CDATA\\[)?${REAL_POST}(\\]\\]>)?</wp:post_name>`).test(i));
  if (!item) throw new Error(`${path.basename(REAL_EXPORT_FILE)} has no post ${REAL_POST}`);
  const last = xml.lastIndexOf('</item>') + '</item>'.length;
  const withTenfold = `${xml.slice(0, last)}\n${tenfold(item)}${xml.slice(last)}`;
  const imports = createImportService({
    db: conn.db,
    clock: systemClock,
    markdown: createMarkdownRenderer(),
    baseUrl: 'http://127.0.0.1',
    site: async () => ({ title: 'Bench', description: '' }),
  });
  await imports.importStream('wordpress', Readable.from([withTenfold]));
}
