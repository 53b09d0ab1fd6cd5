// Seeds a benchmark site: 200 posts; `two-hundred-voices` with a 200-comment thread (60 top-level
// comments, replies to depth 3, most replies by the author); `two-thousand-voices` with 2,000
// comments (200 threads of 10); `write-to-me`, without comments, for the posting scenario.
import pino from 'pino';
import type { Staff } from '../src/accounts/accounts-service.js';
import { createPasswordHasher, TEST_ARGON } from '../src/accounts/passwords.js';
import { fixedClock } from '../src/clock.js';
import type { Connection } from '../src/db/connect.js';
import { compose } from '../src/main.js';

const WORDS = (
  'we talked for hours about the small promises that hold two people together and how hard it is to ask ' +
  'for what you need when you were taught to need nothing at all so I wrote to you because your last post ' +
  'made me cry in the car before work'
).split(' ');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function words(n: number, seed: number): string {
  return Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed * 13) % WORDS.length]).join(' ');
}

function essay(seed: number): string {
  const parts: string[] = [];
  for (let p = 0; p < 8; p++) parts.push(p % 3 === 2 ? `## Part ${p}\n\n${words(60, seed + p)}.` : `${words(70, seed + p)}.`);
  return parts.join('\n\n');
}

export const BENCH_POST_200 = 'two-hundred-voices';
export const BENCH_POST_2000 = 'two-thousand-voices';
/** Where the comment-posting scenario writes, so the pages measured after it stay as seeded. */
export const BENCH_POST_OPEN = 'write-to-me';

export async function seedBenchSite(conn: Connection, dataDir: string): Promise<void> {
  const start = Date.now() - 400 * DAY;
  const clock = fixedClock(start);
  const { services } = compose({
    conn,
    baseUrl: 'http://127.0.0.1',
    dataDir,
    clock,
    log: pino({ level: 'silent' }),
    passwords: createPasswordHasher(TEST_ARGON),
  });
  const author: Staff = await services.accounts.addUser({
    email: 'author@bench.invalid',
    name: 'Iris Bench',
    role: 'owner',
    password: null,
  });
  const tags = ['Relationships', 'Boundaries', 'Family', 'Letters', 'Healing', 'Work', 'Love', 'Trust'];

  for (let i = 0; i < 197; i++) {
    await services.posts.create({
      title: `Letter ${i + 1}: on ${WORDS[i % WORDS.length]} and ${WORDS[(i * 3) % WORDS.length]}`,
      markdown: essay(i),
      status: 'published',
      publishedAt: start + i * DAY,
      authorId: author.id,
      tags: [tags[i % tags.length] as string, tags[(i + 3) % tags.length] as string],
    });
  }
  const p200 = await services.posts.create({
    title: 'Two hundred voices',
    slug: BENCH_POST_200,
    markdown: essay(1000),
    status: 'published',
    publishedAt: start + 198 * DAY,
    authorId: author.id,
    tags: ['Letters', 'Love'],
  });
  const p2000 = await services.posts.create({
    title: 'Two thousand voices',
    slug: BENCH_POST_2000,
    markdown: essay(2000),
    status: 'published',
    publishedAt: start + 199 * DAY,
    authorId: author.id,
    tags: ['Letters'],
  });

  await services.posts.create({
    title: 'Write to me',
    slug: BENCH_POST_OPEN,
    markdown: essay(3000),
    status: 'published',
    publishedAt: start + 197 * DAY,
    authorId: author.id,
    tags: ['Letters'],
  });

  let at = start + 198 * DAY;
  const reader = (n: number) => ({ authorName: `Reader ${n}`, authorEmail: `reader${n}@bench.invalid` });
  const staff = { authorName: author.name, authorEmail: author.email, staff: author };
  const add = (postId: string, who: object, parentId: string | null, n: number) => {
    at += 60_000;
    return services.comments.add({
      postId,
      parentId,
      markdown: words(40 + (n % 40), n),
      status: 'published',
      createdAt: at,
      ...who,
    } as never);
  };

  // 60 threads: a reader asks, the author answers; in 40 of them the reader follows up and the author answers again.
  for (let t = 0; t < 60; t++) {
    const question = await add(p200.id, reader(t), null, t);
    const answer = await add(p200.id, staff, question.id, t + 1);
    if (t < 40) {
      const followUp = await add(p200.id, reader(t), answer.id, t + 2);
      await add(p200.id, staff, followUp.id, t + 3);
    }
  }
  // 200 threads of 10: a chain of alternating reader and author replies.
  for (let t = 0; t < 200; t++) {
    let parent: string | null = null;
    for (let k = 0; k < 10; k++) {
      const row: { id: string } = await add(p2000.id, k % 2 === 1 ? staff : reader(1000 + t), parent, t * 10 + k);
      parent = row.id;
    }
  }
  // A running site sent these comments' notifications when they were written: the benchmark's
  // server starts with an empty outbox, as a site does between bursts, rather than spending the
  // measured seconds sending 2,000 emails of the seed's past.
  await conn.db.deleteFrom('outbox').execute();
  await services.threadHtml.idle();
  await services.live.close();
}
