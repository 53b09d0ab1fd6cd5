// The workspace's Sites page through HTTP, as the owner's browser uses it: registering an origin
// (with CSRF), a refused address told plainly with her text kept, reading a real sitemap served on
// a loopback port into one thread per page (canonical addresses, nothing added the second time),
// the site's comments feed, and Remove (conversations stay, CORS goes). Authors never reach it.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { reader, sendComment, staffWithToken } from '../../test/kits/comments.js';
import { EXTERNAL_KIND } from '../db/tables.js';

/** A static site on a loopback port: its sitemap (`/sitemap.xml`) and nothing else. */
async function startStaticSite(sitemap: (origin: string) => string) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    if (req.url === '/sitemap.xml') {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'application/xml' }).end(sitemap(origin));
    } else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Entities, tracking parameters, fragments, index.html, a missing trailing slash, unsorted
// parameters, a duplicate of the first page, and a page of another site (ignored).
const SITEMAP = (origin: string) => `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>${origin}/posts/hello?utm_source=rss#top</loc><lastmod>2026-02-01</lastmod></url>
  <url><loc> ${origin}/about/index.html </loc></url>
  <url><loc>${origin}/search?q=tea&amp;lang=en</loc></url>
  <url><loc>${origin}/posts/hello/</loc></url>
  <url><loc>https://elsewhere.example.net/stolen/</loc></url>
</urlset>`;

const CANONICAL = (origin: string) => [`${origin}/about/`, `${origin}/posts/hello/`, `${origin}/search/?lang=en&q=tea`];

describe('the workspace Sites page', () => {
  let t: TestApp;
  let site: Awaited<ReturnType<typeof startStaticSite>>;
  let owner: Browser;
  let ownerApi: Awaited<ReturnType<typeof staffWithToken>>;
  before(async () => {
    t = await testApp();
    site = await startStaticSite(SITEMAP);
    ownerApi = await staffWithToken(t, 'owner', 'Olive Owner');
    owner = new Browser(t);
    assert.equal((await owner.signIn(ownerApi.staff.email)).status, 303);
  });
  after(async () => {
    await site.close();
    await t.close();
  });

  const threads = () =>
    t.conn.db
      .selectFrom('posts')
      .select(['slug', 'external_url', 'site_id', 'status'])
      .where('kind', '=', EXTERNAL_KIND)
      .orderBy('external_url')
      .execute();

  const preflight = (origin: string) =>
    t.request('/c-0000000000000000/comments', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-hearth-embed' },
    });

  it('is the owner’s alone: an author gets 403 and no Sites link', async () => {
    const ada = await staffWithToken(t, 'author', 'Ada Author');
    const asAda = new Browser(t);
    await asAda.signIn(ada.staff.email);
    assert.equal((await asAda.get('/admin/sites')).status, 403);
    assert.doesNotMatch(await (await asAda.get('/admin/')).text(), /href="\/admin\/sites"/);
    // Nor can she send its forms with her own valid CSRF token.
    assert.equal((await asAda.post('/admin/sites', { origin: 'https://ada.example.org', name: '' })).status, 403);
    assert.equal((await t.services.sites.list()).length, 0);
    assert.match(await (await owner.get('/admin/')).text(), /href="\/admin\/sites"/);
  });

  it('refuses an address that is not a site, says why, and keeps what she typed', async () => {
    const page = await owner.get('/admin/sites');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /No other site yet\./);
    const refused = await owner.post('/admin/sites', { origin: 'ftp://files.example.org', name: 'Old files' });
    assert.equal(refused.status, 422);
    const html = await refused.text();
    assert.match(html, /role="alert"[^>]*>Give the site’s address, starting with https:\/\/ \(or http:\/\/\)\.</);
    assert.match(html, /<input[^>]*name="origin"[^>]*value="ftp:\/\/files\.example\.org"/);
    assert.match(html, /<input[^>]*name="name"[^>]*value="Old files"/);
    // Without the page's CSRF token the form is refused and nothing is registered.
    assert.equal((await owner.post('/admin/sites', { origin: site.origin, name: 'Forged' }, { csrf: null })).status, 403);
    assert.equal((await t.services.sites.list()).length, 0);
  });

  it('registers a site, reads its sitemap into one thread per page, and adds nothing the second time', async () => {
    assert.equal((await preflight(site.origin)).status, 403, 'not registered yet: no CORS');
    await owner.get('/admin/sites');
    const made = await owner.post('/admin/sites', { origin: `${site.origin.replace('http', 'HTTP')}/`, name: 'Tea notes' });
    assert.equal(made.status, 303);
    const listed = await owner.get(made.headers.get('location') ?? '');
    let html = await listed.text();
    assert.match(html, new RegExp(`role="status"[^>]*>${site.origin.replaceAll('.', '\\.')} is registered\\.<`));
    assert.match(html, /<h3>Tea notes<\/h3>/);
    assert.ok(html.includes(`<code>${site.origin}</code> · 0 pages with a conversation`));
    const again = await owner.post('/admin/sites', { origin: site.origin, name: '' });
    assert.equal(again.status, 422);
    assert.ok((await again.text()).includes(`${site.origin} is registered already.`));
    assert.equal((await preflight(site.origin)).headers.get('access-control-allow-origin'), site.origin);

    // The button, as the page offers it: its form's action and the sitemap address it fills in.
    html = await (await owner.get('/admin/sites')).text();
    const action = /action="(\/admin\/sites\/[0-9a-f-]{36}\/sitemap)"/.exec(html)?.[1];
    const sitemap = /name="sitemap"[^>]*value="([^"]+)"/.exec(html)?.[1];
    assert.ok(action && sitemap);
    assert.equal(sitemap, `${site.origin}/sitemap.xml`);
    const read = await owner.post(action, { sitemap });
    assert.equal(read.status, 303);
    assert.match(await (await owner.get(read.headers.get('location') ?? '')).text(), />3 new pages from the sitemap\.</);
    assert.equal(site.requests(), 1);
    const [registered] = await t.services.sites.list();
    const rows = await threads();
    assert.deepEqual(
      rows.map((r) => r.external_url),
      CANONICAL(site.origin),
    );
    assert.ok(rows.every((r) => r.site_id === registered?.id && r.status === 'published'));
    assert.ok(owner.lastHtml.includes('3 pages with a conversation'));
    // Each thread has its page on Hearth, and the embed finds it by any address of the page.
    const hello = rows.find((r) => r.external_url === `${site.origin}/posts/hello/`);
    assert.equal((await t.request(`/${hello?.slug}/`)).status, 200);
    const link = await t.request(`/embed/page?url=${encodeURIComponent(`${site.origin}/posts/hello#comments`)}`);
    assert.equal(link.headers.get('location'), `/${hello?.slug}/#comments`);

    const second = await owner.post(action, { sitemap });
    assert.equal(second.status, 303);
    assert.match(await (await owner.get(second.headers.get('location') ?? '')).text(), />0 new pages from the sitemap\.</);
    assert.equal(site.requests(), 2);
    assert.equal((await threads()).length, 3);

    // A sitemap elsewhere, or one the site does not have, is refused with the reason.
    const elsewhere = await owner.post(action, { sitemap: 'https://elsewhere.example.net/sitemap.xml' });
    assert.equal(elsewhere.status, 422);
    assert.ok((await elsewhere.text()).includes(`The sitemap must be on ${site.origin}.`));
    const missing = await owner.post(action, { sitemap: `${site.origin}/missing.xml` });
    assert.equal(missing.status, 422);
    assert.match(await missing.text(), /The sitemap could not be read: the site answered 404\./);
    assert.equal((await threads()).length, 3);
  });

  it('links the site’s feed of new comments, which carries a published comment of its pages', async () => {
    const html = await (await owner.get('/admin/sites')).text();
    const href = /<a href="(\/embed\/sites\/[0-9a-f-]{36}\/comments\.xml)">feed of new comments<\/a>/.exec(html)?.[1];
    assert.ok(href, 'a feed link on the site');
    const hello = (await threads()).find((r) => r.external_url === `${site.origin}/posts/hello/`);
    assert.ok(hello);
    const sent = await sendComment(t, hello.slug, { ...reader('Mara Quill'), body: 'Which tea was it?' });
    assert.equal(sent.status, 303);
    const id = /#comment-([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1];
    assert.ok(id);
    assert.equal((await ownerApi.api(`/api/v1/admin/comments/${id}/approve`, { method: 'POST' })).status, 200);
    const feed = await t.request(href);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type') ?? '', /^application\/atom\+xml/);
    const xml = await feed.text();
    assert.match(xml, /<title>Comments on Tea notes<\/title>/);
    assert.match(xml, /Mara Quill on /);
    assert.ok(xml.includes(`${site.origin}/posts/hello/#comment-${id}`));
  });

  it('removes a site: its conversations stay readable here, its origin gets no CORS answer', async () => {
    const html = await (await owner.get('/admin/sites')).text();
    const action = /action="(\/admin\/sites\/[0-9a-f-]{36}\/remove)"/.exec(html)?.[1];
    assert.ok(action);
    assert.match(html, /Remove Tea notes/);
    const removed = await owner.post(action, {});
    assert.equal(removed.status, 303);
    const after = await (await owner.get(removed.headers.get('location') ?? '')).text();
    assert.match(after, /Removed\. Its conversations stay readable here\./);
    assert.match(after, /No other site yet\./);
    assert.equal((await t.services.sites.list()).length, 0);

    const rows = await threads();
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.site_id === null));
    const hello = rows.find((r) => r.external_url === `${site.origin}/posts/hello/`);
    const page = await t.request(`/${hello?.slug}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Which tea was it\?/);

    assert.equal((await preflight(site.origin)).status, 403);
    const embed = await t.request(`/embed/thread?url=${encodeURIComponent(`${site.origin}/posts/hello/`)}&form=1`, {
      headers: { origin: site.origin },
    });
    assert.equal(embed.status, 403);
    assert.equal(embed.headers.get('access-control-allow-origin'), null);
    assert.equal((await owner.post(action, {})).status, 404, 'removing it again');
  });
});
