// Moving in from Remark42 and Isso, and Disqus threads of a registered site: each page's comments
// land on the conversation keyed by its canonical address (src/sites), replies in their threads;
// importing again adds nothing, and a refused file changes nothing.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { corpus, importFile, importText } from '../../test/kits/importers.js';
import { InvalidError } from '../errors.js';
import { normalizePageUrl } from '../sites/page-url.js';

const RADIO_T = 'https://radio-t.com/p/2017/12/16/podcast-576/';

describe('imports onto other sites’ pages', () => {
  let t: TestApp;
  beforeEach(async () => {
    await t?.close();
    t = await testApp();
    await makeStaff(t, 'owner', 'Olive Owner');
  });
  after(() => t.close());

  const pageOf = (url: string) =>
    t.conn.db.selectFrom('posts').selectAll().where('external_url', '=', normalizePageUrl(url)).executeTakeFirst();
  const commentsOf = (postId: string) => t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', postId).execute();

  it('Remark42: 58 comments of radio-t land on their page, 31 of them replies, its site registered; again adds nothing', async () => {
    const summary = await importFile(t.services.imports, 'remark42', corpus('remark42-migrator', 'store-tree_bench.json'));
    assert.equal(summary.comments.added, 58);
    assert.equal(summary.comments.replies, 31);
    assert.equal(summary.posts.byKind.external, 1);
    const page = await pageOf(RADIO_T);
    assert.ok(page);
    assert.equal(page.kind, 'external');
    const rows = await commentsOf(page.id);
    assert.equal(rows.length, 58);
    assert.equal(rows.filter((c) => c.parent_id !== null).length, 31);
    // Each reply sits under the comment Remark42 named as its parent.
    const bySource = new Map(rows.map((c) => [c.source_id, c]));
    const reply = bySource.get('3666020878');
    assert.equal(reply?.parent_id, bySource.get('3665976683')?.id);
    assert.ok(await t.services.sites.registered('https://radio-t.com'));
    const again = await importFile(t.services.imports, 'remark42', corpus('remark42-migrator', 'store-tree_bench.json'));
    assert.equal(again.comments.added, 0);
    assert.equal(again.comments.existing, 58);
    assert.equal((await commentsOf(page.id)).length, 58);
    // The build-time include shows them.
    const html = await (await t.request(`/embed/thread?url=${encodeURIComponent(RADIO_T)}`)).text();
    assert.match(html, /58 comments/);
    assert.match(html, /hyper\.is/);
  });

  it('Remark42’s own backup (a header line, a comment a line) keeps titles, replies and deletions', async () => {
    const url = 'https://blog.example.org/notes/one/';
    const line = (o: object) => JSON.stringify(o);
    const comment = (id: string, pid: string, text: string, extra: object = {}) => ({
      id,
      pid,
      text,
      user: { name: 'Ana', id: 'github_ana', ip: '' },
      locator: { site: 'blog', url },
      time: '2024-05-01T10:00:00Z',
      ...extra,
    });
    const backup = [
      line({ version: 1, users: [], posts: [{ url, title: 'Note one' }] }),
      line(comment('b', 'a', '<p>A reply</p>')),
      line(comment('a', '', '<p>First</p>')),
      line(comment('c', '', '', { delete: true })),
    ].join('\n');
    const summary = await importText(t.services.imports, 'remark42', backup);
    assert.equal(summary.comments.added, 3);
    const page = await pageOf(url);
    assert.equal(page?.title, 'Note one');
    const rows = await commentsOf(page?.id ?? '');
    const byText = new Map(rows.map((c) => [c.source_id, c]));
    assert.equal(byText.get('b')?.parent_id, byText.get('a')?.id);
    assert.equal(byText.get('c')?.status, 'trash');
  });

  it('Isso: its two pages on the named site, titles decoded; without --site nothing is imported', async () => {
    await assert.rejects(importFile(t.services.imports, 'isso', corpus('isso-migration', 'generic.json')), InvalidError);
    assert.equal((await t.conn.db.selectFrom('comments').select('id').execute()).length, 0);
    const summary = await importFile(t.services.imports, 'isso', corpus('isso-migration', 'generic.json'), {
      site: 'https://blog.example.org',
    });
    assert.equal(summary.comments.added, 2);
    const first = await pageOf('https://blog.example.org/posts/0001/');
    const second = await pageOf('https://blog.example.org/posts/0007/');
    assert.equal(first?.title, 'Test post');
    assert.equal(second?.title, 'Nat & Miguel');
    const [richard] = await commentsOf(second?.id ?? '');
    assert.equal(richard?.author_name, 'Richard Crinshaw');
    assert.equal(richard?.created_at, Date.UTC(2005, 4, 8, 6, 50, 26));
  });

  it('Disqus: threads of a registered site land on its pages; others stay drafts as before', async () => {
    await t.services.sites.register('https://radio-t.com', 'Radio-T');
    const summary = await importFile(t.services.imports, 'disqus', corpus('remark42-migrator', 'disqus.xml'));
    const page = await pageOf('https://radio-t.com/p/2011/03/05/podcast-229/');
    assert.ok(page);
    assert.ok((await commentsOf(page.id)).some((c) => c.source_id === '299619020' && c.author_name === 'Alexander Blah'));
    // radio-t.umputun.com is not registered: its thread keeps its draft post.
    assert.equal(summary.posts.drafts, 1);
  });
});
