// Old WordPress links answer with 301 to their Hearth addresses, over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.js';
import { staffWithToken } from '../../test/kits/comments.js';
import { corpus, importFile, importText, wxr } from '../../test/kits/importers.js';
import { standardShape } from './legacy-redirects.js';

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
    // Items readers can see (drafts' addresses are not told); authors' addresses are tested below.
    const shown = new Set([...slugOf.values()].map((slug) => `/${slug}/`));
    const redirects = (
      await t.conn.db
        .selectFrom('redirects')
        .selectAll()
        .where('from_path', 'not like', '/?%')
        .where('from_path', 'not like', '/author/%')
        .orderBy('from_path')
        .execute()
    ).filter((r) => shown.has(r.to_path));
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

/** An item of the small export below: its id, title, status and type, by the given login. */
const item = (id: number, title: string, status: string, type: string, login: string, date = '2020-01-02 10:00:00') => {
  const slug = title.toLowerCase().replace(/\W+/g, '-');
  return `<item><title>${title}</title><link>https://old.example.com/2020/01/02/${slug}/</link><dc:creator>${login}</dc:creator>
<content:encoded><![CDATA[Words of ${title}.]]></content:encoded><wp:post_id>${id}</wp:post_id><wp:post_date_gmt>${date}</wp:post_date_gmt>
<wp:post_name>${slug}</wp:post_name><wp:status>${status}</wp:status><wp:post_type>${type}</wp:post_type></item>`;
};

describe('old author addresses and items readers cannot see', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await t.services.accounts.addUser({
      email: 'olive@example.com',
      name: 'Olive Owner',
      role: 'owner',
      password: 'correct horse battery',
    });
    const authors = [
      ['admin', 'olive@example.com', 'Olive O.'],
      ['siteadmin', 'admin@old.example.com', 'Site Admin'],
      ['John.Doe', 'john@old.example.com', 'Jo Writer'],
    ]
      .map(
        ([login, email, name], i) =>
          `<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login><![CDATA[${login}]]></wp:author_login><wp:author_email>${email}</wp:author_email><wp:author_display_name><![CDATA[${name}]]></wp:author_display_name></wp:author>`,
      )
      .join('\n');
    const items = [
      item(501, 'Out in the open', 'publish', 'post', 'siteadmin'),
      item(502, 'Secret plans', 'draft', 'post', 'John.Doe'),
      item(503, 'Private thoughts', 'private', 'post', 'John.Doe'),
      item(504, 'Unfinished page', 'draft', 'page', 'admin'),
      item(505, 'Not yet', 'future', 'post', 'John.Doe', '2030-01-01 10:00:00'),
      item(506, 'About us', 'publish', 'page', 'admin'),
    ];
    const summary = await importText(t.services.imports, 'wordpress', wxr(`${authors}\n${items.join('\n')}`));
    assert.equal(summary.posts.added, 6);
  });
  after(() => t.close());

  const get = (path: string) => t.request(path, { redirect: 'manual' });
  const sends = async (from: string, to: string) => {
    const r = await get(from);
    assert.equal(r.status, 301, from);
    assert.equal(r.headers.get('location'), to, from);
  };

  it('sends /author/<login>/, with or without its slash and on later pages, to the author’s page', async () => {
    await sends('/author/siteadmin/', '/author/site-admin/');
    await sends('/author/siteadmin', '/author/site-admin/');
    await sends('/author/siteadmin/page/2/', '/author/site-admin/?page=2');
    await sends('/author/siteadmin/page/2', '/author/site-admin/?page=2');
    // A login matched to an account already here leads to that account's page.
    await sends('/author/admin/', '/author/olive-owner/');
    // WordPress wrote a login with capitals and dots in its address as a nicename.
    await sends('/author/John.Doe/', '/author/jo-writer/');
    await sends('/author/john-doe/', '/author/jo-writer/');
    const page = await t.request('/author/site-admin/');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Out in the open/);
  });

  it('pages an author of this site by WordPress’s address too, and knows no one else', async () => {
    await sends('/author/olive-owner/page/2/', '/author/olive-owner/?page=2');
    await sends('/author/olive-owner', '/author/olive-owner/');
    assert.equal((await get('/author/nobody/')).status, 404);
    assert.equal((await get('/author/nobody')).status, 404);
    assert.equal((await get('/author/nobody/page/2/')).status, 404);
  });

  it('keeps the users’ logins: the authors it added are known by their WordPress login', async () => {
    const users = await t.conn.db
      .selectFrom('users')
      .select(['slug', 'source_id'])
      .where('source_id', 'is not', null)
      .orderBy('slug')
      .execute();
    assert.deepEqual(
      users.map((u) => `${u.slug}:${u.source_id}`),
      ['jo-writer:John.Doe', 'site-admin:siteadmin'],
    );
  });

  it('answers 404 to /?p= and /?page_id= of a draft, private or scheduled item, telling nothing of its address', async () => {
    for (const path of ['/?p=502', '/?p=503', '/?page_id=504', '/?p=504', '/?p=505']) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.headers.get('location'), null, path);
      assert.doesNotMatch(await r.text(), /secret-plans|private-thoughts|unfinished-page|not-yet/, path);
    }
    await sends('/?p=501', '/out-in-the-open/');
    await sends('/?page_id=506', '/about-us/');
  });

  it('answers 404 to the old permalink of an item readers cannot see, recorded or by date', async () => {
    for (const path of ['/2020/01/02/secret-plans/', '/2020/01/02/not-yet/', '/1999/01/02/private-thoughts/']) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.headers.get('location'), null, path);
    }
    await sends('/2020/01/02/out-in-the-open/', '/out-in-the-open/');
  });

  it('sends an item’s old address once it is published', async () => {
    const draft = await t.conn.db.selectFrom('posts').select('id').where('slug', '=', 'secret-plans').executeTakeFirstOrThrow();
    const owner = await staffWithToken(t, 'owner', 'Opal Owner');
    const res = await owner.api(`/api/v1/admin/posts/${draft.id}`, { method: 'PATCH', json: { status: 'published' } });
    assert.equal(res.status, 200);
    await sends('/?p=502', '/secret-plans/');
    await sends('/2020/01/02/secret-plans/', '/secret-plans/');
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
