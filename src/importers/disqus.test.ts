// Disqus imports: the corpora's real and hand-made exports, and threads finding their posts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.js';
import { comment, corpus, countRows, importFile, importText, snapshot, wxr, wxrItem } from '../../test/kits/importers.js';
import { InvalidError } from '../errors.js';

async function withApp<T>(work: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await testApp();
  try {
    return await work(t);
  } finally {
    await t.close();
  }
}

const rows = (t: TestApp) => t.conn.db.selectFrom('comments').selectAll().orderBy('created_at').execute();
const byStatus = (list: { status: string }[], status: string) => list.filter((c) => c.status === status).length;

describe('the corpora’s Disqus exports', () => {
  const remark = [
    // file, published as upstream imports them, the rest kept with their states
    { file: 'disqus.xml', published: 4, trash: 0 },
    { file: 'disqus-deleted-post.xml', published: 3, trash: 1 },
    { file: 'disqus-deleted-thread.xml', published: 2, trash: 3 },
  ];
  for (const { file, published, trash } of remark) {
    it(`remark42 ${file}: ${published} published as upstream, spam and damaged posts kept, not shown`, () =>
      withApp(async (t) => {
        const summary = await importFile(t.services.imports, 'disqus', corpus('remark42-migrator', file));
        const list = await rows(t);
        assert.equal(list.length, 6);
        assert.equal(byStatus(list, 'published'), published);
        assert.equal(byStatus(list, 'trash'), trash);
        assert.equal(byStatus(list, 'spam'), 1);
        // The stray backtick and the unquoted attribute were repaired, and said so.
        assert.ok(summary.warnings.some((w) => w.includes('before the first tag')));
        assert.ok(summary.warnings.some((w) => w.includes('unquoted attribute')));
        // No post matched: each thread became a draft holding its comments, title and link kept.
        assert.equal(summary.posts.drafts, 2);
        const drafts = await t.conn.db.selectFrom('posts').selectAll().execute();
        assert.ok(drafts.every((p) => p.status === 'draft' && p.title === 'Радио-Т: Радио-Т 229'));
        assert.ok(drafts.some((p) => p.html.includes('https://radio-t.com/p/2011/03/05/podcast-229/')));
        const first = list.find((c) => c.source_id === '299619020');
        assert.equal(first?.author_name, 'Alexander Blah');
        assert.equal(first?.ip, '178.178.178.178');
        assert.equal(first?.created_at, Date.parse('2011-08-31T15:16:29Z'));
        assert.match(
          first?.html ?? '',
          /^<p>The quick brown fox jumps over the lazy dog.<\/p><p><a href="https:\/\/https:\/\/radio-t.com" rel="ugc nofollow noopener">some link<\/a><\/p>$/,
        );
        // A commenter without an email gets a stable address that is never shown.
        assert.equal(first?.author_email, 'disqus-facebook-1787732238@invalid');
      }));
  }

  it('isso disqus.xml: replies keep their parents, the deleted post is kept empty, the orphan kept in a draft', () =>
    withApp(async (t) => {
      const summary = await importFile(t.services.imports, 'disqus', corpus('isso-migration/disqus.xml'));
      const list = await rows(t);
      assert.equal(list.length, 6);
      const bySource = new Map(list.map((c) => [c.source_id, c]));
      assert.equal(bySource.get('5')?.parent_id, bySource.get('4')?.id);
      assert.equal(bySource.get('11')?.parent_id, bySource.get('9')?.id);
      assert.equal(bySource.get('9')?.status, 'trash');
      assert.equal(bySource.get('9')?.html, '');
      assert.equal(byStatus(list, 'published'), 5);
      const orphanPost = await t.conn.db
        .selectFrom('posts')
        .selectAll()
        .where('id', '=', bySource.get('6')?.post_id ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(orphanPost.status, 'draft');
      assert.ok(summary.warnings.some((w) => w.includes('1337')));
      // Comments of one thread share a post; each thread got its own.
      assert.equal(bySource.get('4')?.post_id, bySource.get('11')?.post_id);
      assert.notEqual(bySource.get('4')?.post_id, bySource.get('8')?.post_id);
    }));
});

describe('threads find their posts', () => {
  const site =
    wxr(`<wp:author><wp:author_id>7</wp:author_id><wp:author_login>wren</wp:author_login><wp:author_email>wren@example.com</wp:author_email></wp:author>
    ${wxrItem(1, 'Letters', [comment(10, 0, 'reader@example.com', 0, '1', 'From WordPress')])}${wxrItem(2, 'Second thoughts', [])}`);
  const disqus = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="100"><id>1 https://old.example.com/?p=1</id><forum>wren</forum><link>https://elsewhere.example.com/x</link><title>Letters</title><createdAt>2020-01-02T10:00:00Z</createdAt><isDeleted>false</isDeleted></thread>
  <thread dsq:id="200"><id/><forum>wren</forum><link>https://old.example.com/2020/01/02/second-thoughts/</link><title>Second thoughts</title><isDeleted>false</isDeleted></thread>
  <thread dsq:id="300"><id/><forum>wren</forum><link>https://old.example.com/gone/</link><title>A page that is gone</title><isDeleted>false</isDeleted></thread>
  <post dsq:id="1"><message><![CDATA[<p>Found by identifier</p>]]></message><createdAt>2020-02-01T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>ann@example.com</email><name>Ann</name><username>ann</username></author><thread dsq:id="100"/></post>
  <post dsq:id="2"><message><![CDATA[<p>Answer from the author</p>]]></message><createdAt>2020-02-02T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>Wren@example.com</email><name>Wren</name><username>wren</username></author><thread dsq:id="100"/><parent dsq:id="1"/></post>
  <post dsq:id="3"><message><![CDATA[<p>Found by link</p>]]></message><createdAt>2020-02-03T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Bo</name><isAnonymous>true</isAnonymous></author><thread dsq:id="200"/></post>
  <post dsq:id="4"><message><![CDATA[<p>Nowhere to go</p>]]></message><createdAt>2020-02-04T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Cy</name><username>cy</username></author><thread dsq:id="300"/></post>
</disqus>`;

  it('by old address or identifier, keeps the author’s answers as staff, and drafts only what matches nothing', () =>
    withApp(async (t) => {
      await importText(t.services.imports, 'wordpress', site);
      const summary = await importText(t.services.imports, 'disqus', disqus);
      assert.equal(summary.posts.drafts, 1);
      const posts = await t.conn.db.selectFrom('posts').select(['id', 'slug', 'comment_count']).execute();
      const post = (slug: string) => posts.find((p) => p.slug === slug);
      const list = await rows(t);
      const bySource = new Map(list.map((c) => [c.source_id, c]));
      assert.equal(bySource.get('1')?.post_id, post('letters')?.id);
      assert.equal(bySource.get('2')?.parent_id, bySource.get('1')?.id);
      const wren = await t.conn.db.selectFrom('users').select('id').where('email', '=', 'wren@example.com').executeTakeFirstOrThrow();
      assert.equal(bySource.get('2')?.staff_user_id, wren.id);
      assert.equal(bySource.get('3')?.post_id, post('second-thoughts')?.id);
      assert.equal(bySource.get('3')?.author_email, 'disqus-bo@invalid');
      assert.equal(post('letters')?.comment_count, 3);
      assert.notEqual(bySource.get('4')?.post_id, post('letters')?.id);
      // The thread's summary knows the author answered.
      const thread = await t.conn.db
        .selectFrom('threads')
        .selectAll()
        .where('root_id', '=', bySource.get('1')?.id ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(thread.awaiting_since, null);
    }));

  it('adds nothing the second time', () =>
    withApp(async (t) => {
      await importText(t.services.imports, 'wordpress', site);
      await importText(t.services.imports, 'disqus', disqus);
      const before = await snapshot(t.services.imports);
      const again = await importText(t.services.imports, 'disqus', disqus);
      assert.equal(again.comments.added, 0);
      assert.equal(again.comments.existing, 4);
      assert.equal(again.posts.drafts, 0);
      assert.equal(await snapshot(t.services.imports), before);
    }));

  it('refuses a broken export with the line and column, and a WXR file given as Disqus', () =>
    withApp(async (t) => {
      const broken = disqus.replace('</post>\n  <post dsq:id="3">', '</pos>\n  <post dsq:id="3">');
      await assert.rejects(
        importText(t.services.imports, 'disqus', broken),
        (err: Error) => err instanceof InvalidError && /^line 9, column \d+: /.test(err.message),
      );
      await assert.rejects(
        importText(t.services.imports, 'disqus', site),
        (err: Error) => err instanceof InvalidError && /not a Disqus export/.test(err.message),
      );
      assert.equal(await countRows(t.conn.db, 'comments'), 0);
    }));
});
