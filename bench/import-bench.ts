// `npm run bench:import`: generates WXR files of growing size (posts with threaded comments) and
// imports each into a fresh SQLite database in its own process, reporting comments/s and the
// process's peak memory. Memory should stay flat as the file grows; the target is >= 10,000
// comments/s and < 300 MB. `-- 20000 100000 300000` picks the sizes (comments).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../src/clock.js';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { createImportService } from '../src/importers/import-service.js';
import { createMarkdownRenderer } from '../src/render/markdown.js';

const COMMENTS_PER_POST = 100;
const WORDS = 'the reader wrote back about her week and what she tried and what did not work yet so she asks again'.split(' ');

function sentence(n: number): string {
  let out = '';
  for (let i = 0; i < 12 + (n % 20); i++) out += `${WORDS[(n * 7 + i * 3) % WORDS.length]} `;
  return out.trim();
}

const date = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Writes a WXR file with `comments` comments, a third of them replies, streaming to disk. */
async function generate(file: string, comments: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>https://bench.example.com</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://bench.example.com</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>writer</wp:author_login><wp:author_email>writer@example.com</wp:author_email><wp:author_display_name><![CDATA[Writer]]></wp:author_display_name></wp:author>
`);
  const start = Date.UTC(2015, 0, 1);
  let id = 0;
  for (let p = 1; id < comments; p++) {
    let item = `<item><title>Post ${p}</title><link>https://bench.example.com/2015/01/01/post-${p}/</link><dc:creator><![CDATA[writer]]></dc:creator>
<content:encoded><![CDATA[${sentence(p)}.\n\n${sentence(p + 1)}.\n${sentence(p + 2)}.]]></content:encoded><wp:post_id>${p}</wp:post_id>
<wp:post_date_gmt>${date(start + p * 86_400_000)}</wp:post_date_gmt><wp:post_name>post-${p}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="topic-${p % 20}"><![CDATA[Topic ${p % 20}]]></category>
`;
    const first = id + 1;
    for (let c = 0; c < COMMENTS_PER_POST && id < comments; c++) {
      id++;
      const parent = c % 3 === 2 ? id - 1 : 0;
      const staff = c % 10 === 5;
      item += `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[${staff ? 'Writer' : `Reader ${id % 500}`}]]></wp:comment_author>
<wp:comment_author_email>${staff ? 'writer@example.com' : `reader${id % 500}@example.com`}</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>
<wp:comment_author_IP>192.0.2.${id % 250}</wp:comment_author_IP><wp:comment_date_gmt>${date(start + p * 86_400_000 + (id - first + 1) * 60_000)}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[${sentence(id)}.\n${sentence(id + 1)}?\n\n${sentence(id + 2)} <a href="https://example.com/${id}">link</a>.]]></wp:comment_content>
<wp:comment_approved>${id % 50 === 0 ? '0' : '1'}</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent><wp:comment_user_id>${staff ? 1 : 0}</wp:comment_user_id></wp:comment>
`;
    }
    await write(`${item}</item>\n`);
  }
  await write('</channel></rss>\n');
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return fs.statSync(file).size;
}

/** One measured import, in this process: prints a JSON line. */
async function measure(comments: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-import-bench-'));
  try {
    const file = path.join(dir, 'export.xml');
    const bytes = await generate(file, comments);
    const conn = await connect({ kind: 'sqlite', file: path.join(dir, 'hearth.db') });
    await migrate(conn.db);
    const imports = createImportService({
      db: conn.db,
      clock: systemClock,
      markdown: createMarkdownRenderer(),
      baseUrl: 'https://hearth.example.com',
      site: async () => ({ title: 'Bench', description: '' }),
    });
    const rssBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const summary = await imports.importStream('wordpress', fs.createReadStream(file, { highWaterMark: 256 * 1024 }));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    await conn.close();
    process.stdout.write(
      `${JSON.stringify({
        comments: summary.comments.added,
        posts: summary.posts.added,
        megabytes: Math.round(bytes / 1e5) / 10,
        seconds: Math.round(seconds * 100) / 100,
        commentsPerSecond: Math.round(summary.comments.added / seconds),
        cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        rssBeforeImportMb: Math.round(rssBefore / 1024),
      })}\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  await measure(Number(args[1]));
} else {
  const sizes = args.length > 0 ? args.map(Number) : [20_000, 100_000, 300_000];
  console.log('import bench: each size in a fresh process and a fresh SQLite file (target >= 10,000 comments/s, < 300 MB peak)');
  for (const size of sizes) {
    // A process per size, so each peak RSS is that import's own.
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', String(size)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) {
      console.error(`size ${size} failed`);
      process.exit(1);
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    console.log(
      `${String(m.comments).padStart(7)} comments, ${String(m.megabytes).padStart(6)} MB of WXR: ${m.seconds} s, ${m.commentsPerSecond} comments/s (${m.cpuSeconds} s CPU), peak RSS ${m.peakRssMb} MB`,
    );
  }
}
