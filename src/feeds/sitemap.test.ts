import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { all, parseXml, textOf } from '../../test/kits/xml-tree.js';
import type { Staff } from '../accounts/accounts-service.js';

const HOUR = 3_600_000;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

async function sitemap(t: TestApp): Promise<Map<string, string | undefined>> {
  const res = await t.request('/sitemap.xml');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
  const urlset = parseXml(await res.text());
  assert.equal(urlset.local, 'urlset');
  assert.equal(urlset.uri, SITEMAP_NS);
  return new Map(all(urlset, 'url').map((u) => [textOf(u, 'loc'), all(u, 'lastmod')[0]?.text]));
}

describe('the sitemap', () => {
  let t: TestApp;
  let author: Staff;
  before(async () => {
    t = await testApp();
    author = await makeStaff(t);
  });
  after(() => t.close());

  it('lists the home page, exactly the visible posts and pages, and the tags that have visible posts', async () => {
    const now = t.clock.now();
    await makePost(t, author, { title: 'First', slug: 'first', tags: ['Letters'], publishedAt: now - 5 * HOUR });
    await makePost(t, author, { title: 'Second', slug: 'second', tags: ['Craft'], publishedAt: now - 2 * HOUR });
    await makePost(t, author, { title: 'About', slug: 'about', kind: 'page', publishedAt: now - 9 * HOUR });
    await makePost(t, author, { title: 'Draft', slug: 'draft', status: 'draft', tags: ['Secrets'] });
    await makePost(t, author, { title: 'Later', slug: 'later', status: 'scheduled', publishedAt: now + HOUR, tags: ['Soon'] });

    const urls = await sitemap(t);
    assert.deepEqual(
      [...urls.keys()].sort(),
      [
        `${TEST_BASE_URL}/`,
        `${TEST_BASE_URL}/about/`,
        `${TEST_BASE_URL}/first/`,
        `${TEST_BASE_URL}/second/`,
        `${TEST_BASE_URL}/tag/craft/`,
        `${TEST_BASE_URL}/tag/letters/`,
      ].sort(),
    );
    for (const [loc, lastmod] of urls) {
      assert.ok(lastmod && !Number.isNaN(Date.parse(lastmod)), `${loc} has a lastmod`);
      assert.match(lastmod, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    // The home page changed when its newest post did.
    assert.equal(urls.get(`${TEST_BASE_URL}/`), urls.get(`${TEST_BASE_URL}/second/`));

    t.clock.advance(HOUR);
    const later = await sitemap(t);
    assert.ok(later.has(`${TEST_BASE_URL}/later/`), 'a scheduled post joins when its time comes');
    assert.ok(later.has(`${TEST_BASE_URL}/tag/soon/`));
    assert.ok(!later.has(`${TEST_BASE_URL}/draft/`) && !later.has(`${TEST_BASE_URL}/tag/secrets/`));
  });
});

describe('robots.txt', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('allows crawling the site but not the workspace or the API, and names the sitemap', async () => {
    const res = await t.request('/robots.txt');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    const lines = (await res.text()).split('\n').map((l) => l.trim());
    assert.equal(lines[0], 'User-agent: *');
    assert.ok(lines.includes('Allow: /'));
    assert.ok(lines.includes('Disallow: /admin/'));
    assert.ok(lines.includes('Disallow: /api/'));
    assert.ok(lines.includes(`Sitemap: ${TEST_BASE_URL}/sitemap.xml`));
    assert.equal(lines.filter((l) => l.startsWith('Disallow:')).length, 2, 'nothing else is closed');
  });
});
