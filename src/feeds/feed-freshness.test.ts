// A feed says when it last changed, and a reader polling with If-Modified-Since gets 304 until a
// newer item arrives. A tag's page links all three of its feeds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';

const HOUR = 3_600_000;
const FEEDS = ['/feed.xml', '/atom.xml', '/feed.json', '/tag/craft/feed.xml', '/tag/craft/atom.xml', '/tag/craft/feed.json'];

describe('feed freshness', () => {
  let t: TestApp;
  let author: Staff;
  let newest: number;
  before(async () => {
    t = await testApp();
    author = await makeStaff(t, 'author', 'Ada Author');
    await makePost(t, author, { title: 'Older', slug: 'older', tags: ['Craft'], publishedAt: t.clock.now() - 5 * HOUR });
    const post = await makePost(t, author, { title: 'Newer', slug: 'newer', tags: ['Craft'], publishedAt: t.clock.now() - 2 * HOUR });
    newest = Math.max(post.published_at ?? 0, post.updated_at);
  });
  after(() => t.close());

  it('sends Last-Modified, the newest item’s date, with every feed', async () => {
    for (const url of FEEDS) {
      const res = await t.request(url);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers.get('last-modified'), new Date(newest).toUTCString(), url);
    }
  });

  it('answers If-Modified-Since with 304 while nothing newer came, and with the feed once something did', async () => {
    for (const url of FEEDS) {
      const since = (await t.request(url)).headers.get('last-modified') ?? '';
      const same = await t.request(url, { headers: { 'if-modified-since': since } });
      assert.equal(same.status, 304, url);
      assert.equal(await same.text(), '', url);
      const older = await t.request(url, { headers: { 'if-modified-since': new Date(newest - HOUR).toUTCString() } });
      assert.equal(older.status, 200, `${url}: a copy older than the newest item is sent the feed`);
      const garbage = await t.request(url, { headers: { 'if-modified-since': 'yesterday-ish' } });
      assert.equal(garbage.status, 200, `${url}: a date that is not one is ignored`);
    }
    const since = (await t.request('/tag/craft/feed.xml')).headers.get('last-modified') ?? '';
    t.clock.advance(HOUR);
    await makePost(t, author, { title: 'Newest', slug: 'newest', tags: ['Craft'], publishedAt: t.clock.now() });
    const res = await t.request('/tag/craft/feed.xml', { headers: { 'if-modified-since': since } });
    assert.equal(res.status, 200, 'a newer post makes the feed new again');
    assert.match(await res.text(), /Newest/);
    assert.equal(res.headers.get('last-modified'), new Date(t.clock.now()).toUTCString());
  });

  it('lets an If-None-Match that does not match win over an If-Modified-Since that would', async () => {
    const since = (await t.request('/feed.xml')).headers.get('last-modified') ?? '';
    const res = await t.request('/feed.xml', { headers: { 'if-modified-since': since, 'if-none-match': '"another"' } });
    assert.equal(res.status, 200);
  });

  it('links a tag’s RSS, Atom and JSON feeds in its page’s head and on the page', async () => {
    const html = await (await t.request('/tag/craft/')).text();
    const head = html.slice(0, html.indexOf('</head>'));
    const feeds: [string, string][] = [
      ['application/rss+xml', 'feed.xml'],
      ['application/atom+xml', 'atom.xml'],
      ['application/feed+json', 'feed.json'],
    ];
    for (const [type, file] of feeds) {
      assert.match(
        head,
        new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]*Craft[^"]*" href="/tag/craft/${file}"`),
      );
      const body = html.slice(html.indexOf('<main'));
      assert.match(body, new RegExp(`<a href="/tag/craft/${file}" type="${type.replace('+', '\\+')}">`), `a visible link to ${file}`);
      assert.equal((await t.request(`/tag/craft/${file}`)).status, 200);
    }
  });
});
