import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../test/factories.js';
import { type TestApp, testApp } from '../test/harness.js';
import { seedDemoContent } from './demo/demo-content.js';

describe('the public site over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedDemoContent({ ...t.services, clock: t.clock });
  });
  after(() => t.close());

  it('answers /healthz with {"ok":true} when the database answers', async () => {
    const res = await t.request('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  });

  it('gives every response an X-Request-Id, also errors', async () => {
    for (const path of ['/', '/no-such-post/', '/healthz']) {
      const res = await t.request(path);
      assert.match(res.headers.get('x-request-id') ?? '', /^[\w-]{8,}$/, path);
    }
  });

  it('lists the demo posts on the home page, newest first, with their comment counts', async () => {
    const res = await t.request('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    const order = ['Welcome to your Hearth', 'Why every reader deserves an answer', 'Writing with Markdown in Hearth'].map((title) =>
      html.indexOf(title),
    );
    assert.ok(
      order.every((i) => i > 0),
      'all three demo posts are listed',
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'newest first',
    );
    assert.match(html, /href="\/why-every-reader-deserves-an-answer\/#comments" data-comment-count="4"/);
  });

  it('shows a post with its threaded conversation and the Author badge on staff replies', async () => {
    const res = await t.request('/why-every-reader-deserves-an-answer/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>Why every reader deserves an answer<\/h1>/);
    assert.match(html, /data-comment-count="4"/);
    const comments = [...html.matchAll(/<li id="comment-([0-9a-f-]{36})" class="(comment[^"]*)"( data-author-role="(\w+)")?/g)];
    assert.equal(comments.length, 4);
    const staff = comments.filter((m) => m[4]);
    assert.equal(staff.length, 1);
    assert.equal(staff[0]?.[4], 'author');
    assert.match(html, /<span class="badge">Author<\/span>/);
    // The author's reply sits inside Maya's comment element.
    const maya = html.indexOf(`id="comment-${comments[0]?.[1]}"`);
    const reply = html.indexOf(`id="comment-${staff[0]?.[1]}"`);
    const tomas = html.indexOf('Tomas');
    assert.ok(maya < reply && reply < tomas);
    assert.match(html, /<time datetime="\d{4}-\d\d-\d\dT/);
  });

  it('redirects a post address without its trailing slash with 301', async () => {
    const res = await t.request('/welcome-to-your-hearth');
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/welcome-to-your-hearth/');
  });

  it('answers an unknown address with a 404 page, or JSON when asked', async () => {
    const page = await t.request('/nothing-here/');
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Page not found/);
    const json = await t.request('/nothing-here/', { headers: { accept: 'application/json' } });
    assert.equal(json.status, 404);
    assert.deepEqual(await json.json(), { error: { code: 'not_found', message: 'There is nothing at this address.' } });
  });

  it('serves the stylesheet with a cache lifetime and answers a conditional GET with 304', async () => {
    const res = await t.request('/assets/style.css');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    const again = await t.request('/assets/style.css', { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    assert.equal(again.status, 304);
  });

  it('answers a repeated page request with 304 when the page has not changed', async () => {
    for (const path of ['/', '/archive/', '/tag/hearth/']) {
      const res = await t.request(path);
      const etag = res.headers.get('etag') ?? '';
      assert.match(etag, /^W\/"/, path);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
      const again = await t.request(path, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '');
    }
  });

  it('gives a post page a new tag with each render: its comment form carries the time it was served', async () => {
    const path = '/why-every-reader-deserves-an-answer/';
    const res = await t.request(path);
    const etag = res.headers.get('etag') ?? '';
    assert.match(etag, /^W\/"/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
    const again = await t.request(path, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 200);
    assert.notEqual(again.headers.get('etag'), etag);
  });

  it('sends a Content-Security-Policy that allows nothing from other sites', async () => {
    const csp = (await t.request('/')).headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
  });
});

describe('what readers may see', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('hides drafts, and scheduled posts until their time comes', async () => {
    const author = await makeStaff(t);
    await makePost(t, author, { title: 'Still a draft', slug: 'still-a-draft', status: 'draft' });
    await makePost(t, author, { title: 'Coming soon', slug: 'coming-soon', status: 'scheduled', publishedAt: t.clock.now() + 60_000 });
    assert.equal((await t.request('/still-a-draft/')).status, 404);
    assert.equal((await t.request('/coming-soon/')).status, 404);
    assert.doesNotMatch(await (await t.request('/')).text(), /Still a draft|Coming soon/);
    t.clock.advance(60_000);
    assert.equal((await t.request('/coming-soon/')).status, 200);
  });

  it('escapes titles, so a title cannot inject markup', async () => {
    const author = await makeStaff(t);
    await makePost(t, author, { title: '<script>alert(1)</script> & friends', slug: 'escaped-title' });
    const html = await (await t.request('/escaped-title/')).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; friends/);
  });

  it('pages the home page and refuses pages past the end', async () => {
    const author = await makeStaff(t);
    for (let i = 0; i < 11; i++) await makePost(t, author, { title: `Numbered post ${i}`, publishedAt: t.clock.now() - 1000 * (i + 1) });
    const first = await (await t.request('/')).text();
    assert.match(first, /href="\/\?page=2" rel="next"/);
    const second = await t.request('/?page=2');
    assert.equal(second.status, 200);
    assert.match(await second.text(), /rel="prev"/);
    assert.equal((await t.request('/?page=99')).status, 404);
    assert.equal((await t.request('/?page=abc')).status, 404);
  });
});
