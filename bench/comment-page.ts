// CPU per uncached render of one page of a big conversation: a post with 2,000 comments
// (200 threads of 10) on SQLite, each page showing 50 threads (500 comments).
// Run: node --import tsx bench/comment-page.ts
import pino from 'pino';
import { fixedClock } from '../src/clock.js';
import { CommentThread } from '../src/comments/comment-views.js';
import { makeFormToken } from '../src/comments/signing.js';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { compose } from '../src/main.js';

const THREADS = 200;
const PER_THREAD = 10;
const ROUNDS = 200;

const conn = await connect({ kind: 'sqlite', file: ':memory:' });
await migrate(conn.db);
const clock = fixedClock(Date.parse('2026-03-01T09:00:00Z'));
const { app, services } = compose({
  conn,
  baseUrl: 'http://bench.test',
  dataDir: '/tmp/hearth-bench',
  clock,
  log: pino({ level: 'silent' }),
  secret: 'bench-secret-bench-secret-bench-secret-00',
});
const author = await services.accounts.addUser({ email: 'a@example.com', name: 'Author', role: 'author', password: null });
const post = await services.posts.create({ title: 'A big conversation', markdown: 'Words.', status: 'published', authorId: author.id });
const start = clock.now() - THREADS * PER_THREAD * 60_000;
let at = start;
for (let t = 0; t < THREADS; t++) {
  let parent: string | null = null;
  for (let i = 0; i < PER_THREAD; i++) {
    at += 60_000;
    const staff = i % 5 === 4;
    const c = await services.comments.add({
      postId: post.id,
      parentId: i === 0 ? null : parent,
      authorName: staff ? author.name : `Reader ${t}-${i}`,
      authorEmail: staff ? author.email : `r${t}.${i}@example.com`,
      staff: staff ? author : undefined,
      markdown: `Comment ${i} in thread ${t}, with *some* words and a [link](https://example.com/${t}).`,
      status: 'published',
      createdAt: at,
    });
    // Half of the replies nest, half answer the thread's first comment.
    if (i === 0 || i % 2 === 0) parent = c.id;
  }
}

async function measure(path: string): Promise<{ cpuMs: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < 20; i++) bytes = (await (await app.request(`http://bench.test${path}`)).text()).length; // warm up
  const cpu = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) await (await app.request(`http://bench.test${path}`)).text();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / ROUNDS, bytes };
}

const lines: string[] = [];
for (const path of [`/${post.slug}/`, `/${post.slug}/?page=2`, `/${post.slug}/?page=4`, `/${post.slug}/?sort=newest`]) {
  const { cpuMs, bytes } = await measure(path);
  lines.push(`${path.padEnd(32)} ${cpuMs.toFixed(2)} ms CPU per render, ${(bytes / 1024).toFixed(0)} KB`);
}
// The conversation alone (its queries, the tree, the HTML), without the page around it.
const shown = await services.posts.publishedBySlug(post.slug);
if (!shown) throw new Error('the post is missing');
for (const page of [1, 4]) {
  const run = async () => {
    const conv = await services.comments.conversation(shown, { page, order: 'oldest', credentialHash: null });
    return String(await CommentThread({ post: shown, conv, token: makeFormToken('bench', shown.id, clock.now()) }).toString());
  };
  for (let i = 0; i < 20; i++) await run();
  const cpu = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) await run();
  const used = process.cpuUsage(cpu);
  lines.push(
    `${`conversation only, page ${page}`.padEnd(32)} ${((used.user + used.system) / 1000 / ROUNDS).toFixed(2)} ms CPU (query + thread + HTML)`,
  );
}
// The same request for the bare post (no comments) as a reference measured in this run.
const bare = await services.posts.create({ title: 'Quiet', markdown: 'Words.', status: 'published', authorId: author.id });
const ref = await measure(`/${bare.slug}/`);
lines.push(`${`/${bare.slug}/ (no comments)`.padEnd(32)} ${ref.cpuMs.toFixed(2)} ms CPU per render`);
console.log(`comment page: ${THREADS} threads x ${PER_THREAD} comments, 50 threads per page, ${ROUNDS} renders each\n${lines.join('\n')}`);
await conn.close();
