// What a reader sees of a conversation: each comment's date with its exact time, the author's
// replies marked as hers, and two pagers each named for where it stands.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

describe('reading a conversation', () => {
  let t: TestApp;
  let owner: Staff;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    post = await makePost(t, owner);
  });
  after(() => t.close());

  const itemOf = (html: string, id: string) => {
    const start = html.indexOf(`<li id="comment-${id}"`);
    assert.ok(start >= 0, `comment ${id} is on the page`);
    return html.slice(start, html.indexOf('</article>', start));
  };

  it('writes each comment’s date with its exact time as a tooltip and in ISO form', async () => {
    const at = Date.parse('2025-03-03T14:07:00Z');
    const c = await t.services.comments.add({
      postId: post.id,
      authorName: 'Mara',
      authorEmail: 'mara@example.com',
      markdown: 'First words.',
      status: 'published',
      createdAt: at,
    });
    // Twice: the first page renders the thread, the second shows what was kept in the database.
    for (const round of ['rendered', 'kept']) {
      const res = await t.request(`/${post.slug}/`);
      assert.equal(res.status, 200);
      const item = itemOf(await res.text(), c.id);
      assert.match(
        item,
        /<time datetime="2025-03-03T14:07:00.000Z" title="March 3, 2025, 2:07 PM UTC">March 3, 2025<\/time>/,
        `${round}: the date, with the exact time in its title`,
      );
      await t.services.threadHtml.idle();
    }
  });

  it('marks the author’s replies as hers, and other readers’ not', async () => {
    const root = await t.services.comments.add({
      postId: post.id,
      authorName: 'Noor',
      authorEmail: 'noor@example.com',
      markdown: 'A question.\n\nAnd a second paragraph.',
      status: 'published',
    });
    const answer = await t.services.comments.add({
      postId: post.id,
      parentId: root.id,
      authorName: owner.name,
      authorEmail: owner.email,
      staff: owner,
      markdown: 'An answer.',
      status: 'published',
    });
    const html = await (await t.request(`/${post.slug}/`)).text();
    assert.match(itemOf(html, answer.id), /^<li id="comment-[^"]+" class="comment comment-staff" data-author-role="owner"/);
    assert.doesNotMatch(itemOf(html, root.id), /data-author-role/);
    assert.match(itemOf(html, root.id), /<p>A question.<\/p>\s*<p>And a second paragraph.<\/p>/);
  });

  it('names the pagers above and below the comments apart', async () => {
    await t.services.conversationSettings.update({ threadsPerPage: 1 });
    const html = await (await t.request(`/${post.slug}/`)).text();
    const labels = [...html.matchAll(/<nav class="comment-pages" aria-label="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['Comment pages, top', 'Comment pages, bottom']);
  });
});
