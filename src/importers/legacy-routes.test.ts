// Old WordPress links answer with 301 to their Hearth addresses, over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.js';
import { standardShape } from './legacy-redirects.js';
import { corpus, importFile } from './testing.js';

describe('old WordPress links after an import', () => {
  let t: TestApp;
  let slugOf: Map<string, string>;
  before(async () => {
    t = await testApp();
    await importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/theme-unit-test-data.xml'));
    const posts = await t.conn.db.selectFrom('posts').select(['slug', 'source_id']).where('status', '=', 'published').execute();
    slugOf = new Map(posts.map((p) => [p.source_id ?? '', p.slug]));
  });
  after(() => t.close());

  const get = (path: string) => t.request(path, { redirect: 'manual' });

  it('sends /?p=ID and /?page_id=ID to the post or page', async () => {
    const [id, slug] = [...slugOf][0] ?? ['', ''];
    const r = await get(`/?p=${id}`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `/${slug}/`);
    const page = await t.conn.db
      .selectFrom('posts')
      .select(['slug', 'source_id'])
      .where('kind', '=', 'page')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const p = await get(`/?page_id=${page.source_id}`);
    assert.equal(p.status, 301);
    assert.equal(p.headers.get('location'), `/${page.slug}/`);
  });

  it('sends each item’s old permalink, dated or nested, to its new address', async () => {
    const redirects = await t.conn.db.selectFrom('redirects').selectAll().where('from_path', 'not like', '/?%').execute();
    assert.ok(redirects.length > 10);
    for (const r of redirects.slice(0, 25)) {
      const res = await get(encodeURI(r.from_path));
      assert.equal(res.status, 301, r.from_path);
      assert.equal(res.headers.get('location'), r.to_path);
    }
  });

  it('sends /category/x/, /tag/x/feed/ and /feed/ to tags and feeds', async () => {
    const cat = await get('/category/markup/');
    assert.equal(cat.status, 301);
    assert.equal(cat.headers.get('location'), '/tag/markup/');
    const feed = await get('/feed/');
    assert.equal(feed.status, 301);
    assert.equal(feed.headers.get('location'), '/feed.xml');
  });

  it('sends a date-based permalink to a post of that slug even when the address was never recorded', async () => {
    const slug = [...slugOf.values()][0] ?? '';
    const r = await get(`/1999/01/02/${slug}/`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `/${slug}/`);
    assert.equal((await get('/1999/01/02/no-such-post/')).status, 404);
  });

  it('leaves the home page, posts, tags and unknown addresses alone', async () => {
    assert.equal((await get('/')).status, 200);
    assert.equal((await get('/?page=1')).status, 200);
    const slug = [...slugOf.values()][0] ?? '';
    assert.equal((await get(`/${slug}/`)).status, 200);
    assert.equal((await get('/?p=999999')).status, 200, 'an unknown ?p= shows the home page, as WordPress would not find it either');
    assert.equal((await get('/nothing-here/')).status, 404);
  });
});

describe('WordPress address shapes', () => {
  it('maps the standard shapes and nothing else', () => {
    assert.equal(standardShape('/feed/'), '/feed.xml');
    assert.equal(standardShape('/comments/feed/'), '/feed.xml');
    assert.equal(standardShape('/category/parent/child/'), '/tag/child/');
    assert.equal(standardShape('/tag/cats/feed/'), '/tag/cats/feed.xml');
    assert.equal(standardShape('/page/3/'), '/?page=3');
    assert.deepEqual(standardShape('/2014/01/14/hello-world/'), { slug: 'hello-world' });
    assert.deepEqual(standardShape('/2014/01/hello-world/'), { slug: 'hello-world' });
    assert.equal(standardShape('/2014/01/'), '/archive/2014/01/');
    assert.equal(standardShape('/hello-world/'), undefined);
    assert.equal(standardShape('/tag/cats/'), undefined);
  });
});
