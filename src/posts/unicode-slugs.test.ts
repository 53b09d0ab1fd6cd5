// A post or tag named in any script gets a readable address that leads to it, its feeds and its
// comments; addresses carry the slug percent-encoded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { hiddenFields, loadPage, staffWithToken } from '../../test/kits/comments.js';

describe('slugs in other scripts', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof staffWithToken>>['api'];
  before(async () => {
    t = await testApp();
    ({ api } = await staffWithToken(t, 'owner', 'Olive Owner'));
  });
  after(() => t.close());

  const create = async (title: string, tags: string[] = []) => {
    const res = await api('/api/v1/admin/posts', { method: 'POST', json: { title, markdown: 'Words.', status: 'published', tags } });
    assert.equal(res.status, 201, title);
    return (await res.json()) as { slug: string };
  };

  it('spells Cyrillic titles in Latin letters and serves the post at that address', async () => {
    const post = await create('Привет, мир');
    assert.equal(post.slug, 'privet-mir');
    const res = await t.request('/privet-mir/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<h1[^>]*>Привет, мир<\/h1>/);
  });

  it('keeps Chinese titles as letters, serves the post at its encoded address, and redirects the bare one', async () => {
    const post = await create('你好世界', ['读书']);
    assert.equal(post.slug, '你好世界');
    const path = `/${encodeURIComponent('你好世界')}/`;
    const page = await t.request(path);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, new RegExp(`<link rel="canonical" href="${TEST_BASE_URL}${path}"`));
    const bare = await t.request(`/${encodeURIComponent('你好世界')}`);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), path);

    const tagPath = `/tag/${encodeURIComponent('读书')}/`;
    const tagPage = await t.request(tagPath);
    assert.equal(tagPage.status, 200);
    assert.match(await tagPage.text(), /你好世界/);
    const feed = await t.request(`${tagPath}feed.xml`);
    assert.equal(feed.status, 200);
    assert.ok((await feed.text()).includes(`<link>${TEST_BASE_URL}${path}</link>`), 'the feed links the encoded address');
  });

  it('takes a comment on a post whose slug is in another script', async () => {
    const post = await create('שלום עולם');
    const path = `/${encodeURIComponent(post.slug)}/`;
    const { ts, token } = hiddenFields((await loadPage(t, path)).html);
    t.clock.advance(5000);
    const res = await t.request(`/${encodeURIComponent(post.slug)}/comments`, {
      method: 'POST',
      headers: { origin: TEST_BASE_URL, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ts, token, name: 'Dana', email: 'dana@example.com', body: 'Hello there.' }).toString(),
    });
    assert.equal(res.status, 303);
    assert.ok(res.headers.get('location')?.startsWith(path), 'back to the post, at its encoded address');
  });

  it('never makes a slug of digits alone from a title of digits', async () => {
    const author = (await staffWithToken(t, 'author', 'Ada Author')).staff;
    const post = await makePost(t, author, { title: '1984' });
    assert.equal(post.slug, 'n-1984');
    assert.equal((await t.request('/n-1984/')).status, 200);
  });
});
