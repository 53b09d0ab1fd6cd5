// The thread summary kept one comment at a time equals the one counted from the thread's rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { seededRandom } from '../../test/seeded-random.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { CommentRow, CommentStatus, PostRow } from '../db/tables.js';
import { removeReaderComments } from '../notify/reader-data-store.js';
import { markDismissed, noteCommentInThread } from './comment-store.js';
import { changeComment } from './comment-writes.js';
import { type SummaryRow, summarizeThread, summaryWith, type ThreadSummary } from './thread-summary.js';

const STATUSES: CommentStatus[] = ['published', 'published', 'published', 'pending', 'spam', 'trash'];

describe('the thread summary, one comment at a time', () => {
  it('matches summarizeThread after every new comment, in any order of time', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = seededRandom(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
      const rows: SummaryRow[] = [];
      const dismissedAt = rnd() < 0.3 ? Math.floor(rnd() * 20) : null;
      let summary: ThreadSummary = summarizeThread([], dismissedAt);
      for (let i = 0; i < 25; i++) {
        const row: SummaryRow = {
          id: `c${String(Math.floor(rnd() * 1000)).padStart(4, '0')}-${i}`,
          root_id: 'root',
          status: pick(STATUSES),
          visibility: rnd() < 0.8 ? 'public' : 'private',
          staff_user_id: rnd() < 0.3 ? 'staff' : null,
          kind: rnd() < 0.1 ? 'mention' : 'comment',
          // Mostly later than the rest, sometimes at the same instant or earlier.
          created_at: rnd() < 0.75 ? i * 2 : Math.floor(rnd() * (i * 2 + 1)),
        };
        if (i === 0) row.id = 'root';
        rows.push(row);
        const expected = summarizeThread(rows, dismissedAt);
        const next = summaryWith(summary, row, dismissedAt);
        summary = next ?? expected;
        assert.deepEqual(summary, expected, `seed ${seed}, comment ${i}`);
      }
    }
  });
});

describe('the stored thread summary', () => {
  let t: TestApp;
  let author: Staff;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    author = await makeStaff(t, 'owner');
    post = await makePost(t, author);
  });
  after(() => t.close());

  async function checkAll() {
    const rows = await t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', post.id).execute();
    const threads = await t.conn.db.selectFrom('threads').selectAll().where('post_id', '=', post.id).execute();
    const roots = new Set(rows.map((r) => r.root_id));
    assert.equal(threads.length, roots.size);
    const kept = await t.conn.db.selectFrom('posts').selectAll().where('id', '=', post.id).executeTakeFirstOrThrow();
    assert.equal(kept.public_thread_count, threads.filter((th) => th.public_count > 0).length, 'the post keeps its public threads');
    assert.equal(kept.comment_count, rows.filter((r) => r.status === 'published' && r.visibility === 'public').length);
    for (const th of threads) {
      const { root_id, post_id, dismissed_at, public_html, html_key, ...stored } = th;
      assert.deepEqual(
        stored,
        summarizeThread(
          rows.filter((r) => r.root_id === root_id),
          dismissed_at,
        ),
        `thread ${root_id}`,
      );
    }
  }

  it('equals the summary counted from the rows after any sequence of writes', async () => {
    const rnd = seededRandom(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    const written: CommentRow[] = [];
    const base = Date.parse('2026-03-01T09:00:00Z');
    for (let i = 0; i < 200; i++) {
      const move = rnd();
      if (move < 0.65 || written.length === 0) {
        const parent = written.length > 0 && rnd() < 0.7 ? pick(written) : undefined;
        const row = await t.services.comments.add({
          postId: post.id,
          parentId: parent?.id ?? null,
          authorName: 'Someone',
          authorEmail: `r${i % 5}@example.com`,
          staff: rnd() < 0.25 ? author : undefined,
          markdown: `words ${i}`,
          status: pick(STATUSES),
          // Mostly in order of time; sometimes at the same instant as another, or earlier.
          createdAt: rnd() < 0.7 ? base + i * 1000 : base + Math.floor(rnd() * i) * 1000,
        });
        written.push(row);
      } else if (move < 0.87) {
        const target = pick(written);
        const now = await t.conn.db.selectFrom('comments').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
        const status = pick(STATUSES);
        await t.conn.db.transaction().execute((trx) => changeComment(trx, now, { status }, base + i * 1000));
      } else if (move < 0.97) {
        const target = pick(written);
        await t.conn.db.transaction().execute(async (trx) => {
          await markDismissed(trx, target.root_id, base + Math.floor(rnd() * i) * 1000);
          await noteCommentInThread(trx, target);
        });
      } else {
        // A reader erases her comments: answered ones stay as markers, the rest and their threads go.
        await t.conn.db.transaction().execute((trx) => removeReaderComments(trx, `r${Math.floor(rnd() * 5)}@example.com`));
        const left = new Set((await t.conn.db.selectFrom('comments').select('id').execute()).map((r) => r.id));
        written.splice(0, written.length, ...written.filter((r) => left.has(r.id)));
      }
      await checkAll();
    }
  });
});
