// A thread's place among the threads readers see, found from the post's kept count and a short count
// on one side of the thread, equals the plain count of the threads before it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { seededRandom } from '../../test/seeded-random.js';
import type { Staff } from '../accounts/accounts-service.js';
import { up as addThreadCount } from '../db/migrations/010-thread-count.js';
import type { CommentStatus, PostRow } from '../db/tables.js';
import { publicThreadsBefore, type ThreadOrder } from './comment-store.js';

const STATUSES: CommentStatus[] = ['published', 'published', 'published', 'pending', 'spam', 'trash'];

describe('a thread’s place in its post’s conversation', () => {
  let t: TestApp;
  let owner: Staff;
  let post: PostRow;
  let other: PostRow;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner');
    post = await makePost(t, owner);
    other = await makePost(t, owner);
    const rnd = seededRandom(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    const base = Date.parse('2026-03-01T09:00:00Z');
    // Enough threads that both sides of a thread in the middle outrun the first short counts.
    for (let i = 0; i < 450; i++) {
      const root = await t.services.comments.add({
        postId: rnd() < 0.9 ? post.id : other.id,
        authorName: 'Someone',
        authorEmail: `r${i % 7}@example.com`,
        markdown: `thread ${i}`,
        status: pick(STATUSES),
        visibility: rnd() < 0.15 ? 'private' : 'public',
        createdAt: base + i * 1000,
      });
      // An answer can make a thread readers did not see (its first words held) one they see.
      if (rnd() < 0.3) {
        await t.services.comments.add({
          postId: root.post_id,
          parentId: root.id,
          authorName: 'Someone else',
          authorEmail: 'answer@example.com',
          markdown: `answer ${i}`,
          status: pick(STATUSES),
          createdAt: base + i * 1000 + 500,
        });
      }
    }
  });
  after(() => t.close());

  async function threadsOf(p: PostRow) {
    return t.conn.db.selectFrom('threads').select(['root_id', 'public_count']).where('post_id', '=', p.id).orderBy('root_id').execute();
  }

  it('counts the threads readers see before each thread of the post, oldest or newest first', async () => {
    const threads = await threadsOf(post);
    const shown = threads.filter((th) => th.public_count > 0).map((th) => th.root_id);
    assert.ok(shown.length > 180 && threads.length > shown.length, 'a long conversation with threads readers do not see');
    for (const th of threads) {
      for (const order of ['oldest', 'newest'] as ThreadOrder[]) {
        const expected = shown.filter((id) => (order === 'oldest' ? id < th.root_id : id > th.root_id)).length;
        assert.equal(await publicThreadsBefore(t.conn.db, post.id, th.root_id, order), expected, `${th.root_id} ${order}`);
      }
    }
  });

  it('sends a reader to the page showing the comment, from every thread', async () => {
    const perPage = (await t.services.comments.settings()).threadsPerPage;
    const shown = (await threadsOf(post)).filter((th) => th.public_count > 0).map((th) => th.root_id);
    const comments = await t.conn.db
      .selectFrom('comments')
      .selectAll()
      .where('post_id', '=', post.id)
      .where('status', '=', 'published')
      .where('visibility', '=', 'public')
      .execute();
    for (const c of comments) {
      const { page } = await t.services.comments.locate(post, c.id, { kind: 'reader', credentialHash: null });
      assert.equal(page, Math.floor(shown.indexOf(c.root_id) / perPage) + 1, c.id);
    }
  });

  it('keeps each post’s count, and the migration counts the same from the threads', async () => {
    /** The count each post keeps of its threads readers see. */
    const countsKept = async () =>
      Promise.all(
        [post, other].map(
          async (p) =>
            (await t.conn.db.selectFrom('posts').select('public_thread_count').where('id', '=', p.id).executeTakeFirstOrThrow())
              .public_thread_count,
        ),
      );
    const kept = await countsKept();
    assert.deepEqual(kept, [
      (await threadsOf(post)).filter((th) => th.public_count > 0).length,
      (await threadsOf(other)).filter((th) => th.public_count > 0).length,
    ]);
    // A database from before the column: the migration adds it and counts what is there.
    await t.conn.db.schema.alterTable('posts').dropColumn('public_thread_count').execute();
    await addThreadCount(t.conn.db);
    assert.deepEqual(await countsKept(), kept);
  });
});
