// Seeds the scale benchmark's site on PostgreSQL with COPY: posts, their comments and the threads
// table as Hearth itself keeps them. Accounts, tags and a few template posts go through Hearth's
// own services; the bulk rows are generated here from those templates, with comment HTML from
// Hearth's renderer (a pool of bodies, each rendered once), each thread's summary from
// summarizeThread (the function every write keeps it equal to), and each post's counts from its
// rows. Kept thread HTML is rendered by Hearth's keeper for the measured posts and left empty for
// the rest, as an import leaves it: the first page that meets a thread renders it. Deterministic:
// the same sizes give the same site.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { createPasswordHasher, TEST_ARGON } from '../src/accounts/passwords.js';
import { type SummaryRow, summarizeThread, THREAD_SUMMARY_COLUMNS } from '../src/comments/thread-summary.js';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import type { CommentStatus } from '../src/db/tables.js';
import { newId } from '../src/ids.js';
import { compose } from '../src/main.js';
import { createMarkdownRenderer } from '../src/render/markdown.js';

export interface ScaleShape {
  comments: number;
  posts: number;
  /** Threads awaiting an answer in the inbox author's posts (fewer when her posts hold too few threads). */
  waiting: number;
}

export interface ScaleSite {
  probeSlug: string;
  openSlug: string;
  author: { email: string; password: string };
  owner: { email: string; password: string };
  comments: number;
  threads: number;
  posts: number;
  waiting: number;
  pending: number;
  seedSeconds: number;
}

/** The post whose page is measured: the same 200 comments at every size of the site. */
export const PROBE_COMMENTS = 200;
const PASSWORD = 'scale-bench-password';
const SPAN_MS = 6 * 365 * 24 * 3_600_000;
const READERS = 500_000;
const WORDS = (
  'we talked for hours about the small promises that hold two people together and how hard it is to ask ' +
  'for what you need when you were taught to need nothing at all so I wrote to you because your last post ' +
  'made me cry in the car before work thank you for writing this my mother said the same thing'
).split(' ');
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
];

/** A small fast generator (mulberry32): every post draws from its own, so two passes agree. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function words(n: number, seed: number): string {
  return Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed * 13) % WORDS.length]).join(' ');
}

/** COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
function cell(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
const line = (values: (string | number | null)[]) => `${values.map(cell).join('\t')}\n`;

/** How many comments a thread holds: most are a comment and an answer or two, a few run long. */
function threadSize(r: () => number): number {
  const x = r();
  if (x < 0.45) return 1;
  if (x < 0.65) return 2;
  if (x < 0.8) return 3;
  if (x < 0.9) return 4 + Math.floor(r() * 3);
  if (x < 0.97) return 7 + Math.floor(r() * 6);
  return 13 + Math.floor(r() * 18);
}

/** Each post's share of the comments: most posts have a few dozen, some thousands (log-normal). */
function budgets(shape: ScaleShape, probe: number): number[] {
  const weights: number[] = [];
  for (let i = 0; i < shape.posts; i++) {
    const r = rng(i * 3 + 7);
    const gauss = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    weights.push(i === probe ? 0 : Math.exp(1.1 * gauss));
  }
  const rest = shape.comments - Math.min(PROBE_COMMENTS, shape.comments);
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((rest * w) / sum));
  let left = rest - out.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % shape.posts) {
    if (i === probe) continue;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  out[probe] = shape.comments - rest;
  return out;
}

/** The sizes of a post's threads, from the post's own generator. */
function threadSizes(seed: number, budget: number): number[] {
  const r = rng(seed * 3 + 1);
  const sizes: number[] = [];
  for (let left = budget; left > 0; ) {
    const s = Math.min(left, threadSize(r));
    sizes.push(s);
    left -= s;
  }
  return sizes;
}

/** Buffers lines and writes them to a stream, waiting when it is full. */
function sink(stream: NodeJS.WritableStream) {
  let buffered: string[] = [];
  let size = 0;
  return {
    async write(text: string) {
      buffered.push(text);
      size += text.length;
      if (size < 1 << 20) return;
      const chunk = buffered.join('');
      buffered = [];
      size = 0;
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
    },
    async end() {
      const chunk = buffered.join('');
      buffered = [];
      await new Promise<void>((resolve) => stream.end(chunk, () => resolve()));
    },
  };
}

const COMMENT_COLUMNS = [
  'id',
  'post_id',
  'parent_id',
  'root_id',
  'depth',
  'status',
  'visibility',
  'author_name',
  'author_email',
  'author_url',
  'staff_user_id',
  'markdown',
  'html',
  'edit_token_hash',
  'notify',
  'ip',
  'user_agent',
  'kind',
  'created_at',
  'origin',
];
const THREAD_COLUMNS = ['root_id', 'post_id', ...THREAD_SUMMARY_COLUMNS, 'dismissed_at'];
const POST_COLUMNS = [
  'id',
  'kind',
  'slug',
  'title',
  'markdown',
  'html',
  'excerpt',
  'status',
  'published_at',
  'author_id',
  'comment_count',
  'public_thread_count',
  'created_at',
  'updated_at',
];

/**
 * Makes the site in an empty database at `url`: migrates it with Hearth's migrator, adds accounts
 * and templates through Hearth's services, then COPYs the rest with the secondary indexes of the
 * bulk tables dropped, builds them again and analyzes.
 */
export async function seedScaleSite(url: string, dataDir: string, shape: ScaleShape, say: (s: string) => void): Promise<ScaleSite> {
  const started = performance.now();
  const conn = await connect({ kind: 'postgres', url });
  await migrate(conn.db);
  const now = Date.now();
  const { services } = compose({
    conn,
    baseUrl: 'http://127.0.0.1',
    dataDir,
    log: pino({ level: 'silent' }),
    passwords: createPasswordHasher(TEST_ARGON),
  });
  const owner = await services.accounts.addUser({ email: 'owner@scale.invalid', name: 'Ada Owner', role: 'owner', password: PASSWORD });
  const author = await services.accounts.addUser({ email: 'iris@scale.invalid', name: 'Iris Author', role: 'author', password: PASSWORD });
  const TEMPLATES = 8;
  const tagNames = ['Letters', 'Boundaries', 'Family', 'Healing', 'Work', 'Love', 'Trust', 'Grief'];
  const templates = [];
  for (let t = 0; t < TEMPLATES; t++) {
    const body = Array.from({ length: 4 }, (_, p) => (p === 2 ? `## Part ${p}\n\n${words(50, t * 10 + p)}.` : `${words(60, t * 10 + p)}.`));
    const post = await services.posts.create({
      title: `Template ${t}`,
      markdown: body.join('\n\n'),
      status: 'draft',
      authorId: owner.id,
      tags: [tagNames[t] as string, tagNames[(t + 3) % TEMPLATES] as string],
    });
    templates.push(post);
  }
  const templateRows = await conn.db
    .selectFrom('posts')
    .select(['markdown', 'html', 'excerpt'])
    .where(
      'id',
      'in',
      templates.map((t) => t.id),
    )
    .execute();
  const tags = await conn.db.selectFrom('tags').select('id').orderBy('slug').execute();
  await conn.db.deleteFrom('posts').execute();
  await services.live.close();

  // Comment bodies rendered by Hearth, each once, and kept escaped for COPY.
  const markdown = createMarkdownRenderer();
  const readerBodies = Array.from({ length: 512 }, (_, n) => {
    const md = n % 5 === 0 ? `${words(12 + (n % 20), n)}\n\n${words(10 + (n % 15), n + 1)}` : words(14 + (n % 40), n);
    return `${cell(md)}\t${cell(markdown.comment(md))}`;
  });
  const staffBodies = Array.from({ length: 128 }, (_, n) => {
    const md = `Thank you for writing. ${words(10 + (n % 30), n + 7)}`;
    return `${cell(md)}\t${cell(markdown.post(md))}`;
  });
  const credential: string[] = [];
  const readerCredential = (n: number) => {
    credential[n] ??= createHash('sha256').update(`reader-${n}`).digest('hex');
    return credential[n] as string;
  };

  const probe = Math.floor(shape.posts / 2);
  const open = probe + 1;
  const plan = budgets(shape, probe);
  const isAuthors = (post: number) => post % 4 === 1 && post !== probe;
  // The probe draws from the same generator at every size, so its page is the same page.
  const seedOf = (post: number) => (post === probe ? 1_000_003 : post);
  // First pass: how many threads the inbox author's posts hold, so the waiting ones can be spread evenly.
  let authorThreads = 0;
  for (let i = 0; i < shape.posts; i++) if (isAuthors(i)) authorThreads += threadSizes(seedOf(i), plan[i] as number).length;
  const waitingTarget = Math.min(shape.waiting, Math.floor(authorThreads / 4));

  const work = fs.mkdtempSync(path.join(dataDir, 'copy-'));
  const threadsFile = path.join(work, 'threads.tsv');
  const postsFile = path.join(work, 'posts.tsv');
  const postTagsFile = path.join(work, 'post_tags.tsv');
  const { rows: dropped } = await sql<{ name: string; def: string }>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = current_schema() and i.tablename in ('comments', 'threads', 'posts')
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(conn.db);
  const script = path.join(work, 'load.sql');
  const list = (columns: string[]) => columns.join(', ');
  fs.writeFileSync(
    script,
    [
      // Foreign keys and the kept-HTML triggers are left out of the load: the rows are made consistent here.
      'set session_replication_role = replica;',
      'set client_min_messages = warning;',
      'begin;',
      'truncate posts, comments, threads cascade;',
      ...dropped.map((d) => `drop index ${d.name};`),
      `\\copy comments (${list(COMMENT_COLUMNS)}) from pstdin with (freeze)`,
      `\\copy threads (${list(THREAD_COLUMNS)}) from '${threadsFile}' with (freeze)`,
      `\\copy posts (${list(POST_COLUMNS)}) from '${postsFile}' with (freeze)`,
      `\\copy post_tags (post_id, tag_id, position) from '${postTagsFile}' with (freeze)`,
      'commit;',
      '',
    ].join('\n'),
  );
  const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', script], { stdio: ['pipe', 'inherit', 'inherit'] });
  const psqlDone = new Promise<number>((resolve) => psql.once('exit', (code) => resolve(code ?? 1)));
  const comments = sink(psql.stdin);
  const threadsOut = fs.createWriteStream(threadsFile);
  const threads = sink(threadsOut);
  const postsOut = fs.createWriteStream(postsFile);
  const posts = sink(postsOut);
  const postTagsOut = fs.createWriteStream(postTagsFile);
  const postTags = sink(postTagsOut);

  const start = now - SPAN_MS;
  const gap = Math.floor(SPAN_MS / shape.posts);
  let authorThread = 0;
  let otherThread = 0;
  let waiting = 0;
  let pending = 0;
  let threadCount = 0;
  let written = 0;
  for (let i = 0; i < shape.posts; i++) {
    const r = rng(seedOf(i) * 3 + 2);
    const publishedAt = start + i * gap;
    const postId = newId(publishedAt);
    const authorId = isAuthors(i) ? author.id : owner.id;
    const staffName = isAuthors(i) ? author.name : owner.name;
    const staffEmail = isAuthors(i) ? author.email : owner.email;
    const sizes = threadSizes(seedOf(i), plan[i] as number);
    const total = sizes.reduce((a, b) => a + b, 0);
    // Comments come after the post, spread to the next one's publication (the last: until an hour ago).
    const window = i === shape.posts - 1 ? now - 3_600_000 - publishedAt : gap;
    const step = Math.max(1, Math.floor(window / (total + 1)));
    let at = publishedAt;
    let commentCount = 0;
    let publicThreads = 0;
    for (const [t, size] of sizes.entries()) {
      const wants =
        i === probe
          ? t % 5 === 0
          : isAuthors(i)
            ? Math.floor(((authorThread + 1) * waitingTarget) / authorThreads) > Math.floor((authorThread * waitingTarget) / authorThreads)
            : otherThread % 20 === 0;
      if (isAuthors(i)) authorThread++;
      else otherThread++;
      const privateThread = r() < 0.02;
      const asker = Math.floor(r() * READERS);
      const rows: (SummaryRow & { parent: string | null; depth: number; reader: number; body: number })[] = [];
      for (let k = 0; k < size; k++) {
        at += step;
        const parent = k === 0 ? null : (rows[r() < 0.6 ? k - 1 : Math.floor(r() * k)] as (typeof rows)[number]);
        const last = k === size - 1;
        // The last comment decides whether the thread waits: a reader's when it should, staff's when not.
        const staff = last && size > 1 ? !wants : parent !== null && parent.staff_user_id === null && r() < 0.35;
        const reader = staff ? -1 : k === 0 || r() < 0.6 ? asker : Math.floor(r() * READERS);
        const x = r();
        let status: CommentStatus = staff ? 'published' : x < 0.93 ? 'published' : x < 0.96 ? 'pending' : x < 0.99 ? 'spam' : 'trash';
        if (last && wants && status !== 'published' && status !== 'pending') status = 'published';
        const id = newId(at);
        rows.push({
          id,
          root_id: rows[0]?.id ?? id,
          status,
          visibility: privateThread ? 'private' : 'public',
          staff_user_id: staff ? authorId : null,
          kind: 'comment',
          created_at: at,
          parent: parent?.id ?? null,
          depth: parent ? Math.min(parent.depth + 1, 8) : 0,
          reader,
          body: Math.floor(r() * (staff ? staffBodies.length : readerBodies.length)),
        });
      }
      const root = rows[0] as (typeof rows)[number];
      // A lone comment that should not wait was marked "no reply needed" by the author.
      const dismissedAt = !wants && size === 1 ? root.created_at : null;
      const summary = summarizeThread(rows, dismissedAt);
      if (isAuthors(i) && summary.awaiting_since !== null) waiting++;
      for (const c of rows) {
        if (c.status === 'pending') pending += isAuthors(i) ? 1 : 0;
        if (c.status === 'published' && c.visibility === 'public') commentCount++;
        const who = c.staff_user_id ? [staffName, staffEmail] : [`Reader ${c.reader}`, `reader${c.reader}@readers.invalid`];
        await comments.write(
          `${[
            c.id,
            postId,
            c.parent ?? '\\N',
            c.root_id,
            c.depth,
            c.status,
            c.visibility,
            cell(who[0] as string),
            who[1],
            '\\N',
            c.staff_user_id ?? '\\N',
          ].join('\t')}\t${(c.staff_user_id ? staffBodies : readerBodies)[c.body]}\t${[
            c.staff_user_id ? '\\N' : readerCredential(c.reader),
            c.reader % 3 === 0 ? 1 : 0,
            c.staff_user_id ? '\\N' : `10.${(c.reader >> 16) & 255}.${(c.reader >> 8) & 255}.${c.reader & 255}`,
            c.staff_user_id ? '\\N' : AGENTS[c.reader % AGENTS.length],
            'comment',
            c.created_at,
            'site',
          ].join('\t')}\n`,
        );
      }
      if (summary.public_count > 0) publicThreads++;
      await threads.write(
        line([
          root.id,
          postId,
          summary.last_reader_at,
          summary.last_staff_at,
          summary.awaiting_since,
          summary.awaiting_comment_id,
          summary.reply_count,
          summary.public_count,
          dismissedAt,
        ]),
      );
      threadCount++;
      written += size;
    }
    const template = templateRows[i % templateRows.length] as (typeof templateRows)[number];
    const slug = i === probe ? 'scale-probe' : i === open ? 'scale-open' : `letter-${i + 1}`;
    const title = `Letter ${i + 1}: on ${WORDS[i % WORDS.length]} and ${WORDS[(i * 7) % WORDS.length]}`;
    await posts.write(
      line([
        postId,
        'post',
        slug,
        title,
        template.markdown,
        template.html,
        template.excerpt,
        'published',
        publishedAt,
        authorId,
        commentCount,
        publicThreads,
        publishedAt,
        publishedAt,
      ]),
    );
    for (let t = 0; t < 2; t++) await postTags.write(line([postId, (tags[(i + t * 3) % tags.length] as { id: string }).id, t]));
    if (i % 10_000 === 0 && i > 0) say(`seed: ${i.toLocaleString('en-US')} posts, ${written.toLocaleString('en-US')} comments`);
  }
  await Promise.all([threads.end(), posts.end(), postTags.end()]);
  await comments.end();
  const code = await psqlDone;
  if (code !== 0) throw new Error(`psql COPY ended with ${code}`);
  say(`seed: COPY done after ${((performance.now() - started) / 1000).toFixed(0)} s; building ${dropped.length} indexes`);
  // Built one at a time, each with the server's parallel workers and room to sort in memory.
  await sql`set maintenance_work_mem = '1GB'`.execute(conn.db);
  await sql`set max_parallel_maintenance_workers = 2`.execute(conn.db);
  for (const d of dropped) await sql.raw(d.def).execute(conn.db);
  say(`seed: indexes built after ${((performance.now() - started) / 1000).toFixed(0)} s; analyzing`);
  // Statistics and the visibility map, as autovacuum would leave them on a running site.
  await sql`vacuum (analyze) comments, threads, posts, post_tags`.execute(conn.db);
  // Every post as a running site's federation left it: recorded as announced when it was published
  // (a back catalogue is never sent). Without these rows each starting process would claim all of
  // them, one statement at a time, as it does once after an import.
  await sql`insert into fed_post_state (post_id, local_handle, version, state, updated_at)
    select p.id, u.slug, p.updated_at, 'sent', p.updated_at from posts p join users u on u.id = p.author_id`.execute(conn.db);
  await sql`analyze fed_post_state`.execute(conn.db);
  // The measured posts' threads as a settled site keeps them: rendered by Hearth's own keeper. The
  // rest stay empty (rendering all of them takes about 40 minutes at 10 million comments; the
  // benchmark's servers run with HEARTH_RENDER_THREADS=0 and render each when first shown).
  const measured = await conn.db
    .selectFrom('threads')
    .innerJoin('posts', 'posts.id', 'threads.post_id')
    .select('threads.root_id')
    .where('posts.slug', 'in', ['scale-probe', 'scale-open'])
    .execute();
  services.threadHtml.want(measured.map((r) => r.root_id));
  await services.threadHtml.idle();
  await conn.close();
  fs.rmSync(work, { recursive: true, force: true });
  return {
    probeSlug: 'scale-probe',
    openSlug: 'scale-open',
    author: { email: author.email, password: PASSWORD },
    owner: { email: owner.email, password: PASSWORD },
    comments: written,
    threads: threadCount,
    posts: shape.posts,
    waiting,
    pending,
    seedSeconds: (performance.now() - started) / 1000,
  };
}
