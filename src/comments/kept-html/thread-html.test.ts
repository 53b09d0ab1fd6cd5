// Kept thread HTML shows exactly what rendering the comments shows, and is never shown stale.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../../test/factories.js';
import { type TestApp, testApp } from '../../../test/harness.js';
import { seededRandom } from '../../../test/seeded-random.js';
import type { Staff } from '../../accounts/accounts-service.js';
import { setRole } from '../../accounts/staff-store.js';
import type { CommentRow, CommentStatus, PostRow } from '../../db/tables.js';
import { anonymizeReaderComments, removeReaderComments } from '../../notify/reader-data-store.js';
import type { ThreadOrder } from '../comment-store.js';
import type { Conversation } from '../comment-types.js';
import { changeComment } from '../comment-writes.js';
import { writeComment } from './comment-item.js';

const STATUSES: CommentStatus[] = ['published', 'published', 'published', 'pending', 'trash'];

describe('kept thread HTML', () => {
  let t: TestApp;
  let owner: Staff;
  let author: Staff;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Iris Owner');
    author = await makeStaff(t, 'author', 'Rosa Vale');
    post = await makePost(t, owner);
    await t.services.conversationSettings.update({ threadsPerPage: 4 });
  });
  after(() => t.close());

  /** The conversation as a page request reads it: with the post as it is now (its count of comments). */
  const read = async (q: { page: number; order: ThreadOrder; nodes?: boolean }) =>
    t.services.comments.conversation((await t.services.posts.publishedBySlug(post.slug)) as PostRow, { credentialHash: null, ...q });

  /** The page's comments rendered from their rows, as a page without kept HTML writes them. */
  function rendered(conv: Conversation): string {
    const out: string[] = [];
    for (const node of conv.threads) writeComment(node, { slug: post.slug }, out);
    return out.join('');
  }

  /** Every page in both orders: kept HTML is never stale, and once rendered it shows on every page. */
  async function checkEveryPage(step: string) {
    for (const filled of [false, true]) {
      if (filled) {
        await t.services.threadHtml.idle();
        await t.services.threadHtml.fillAll();
      }
      for (const order of ['oldest', 'newest'] as const) {
        const first = await read({ page: 1, order });
        for (let page = 1; page <= first.pages; page++) {
          const kept = await read({ page, order });
          const live = await read({ page, order, nodes: true });
          if (live.threadCount === 0) continue;
          const where = `${step}: page ${page} (${order})${filled ? ', all rendered' : ''}`;
          if (filled) assert.ok(kept.threadHtml, `${where} shows kept HTML`);
          assert.equal(kept.threadHtml?.join('') ?? rendered(kept), rendered(live), where);
          assert.equal(kept.threadCount, live.threadCount, where);
          assert.equal(kept.pages, live.pages, where);
        }
      }
    }
  }

  it('equals the rendered comments after any sequence of writes, role changes and setting changes', async () => {
    const rnd = seededRandom(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    const written: CommentRow[] = [];
    for (let i = 0; i < 90; i++) {
      const move = rnd();
      if (move < 0.6 || written.length === 0) {
        const parent = written.length > 0 && rnd() < 0.7 ? pick(written) : undefined;
        const staff = rnd() < 0.25 ? pick([owner, author]) : undefined;
        written.push(
          await t.services.comments.add({
            postId: post.id,
            parentId: parent?.id ?? null,
            authorName: staff?.name ?? `Reader ${i % 6}`,
            authorEmail: staff?.email ?? `r${i % 6}@example.com`,
            staff,
            markdown: `Words *number* ${i} <b>not bold</b>`,
            status: pick(STATUSES),
          }),
        );
      } else if (move < 0.8) {
        // A write that tells nobody: only the triggers know the thread changed.
        const target = pick(written);
        const now = await t.conn.db.selectFrom('comments').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
        await t.conn.db.transaction().execute((trx) => changeComment(trx, now, { status: pick(STATUSES) }, Date.now()));
      } else if (move < 0.85) {
        await t.services.comments.edit(owner, pick(written).id, `Edited words ${i}`).catch(() => undefined);
      } else if (move < 0.9) {
        await t.conn.db.transaction().execute((trx) => setRole(trx, author.id, pick(['author', 'moderator'] as const), Date.now()));
      } else if (move < 0.94) {
        await t.services.conversationSettings.update({ maxDepth: pick([0, 1, 2, 5]) });
      } else if (move < 0.97) {
        await anonymizeReaderComments(t.conn.db, `r${i % 6}@example.com`);
      } else {
        await t.conn.db.transaction().execute((trx) => removeReaderComments(trx, `r${(i + 1) % 6}@example.com`));
        // Some are gone now: answer only those still here.
        const left = await t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', post.id).execute();
        written.splice(0, written.length, ...left);
      }
      if (i % 10 === 9) await checkEveryPage(`step ${i}`);
    }
    await checkEveryPage('the end');
  });

  it('is never shown once a comment changed behind its back, and is rendered again', async () => {
    await checkEveryPage('before');
    const shown = (await read({ page: 1, order: 'oldest', nodes: true })).threads[0]?.comment;
    assert.ok(shown);
    // As another process (or the command line) would write it.
    await t.conn.db.updateTable('comments').set({ html: '<p>Changed elsewhere.</p>' }).where('id', '=', shown.id).execute();
    const next = await read({ page: 1, order: 'oldest' });
    assert.equal(next.threadHtml, undefined, 'the page is rendered from the comments');
    assert.match(rendered(next), /Changed elsewhere/);
    await t.services.threadHtml.idle();
    const kept = await read({ page: 1, order: 'oldest' });
    assert.ok(kept.threadHtml, 'the page asked for the thread to be rendered again');
    assert.match(kept.threadHtml.join(''), /Changed elsewhere/);
  });

  it('follows a new slug into every reply link', async () => {
    await t.services.posts.update(post.id, { slug: 'a-new-address' }, owner);
    post = (await t.services.posts.publishedBySlug('a-new-address')) as PostRow;
    const stale = await read({ page: 1, order: 'oldest' });
    assert.equal(stale.threadHtml, undefined);
    await checkEveryPage('after the slug changed');
    const kept = await read({ page: 1, order: 'oldest' });
    assert.match(kept.threadHtml?.join('') ?? '', /href="\/a-new-address\/\?replyto=/);
  });
});
