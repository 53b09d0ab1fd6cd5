// The page cache through a real server: what it keeps, what it never keeps, and what empties it.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type ServedApp, serveTestApp } from '../../test/e2e/browser.js';
import { makePost, makeStaff } from '../../test/factories.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

describe('the page cache', () => {
  let site: ServedApp;
  let author: Staff;
  let first: PostRow;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${site.base}${path}`, { headers });
  const isHit = (res: Response) => res.headers.get('x-cache') === 'hit';
  /** The body as sent, without fetch's decoding. */
  const rawBody = (path: string, encoding: string) =>
    new Promise<Buffer>((resolve, reject) => {
      http
        .get(`${site.base}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
  const comment = (post: PostRow, words: string) =>
    site.services.comments.add({
      postId: post.id,
      authorName: 'June',
      authorEmail: 'june@example.com',
      markdown: words,
      status: 'published',
    });

  before(async () => {
    site = await serveTestApp({ pageCache: true });
    author = await makeStaff(site);
    first = await makePost(site, author, { title: 'First letter', slug: 'first-letter' });
    await makePost(site, author, { title: 'Second letter', slug: 'second-letter' });
  });
  after(() => site.stop());

  it('serves a page from the cache the second time, with the same bytes and headers', async () => {
    const miss = await get('/first-letter/');
    assert.equal(miss.status, 200);
    assert.ok(!isHit(miss));
    const body = await miss.text();
    const hit = await get('/first-letter/');
    assert.ok(isHit(hit));
    assert.equal(await hit.text(), body);
    assert.equal(hit.headers.get('content-type'), miss.headers.get('content-type'));
    assert.equal(hit.headers.get('content-security-policy'), miss.headers.get('content-security-policy'));
    assert.match(hit.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(hit.headers.get('x-request-id'), miss.headers.get('x-request-id'));
  });

  it('answers a conditional GET with 304 from the cache', async () => {
    const res = await get('/first-letter/');
    const etag = res.headers.get('etag') ?? '';
    assert.ok(etag);
    const again = await get('/first-letter/', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.ok(isHit(again));
  });

  it('compresses each cached version once, as brotli or gzip, by what the client accepts', async () => {
    const plain = await (await get('/first-letter/', { 'accept-encoding': 'identity' })).text();
    const br = await fetch(`${site.base}/first-letter/`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'Accept-Encoding');
    assert.equal(await br.text(), plain);
    const gz = await fetch(`${site.base}/first-letter/`, { headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(await gz.text(), plain);
    // And the bytes on the wire really are those encodings.
    assert.equal(gunzipSync(await rawBody('/first-letter/', 'gzip')).toString('utf8'), plain);
    assert.equal(brotliDecompressSync(await rawBody('/first-letter/', 'br')).toString('utf8'), plain);
  });

  it('forgets a post’s page and the listings when its comments change, but keeps other posts', async () => {
    await get('/first-letter/');
    await get('/second-letter/');
    await get('/');
    assert.ok(isHit(await get('/second-letter/')));
    await comment(first, 'A new comment that must show at once.');
    const firstAgain = await get('/first-letter/');
    assert.ok(!isHit(firstAgain));
    assert.match(await firstAgain.text(), /A new comment that must show at once/);
    assert.ok(!isHit(await get('/')), 'the home page shows comment counts');
    assert.ok(isHit(await get('/second-letter/')), 'another post’s page stays cached');
  });

  it('forgets everything when a post changes', async () => {
    await get('/second-letter/');
    assert.ok(isHit(await get('/second-letter/')));
    await site.services.posts.update(first.id, { title: 'First letter, revised' }, author);
    const res = await get('/second-letter/');
    assert.ok(!isHit(res), 'neighbours and read-next links may show the new title');
  });

  it('never serves a cached page to a reader with her credential or to signed-in staff', async () => {
    await get('/second-letter/');
    assert.ok(isHit(await get('/second-letter/')));
    assert.ok(!isHit(await get('/second-letter/', { cookie: 'hearth_writer=abc' })));
    assert.ok(!isHit(await get('/second-letter/', { cookie: 'theme=dark; hearth_session=xyz' })));
  });

  it('keeps feeds and listings, but never the workspace, errors or API answers', async () => {
    for (const path of ['/feed.xml', '/tag/nothing/', '/admin/sign-in', '/api/v1/openapi.json', '/no-such-post/']) await get(path);
    assert.ok(isHit(await get('/feed.xml')));
    for (const path of ['/admin/sign-in', '/api/v1/openapi.json', '/no-such-post/']) assert.ok(!isHit(await get(path)), path);
  });

  it('forgets everything when the site’s settings change', async () => {
    await get('/');
    assert.ok(isHit(await get('/')));
    await site.services.settings.updateSite({ title: 'Renamed site' });
    const res = await get('/');
    assert.ok(!isHit(res));
    assert.match(await res.text(), /Renamed site/);
  });

  it('lets a scheduled post appear at its time, on kept listings and on its neighbour’s page', async () => {
    const at = site.clock.now() + 60 * 60 * 1000;
    await makePost(site, author, { title: 'A letter for later', slug: 'letter-for-later', status: 'scheduled', publishedAt: at });
    for (const path of ['/', '/second-letter/']) {
      await get(path);
      const kept = await get(path);
      assert.ok(isHit(kept), path);
      assert.doesNotMatch(await kept.text(), /A letter for later/);
    }
    site.clock.set(at);
    for (const path of ['/', '/second-letter/']) {
      const res = await get(path);
      assert.ok(!isHit(res), path);
      assert.match(await res.text(), /A letter for later/, path);
    }
  });
});

describe('changes made by another process', () => {
  it('empty this process’s cache: SQLite through data_version, PostgreSQL through NOTIFY', async () => {
    const { testTarget, testConnection } = await import('../../test/harness.js');
    const { createChangeFeed } = await import('./change-feed.js');
    const { connect } = await import('../db/connect.js');
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const { migrate } = await import('../db/migrate.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cache-'));
    // Two connections to one database stand for two processes of one site.
    const conn = testTarget === 'sqlite' ? await connect({ kind: 'sqlite', file: path.join(dir, 'site.db') }) : await testConnection();
    await migrate(conn.db);
    const site = await serveTestApp({ pageCache: true, conn });
    const other =
      testTarget === 'sqlite'
        ? await connect({ kind: 'sqlite', file: path.join(dir, 'site.db') })
        : await connect({
            kind: 'postgres',
            url: (await import('../config.js')).loadConfig().testDatabaseUrl,
            searchPath: await searchPathOf(conn),
          });
    const otherFeed = await createChangeFeed(other, (err) => {
      throw err;
    });
    try {
      const author = await makeStaff(site);
      await makePost(site, author, { title: 'Shared letter', slug: 'shared-letter' });
      await fetch(`${site.base}/`);
      assert.equal((await fetch(`${site.base}/`)).headers.get('x-cache'), 'hit');
      // The other "process" writes and tells the site the way it would.
      await other.db.updateTable('posts').set({ title: 'Shared letter, renamed elsewhere' }).execute();
      await otherFeed.publish({ scope: 'site' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await fetch(`${site.base}/`);
      assert.notEqual(res.headers.get('x-cache'), 'hit');
      assert.match(await res.text(), /renamed elsewhere/);
    } finally {
      await otherFeed.close();
      await other.close();
      await site.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function searchPathOf(conn: import('../db/connect.js').Connection): Promise<string> {
  const { sql } = await import('kysely');
  const row = await sql<{ s: string }>`select current_schema() as s`.execute(conn.db);
  return row.rows[0]?.s ?? 'public';
}
