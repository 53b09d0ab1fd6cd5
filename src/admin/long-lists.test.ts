// The workspace when an author's lists run long (bench/SCALE.md): counts stop at COUNT_CAP and say
// "more than", yet count exactly below it; a reply's suggestions rank only the newest matching posts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';
import { COUNT_CAP } from '../comments/count-cap.js';
import type { CommentRow, PostRow } from '../db/tables.js';

describe('long lists in the workspace', () => {
  let t: TestApp;
  let ada: Staff;
  let owner: Staff;
  let adas: PostRow;
  let asAda: Browser;
  const held: CommentRow[] = [];

  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    adas = await makePost(t, ada, { title: 'Letters to the lonely' });
    // One more than the cap: each a held first comment, so each thread also waits for Ada.
    for (let i = 0; i <= COUNT_CAP; i++) {
      t.clock.advance(1000);
      held.push(
        await t.services.comments.add({
          postId: adas.id,
          authorName: `Reader ${i}`,
          authorEmail: `reader${i}@example.com`,
          markdown: `Held words number ${i}.`,
          status: 'pending',
        }),
      );
    }
    asAda = new Browser(t);
    await asAda.signIn(ada.email);
  });
  after(() => t.close());

  it('says "more than 1,000" past the cap, in the queue, the inbox, the badge and the dashboard', async () => {
    const queue = await (await asAda.get('/admin/comments?tab=pending')).text();
    assert.match(queue, /More than 1,000 comments in pending\./);
    const inbox = await (await asAda.get('/admin/inbox')).text();
    assert.match(inbox, /More than 1,000 readers are waiting/);
    assert.match(inbox, /<span class="ws-badge"><span class="visually-hidden">, <\/span>1,000\+/);
    const dashboard = await (await asAda.get('/admin/')).text();
    assert.match(dashboard, /<span class="ws-count-value">1,000\+<\/span> Comments awaiting moderation/);
    assert.match(dashboard, /<span class="ws-count-value">1,000\+<\/span> <a href="[^"]+">threads await your reply/);
  });

  it('counts exactly below the cap', async () => {
    for (const c of held.slice(0, 2)) await t.services.comments.act(owner, c.id, 'trash');
    const queue = await (await asAda.get('/admin/comments?tab=pending')).text();
    assert.match(queue, new RegExp(`${COUNT_CAP - 1} comments in pending\\.`));
    const inbox = await (await asAda.get('/admin/inbox')).text();
    assert.match(inbox, new RegExp(`${COUNT_CAP - 1} readers are waiting`));
    const all = await (await asAda.get('/admin/comments?tab=all')).text();
    assert.match(all, new RegExp(`${COUNT_CAP - 1} comments in all\\.`), 'the trashed ones are not in All');
  });

  it('ranks a reply’s suggestions among the newest 200 posts that share its words', async () => {
    const bea = await makeStaff(t, 'author', 'Bea Author');
    const post = (title: string, markdown: string) => {
      t.clock.advance(60_000);
      return makePost(t, bea, { title, markdown });
    };
    // The oldest is the best match by far, but 200 newer posts share the word.
    const oldest = await post('The lighthouse keeper', 'Lighthouse, lighthouse: the lighthouse at night.');
    for (let i = 0; i < 200; i++) await post(`Harbour note ${i}`, `A lighthouse in passing, note ${i}.`);
    const newest = await post('Another lighthouse', 'The lighthouse again, lighthouse and lighthouse.');
    const here = await post('Where I write from', 'A post with a reader.');
    const q = await t.services.comments.add({
      postId: here.id,
      authorName: 'Lena',
      authorEmail: 'lena@example.com',
      markdown: 'Your lighthouse posts keep me going.',
      status: 'published',
    });
    const asBea = new Browser(t);
    await asBea.signIn(bea.email);
    const html = await (await asBea.get('/admin/inbox')).text();
    const entry = html.slice(html.indexOf(`id="ib-${q.id}"`));
    const offered = [...entry.slice(0, entry.indexOf('</aside>')).matchAll(/<li><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    assert.equal(offered[0], newest.title, 'the best of the newest 200 comes first');
    assert.ok(offered.length > 1);
    assert.ok(!offered.includes(oldest.title), 'the oldest is past the newest 200');
  });
});
