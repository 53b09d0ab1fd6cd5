// Another site's pages and their conversations over HTTP: registered origins only (CORS, forms
// with the page's token), the thread found by canonical address, the build-time include with its
// link to the form, her credential carried without cookies, and nothing of it on Hearth's listings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type TestApp, testApp } from '../../test/harness.js';
import { staffWithToken } from '../../test/kits/comments.js';

const BLOG = 'https://blog.example.org';
const PAGE = `${BLOG}/posts/hello/`;

describe('conversations on another site', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof staffWithToken>>;
  before(async () => {
    t = await testApp();
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    await t.services.sites.register('https://Blog.Example.org:443/', 'The blog');
  });
  after(() => t.close());

  const thread = (query: string, headers: Record<string, string> = {}) => t.request(`/embed/thread?${query}`, { headers });

  it('serves an embed script under 5 KB gzipped, from Hearth itself', async () => {
    const res = await t.request('/assets/embed.js');
    assert.equal(res.status, 200);
    const script = Buffer.from(await res.arrayBuffer());
    const gzipped = gzipSync(script, { level: 9 }).length;
    assert.ok(gzipped < 5 * 1024, `embed.js is ${gzipped} bytes gzipped`);
    assert.doesNotMatch(script.toString(), /https?:\/\/(?!127\.0\.0\.1)[a-z]/i, 'it names no other host');
  });

  it('refuses an origin the owner did not register, for reading and for sending', async () => {
    const other = 'https://elsewhere.example.net';
    const read = await thread(`url=${encodeURIComponent(`${other}/a/`)}&form=1`, { origin: other });
    assert.equal(read.status, 403);
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    // A page of a registered site asked for from an unregistered one is refused too.
    assert.equal((await thread(`url=${encodeURIComponent(PAGE)}`, { origin: other })).status, 403);
    const preflight = await t.request('/c-0000000000000000/comments', {
      method: 'OPTIONS',
      headers: { origin: other, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 403);
    // Without an Origin (a build), a page of an unregistered site has no conversation.
    assert.equal((await thread(`url=${encodeURIComponent(`${other}/a/`)}`)).status, 404);
  });

  it('finds one thread for every address of a page, and the build-time include links to its form', async () => {
    const res = await thread(`url=${encodeURIComponent('https://BLOG.example.org/posts/hello?utm_source=rss#top')}&title=Hello`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    const html = await res.text();
    const slug = /data-hearth-slug="(c-[0-9a-f]{16})"/.exec(html)?.[1];
    assert.ok(slug);
    assert.match(html, new RegExp(`<a href="http://hearth.test/${slug}/#respond">Join the conversation</a>`));
    assert.doesNotMatch(html, /<form/, 'a build gets no form that would grow old');
    const again = await (await thread(`url=${encodeURIComponent(PAGE)}`)).text();
    assert.match(again, new RegExp(`data-hearth-slug="${slug}"`));
    const page = await t.request(`/${slug}/`);
    assert.equal(page.status, 200);
    const own = await page.text();
    assert.match(own, /<form[^>]*data-comment-form/);
    assert.match(own, new RegExp(`href="${PAGE}"`));
    // The no-JS link a page carries before it knows its thread.
    const link = await t.request(`/embed/page?url=${encodeURIComponent(PAGE)}`);
    assert.equal(link.status, 303);
    assert.equal(link.headers.get('location'), `/${slug}/#comments`);
    // Never on Hearth's own listings.
    for (const path of ['/', '/sitemap.xml', '/feed.xml', '/search?q=hello']) {
      const body = await (await t.request(path)).text();
      assert.doesNotMatch(body, new RegExp(slug), path);
    }
    const listed = (await (await owner.api('/api/v1/admin/posts')).json()) as { items: { slug: string }[] };
    assert.ok(!listed.items.some((p) => p.slug === slug));
  });

  it('takes a comment from the embed with the page’s token, gives her credential instead of a cookie, and lets her edit', async () => {
    const headers = { origin: BLOG };
    const preflight = await t.request('/c-0000000000000000/comments', {
      method: 'OPTIONS',
      headers: { origin: BLOG, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-hearth-embed' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), BLOG);
    const res = await thread(`url=${encodeURIComponent(PAGE)}&form=1`, headers);
    assert.equal(res.headers.get('access-control-allow-origin'), BLOG);
    const html = await res.text();
    const slug = /data-hearth-slug="([^"]+)"/.exec(html)?.[1] as string;
    const embedToken = /data-hearth-token="([^"]+)"/.exec(html)?.[1] as string;
    assert.match(html, new RegExp(`<form[^>]*action="http://hearth.test/${slug}/comments"`));
    const ts = /name="ts" value="(\d+)"/.exec(html)?.[1] as string;
    const token = /name="token" value="([\w-]+)"/.exec(html)?.[1] as string;
    t.clock.advance(5000);
    const fields = { ts, token, name: 'Mara Quill', email: 'mara@example.com', body: 'Lovely page.' };
    const send = (extra: Record<string, string>, body: Record<string, string> = fields, path = `/${slug}/comments`) =>
      t.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json', ...extra },
        body: JSON.stringify(body),
      });
    assert.equal((await send({})).status, 403, 'no token: refused like any other site');
    assert.equal((await send({ 'x-hearth-embed': 'forged' })).status, 403);
    const sent = await send({ 'x-hearth-embed': embedToken });
    assert.equal(sent.status, 201);
    assert.equal(sent.headers.get('set-cookie'), null);
    assert.equal(sent.headers.get('access-control-allow-origin'), BLOG);
    const { id, status, credential } = (await sent.json()) as { id: string; status: string; credential: string };
    assert.equal(status, 'pending');
    assert.ok(credential);
    // Her held comment shows to her alone, with its edit link, when the embed sends her credential.
    const hers = await (
      await thread(`url=${encodeURIComponent(PAGE)}&form=1&edit=${id}`, { ...headers, 'x-hearth-credential': credential })
    ).text();
    assert.match(hers, /Lovely page\./);
    assert.match(hers, new RegExp(`action="http://hearth.test/${slug}/comments/${id}/edit"`));
    const strangers = await (await thread(`url=${encodeURIComponent(PAGE)}&form=1`, headers)).text();
    assert.doesNotMatch(strangers, /Lovely page\./);
    const edited = await send(
      { 'x-hearth-embed': embedToken, 'x-hearth-credential': credential },
      { ts, token, body: 'Lovely page, truly.' },
      `/${slug}/comments/${id}/edit`,
    );
    assert.equal(edited.status, 200);
    assert.equal((await send({ 'x-hearth-embed': embedToken }, { ts, token, body: 'Hijack' }, `/${slug}/comments/${id}/edit`)).status, 404);
    // Published by the owner: in the build-time include for everyone, and in the site's feed.
    assert.equal((await owner.api(`/api/v1/admin/comments/${id}/approve`, { method: 'POST' })).status, 200);
    const built = await (await thread(`url=${encodeURIComponent(PAGE)}`)).text();
    assert.match(built, /Lovely page, truly\./);
    const [site] = await t.services.sites.list();
    assert.equal(site?.pages, 1);
    const feed = await (await t.request(`/embed/sites/${site?.id}/comments.xml`)).text();
    assert.match(feed, /Mara Quill on Hello/);
    assert.ok(feed.includes(`${PAGE}#comment-${id}`));
  });

  it('a token for one site’s page does not open another registered site’s forms', async () => {
    await t.services.sites.register('http://127.0.0.1:8081', 'Local');
    const html = await (await thread(`url=${encodeURIComponent(PAGE)}&form=1`, { origin: BLOG })).text();
    const slug = /data-hearth-slug="([^"]+)"/.exec(html)?.[1] as string;
    const embedToken = /data-hearth-token="([^"]+)"/.exec(html)?.[1] as string;
    const res = await t.request(`/${slug}/comments`, {
      method: 'POST',
      headers: {
        origin: 'http://127.0.0.1:8081',
        'x-hearth-embed': embedToken,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ body: 'x' }),
    });
    assert.equal(res.status, 403);
  });
});
