// Webmention end to end, with other sites played by real HTTP servers on loopback ports: a reply
// verified and held, approved and shown "from" its site; a like counted on the post page; an update; a 410; a spoof;
// the SSRF guard (nothing fetched from a private address when the setting is off); and sending, on
// publishing, updating, a scheduled post going live and deleting (whose address then answers 410).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';
import { isPublicAddress } from './address-policy.js';
import { DEFAULT_LIMITS, RefusedFetchError, safeFetch } from './safe-fetch.js';
import { createWebmentionWorker } from './webmention-worker.js';

interface OtherSite {
  url: string;
  pages: Map<string, { status?: number; body: string; headers?: Record<string, string> }>;
  seen: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

async function otherSite(): Promise<OtherSite> {
  const pages: OtherSite['pages'] = new Map();
  const seen: OtherSite['seen'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      const page = pages.get(req.url ?? '');
      res.writeHead(page?.status ?? (page ? 200 : 404), { 'content-type': 'text/html; charset=utf-8', ...page?.headers });
      res.end(page?.body ?? 'not here');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, pages, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const replyPage = (target: string, words: string) =>
  `<!doctype html><html><body><article class="h-entry"><a class="u-in-reply-to" href="${target}">In reply to</a>
  <a class="p-author h-card" href="https://ines.example/">Inès Marlow</a><div class="e-content">${words}</div></article></body></html>`;

const send = (t: TestApp, source: string, target: string) =>
  t.request('/webmention', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ source, target }).toString(),
  });

describe('webmention: receiving', () => {
  let t: TestApp;
  let other: OtherSite;
  let drain: () => Promise<number>;
  let target: string;
  let postId: string;
  let slug: string;
  let author: Staff;
  before(async () => {
    t = await testApp();
    other = await otherSite();
    author = await makeStaff(t, 'owner');
    const post = await makePost(t, author, { title: 'On hearths' });
    [postId, slug, target] = [post.id, post.slug, `${TEST_BASE_URL}/${post.slug}/`];
    drain = createWebmentionWorker({
      db: t.conn.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      webmentions: t.services.webmentions,
    }).drainUntilIdle;
  });
  after(async () => {
    await other.close();
    await t.close();
  });

  it('advertises its endpoint on post pages by Link header and <link>', async () => {
    const res = await t.request(`/${slug}/`);
    assert.equal(res.headers.get('link'), `<${TEST_BASE_URL}/webmention>; rel="webmention"`);
    assert.match(await res.text(), /<link rel="webmention" href="http:\/\/hearth.test\/webmention"/);
  });

  it('answers 400 with a reason to a target not here, a bad source, or source = target', async () => {
    for (const [source, tgt, reason] of [
      [`${other.url}/x`, 'http://elsewhere.example/post/', /not an address of this site/],
      [`${other.url}/x`, `${TEST_BASE_URL}/no-such-post/`, /not a post of this site/],
      ['ftp://example.com/x', target, /http or https/],
      [target, target, /same address/],
    ] as const) {
      const res = await send(t, source, tgt);
      assert.equal(res.status, 400);
      assert.match(await res.text(), reason);
    }
  });

  it('verifies a reply from another site, holds it, and shows it "from" that site once approved', async () => {
    other.pages.set('/reply', { body: replyPage(target, 'A warm answer from my own blog.') });
    const res = await send(t, `${other.url}/reply`, target);
    assert.equal(res.status, 202);
    const status = res.headers.get('location') ?? '';
    assert.match(status, /\/webmention\/[0-9a-f-]{36}$/);
    assert.equal(((await (await t.request(status)).json()) as { status: string }).status, 'queued');
    assert.ok((await drain()) >= 1);
    const after = (await (await t.request(status)).json()) as { status: string; kind: string };
    assert.deepEqual([after.status, after.kind], ['verified', 'reply']);
    const row = await t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', postId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending', 'held as a first-time reader is');
    assert.deepEqual([row.origin, row.origin_url, row.author_name], ['web', `${other.url}/reply`, 'Inès Marlow']);
    assert.doesNotMatch(await (await t.request(`/${slug}/`)).text(), /A warm answer/);
    const owner = await makeStaff(t, 'owner', 'Ada Owner');
    await t.services.comments.act(owner, row.id, 'approve');
    const page = await (await t.request(`/${slug}/`)).text();
    assert.match(page, /A warm answer from my own blog/);
    assert.match(page, new RegExp(`from ${new URL(other.url).host.replace(/\./g, '\\.')}`));
  });

  it('updates the comment when the source is sent again with new words', async () => {
    other.pages.set('/reply', { body: replyPage(target, 'A warmer answer, edited.') });
    assert.equal((await send(t, `${other.url}/reply`, target)).status, 202);
    await drain();
    const row = await t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', postId).executeTakeFirstOrThrow();
    assert.equal(row.markdown, 'A warmer answer, edited.');
    assert.ok(row.edited_at !== null);
    assert.equal(row.status, 'published');
  });

  it('counts a like on the post page', async () => {
    other.pages.set('/like', {
      body: `<div class="h-entry"><a class="u-like-of" href="${target}">liked</a><a class="p-author h-card" href="/">Tom</a></div>`,
    });
    assert.equal((await send(t, `${other.url}/like`, target)).status, 202);
    await drain();
    assert.deepEqual(await t.services.webmentions.counts(postId), { like: 1 });
    // Counted with the fediverse's likes, above the conversation; no boost yet, so none is shown.
    const page = await (await t.request(`/${slug}/`)).text();
    assert.match(page, /<p class="meta post-reactions">1 like<\/p>/);
    assert.doesNotMatch(page, /boost/);
    // In the post's language, by its plural rules: Arabic has a form of its own for one.
    await t.services.posts.update(postId, { language: 'ar' }, author);
    assert.match(await (await t.request(`/${slug}/`)).text(), /<p class="meta post-reactions">إعجاب واحد<\/p>/);
    await t.services.posts.update(postId, { language: 'fr' }, author);
    assert.match(await (await t.request(`/${slug}/`)).text(), /<p class="meta post-reactions">1 j’aime<\/p>/);
    await t.services.posts.update(postId, { language: null }, author);
  });

  it('changes nothing for a spoofed Webmention whose source does not link to the post', async () => {
    other.pages.set('/spoof', { body: '<p class="h-entry"><span class="e-content">Nothing to see.</span></p>' });
    const before = await t.conn.db.selectFrom('comments').select('id').execute();
    const res = await send(t, `${other.url}/spoof`, target);
    await drain();
    const status = (await (await t.request(res.headers.get('location') ?? '')).json()) as { status: string; note: string };
    assert.equal(status.status, 'refused');
    assert.match(status.note, /does not link/);
    assert.deepEqual(await t.conn.db.selectFrom('comments').select('id').execute(), before);
    assert.deepEqual(await t.services.webmentions.counts(postId), { like: 1 });
  });

  it('removes the reply when its source answers 410 Gone, and the like when its page no longer links', async () => {
    other.pages.set('/reply', { status: 410, body: 'gone' });
    await send(t, `${other.url}/reply`, target);
    other.pages.set('/like', { body: '<p>I changed my mind.</p>' });
    await send(t, `${other.url}/like`, target);
    await drain();
    const row = await t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', postId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'trash');
    assert.deepEqual(await t.services.webmentions.counts(postId), {});
    assert.doesNotMatch(await (await t.request(`/${slug}/`)).text(), /warmer answer|From the web|post-reactions/);
  });

  it('lists what came in on the workspace page', async () => {
    const list = await t.services.webmentions.recent(10);
    assert.equal(list.total, 3);
    assert.deepEqual(list.rows.map((r) => r.status).sort(), ['refused', 'removed', 'removed']);
  });
});

describe('webmention: never a private address unless allowed', () => {
  let t: TestApp;
  let other: OtherSite;
  before(async () => {
    t = await testApp({ webmentionAllowPrivate: false });
    other = await otherSite();
  });
  after(async () => {
    await other.close();
    await t.close();
  });

  it('refuses a source on 127.0.0.1 without sending it a single request', async () => {
    const author = await makeStaff(t, 'owner');
    const post = await makePost(t, author);
    const target = `${TEST_BASE_URL}/${post.slug}/`;
    other.pages.set('/reply', { body: replyPage(target, 'From inside.') });
    const res = await send(t, `${other.url}/reply`, target);
    assert.equal(res.status, 202);
    await createWebmentionWorker({
      db: t.conn.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      webmentions: t.services.webmentions,
    }).drainUntilIdle();
    const status = (await (await t.request(res.headers.get('location') ?? '')).json()) as { status: string; note: string };
    assert.equal(status.status, 'refused');
    assert.match(status.note, /private, loopback or link-local/);
    assert.equal(other.seen.length, 0);
    assert.equal((await t.conn.db.selectFrom('comments').select('id').execute()).length, 0);
  });

  it('refuses localhost, IPv6 loopback and IPv4-mapped forms the same way', async () => {
    const port = new URL(other.url).port;
    for (const url of [
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
    ]) {
      await assert.rejects(safeFetch(url, {}, DEFAULT_LIMITS), RefusedFetchError, url);
    }
    assert.equal(other.seen.length, 0);
    for (const a of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '0.0.0.0'])
      assert.equal(isPublicAddress(a), false, a);
    for (const a of ['93.184.216.34', '2606:4700::1111', '::ffff:93.184.216.34']) assert.equal(isPublicAddress(a), true, a);
  });

  it('checks each redirect hop again: a redirect into loopback is refused', async () => {
    // The first hop is allowed here (loopback allowed), the second would be fetched only if allowed:
    // with the setting off, even the first is refused, so this exercises the hop limit instead.
    other.pages.set('/loop', { status: 302, body: '', headers: { location: '/loop' } });
    await assert.rejects(safeFetch(`${other.url}/loop`, {}, { ...DEFAULT_LIMITS, allowPrivate: true }), /redirected more than 5 times/);
    assert.equal(other.seen.filter((s) => s.path === '/loop').length, 6);
  });
});

describe('webmention: sending', () => {
  let t: TestApp;
  let other: OtherSite;
  before(async () => {
    t = await testApp();
    other = await otherSite();
  });
  after(async () => {
    await other.close();
    await t.close();
  });

  it('tells each page a published post links to, at the endpoint it advertises, and again when the link is removed', async () => {
    other.pages.set('/article', {
      body: '<html><head><link rel="webmention" href="/endpoint?x=1"></head><body><p>An article</p></body></html>',
    });
    other.pages.set('/endpoint?x=1', { status: 202, body: 'ok' });
    other.pages.set('/plain', { body: '<p>No endpoint here</p>', headers: { link: '</hdr-endpoint>; rel="webmention"' } });
    other.pages.set('/hdr-endpoint', { status: 201, body: 'ok' });
    const author = await makeStaff(t, 'owner');
    const post = await makePost(t, author, { markdown: `I read [this](${other.url}/article) and [that](${other.url}/plain#part).` });
    const worker = createWebmentionWorker({
      db: t.conn.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      webmentions: t.services.webmentions,
    });
    await worker.drainUntilIdle();
    const posts = other.seen.filter((s) => s.method === 'POST');
    const source = `${TEST_BASE_URL}/${post.slug}/`;
    assert.deepEqual(posts.map((p) => [p.path, Object.fromEntries(new URLSearchParams(p.body))]).sort(), [
      ['/endpoint?x=1', { source, target: `${other.url}/article` }],
      ['/hdr-endpoint', { source, target: `${other.url}/plain` }],
    ]);
    other.seen.length = 0;
    await t.services.posts.update(post.id, { markdown: `Only [this](${other.url}/article) now.` }, author);
    await worker.drainUntilIdle();
    assert.deepEqual(
      other.seen
        .filter((s) => s.method === 'POST')
        .map((p) => p.path)
        .sort(),
      ['/endpoint?x=1', '/hdr-endpoint'],
    );
  });

  it('tells the pages a scheduled post links to when it goes live, and again when it is deleted, its address then answering 410', async () => {
    other.pages.set('/essay', { body: '<html><head><link rel="webmention" href="/wm"></head><body><p>An essay</p></body></html>' });
    other.pages.set('/wm', { status: 202, body: 'ok' });
    const told = () =>
      other.seen.filter((s) => s.method === 'POST' && s.path === '/wm').map((p) => Object.fromEntries(new URLSearchParams(p.body)));
    const owner = await makeStaff(t, 'owner', 'Olive Owner');
    const token = (await t.services.accounts.createToken(owner.email)).token;
    const call = (method: string, path: string, body?: unknown) =>
      t.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const worker = createWebmentionWorker({
      db: t.conn.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      webmentions: t.services.webmentions,
    });
    const created = await call('POST', '/admin/posts', {
      title: 'Later on',
      slug: 'later-on',
      markdown: `Read [the essay](${other.url}/essay).`,
      status: 'scheduled',
      publishedAt: new Date(t.clock.now() + 3_600_000).toISOString(),
    });
    const body = await created.text();
    assert.equal(created.status, 201, body);
    const { id } = JSON.parse(body) as { id: string };
    // Edited while it waits: still told once when its time comes.
    assert.equal((await call('PATCH', `/admin/posts/${id}`, { markdown: `Do read [the essay](${other.url}/essay).` })).status, 200);
    await worker.drainUntilIdle();
    assert.deepEqual(told(), [], 'nothing is told before the post is live');
    assert.equal((await t.request('/later-on/')).status, 404);

    // Its time comes: no one touches it, and the essay is told.
    t.clock.advance(3_600_000 + 1000);
    await worker.drainUntilIdle();
    const source = `${TEST_BASE_URL}/later-on/`;
    assert.deepEqual(told(), [{ source, target: `${other.url}/essay` }]);
    assert.equal((await t.request('/later-on/')).status, 200);

    // Deleted: its address answers 410 Gone, and the essay is told again, so that its check finds that.
    other.seen.length = 0;
    assert.equal((await call('DELETE', `/admin/posts/${id}`)).status, 204);
    await worker.drainUntilIdle();
    assert.deepEqual(told(), [{ source, target: `${other.url}/essay` }]);
    const gone = await t.request('/later-on/');
    assert.equal(gone.status, 410);
    assert.match(await gone.text(), /<h1>Page deleted<\/h1>/);

    // A post that takes the address again is found there.
    await call('POST', '/admin/posts', { title: 'Later on, again', slug: 'later-on', markdown: 'Back.', status: 'published' });
    assert.equal((await t.request('/later-on/')).status, 200);
  });

  it('leaves no 410 for a draft deleted before anyone saw it', async () => {
    const author = await makeStaff(t, 'author', 'Dara Draft');
    const draft = await makePost(t, author, { slug: 'never-seen', status: 'draft' });
    await t.services.posts.remove(draft.id, author);
    assert.equal((await t.request('/never-seen/')).status, 404);
  });
});
