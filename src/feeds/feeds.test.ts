import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { all, one, parseXml, textOf, type XmlNode } from '../../test/kits/xml-tree.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

const SCHEMA_DIR = path.resolve(import.meta.dirname, '../../../shared/corpora/jsonfeed-schema');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ajv knows no formats by itself; these two are all the JSON Feed schema uses.
function jsonFeedValidator() {
  const ajv = new Ajv({
    allErrors: true,
    formats: {
      uri: (s: string) => URL.canParse(s) && /^[a-z][a-z0-9+.-]*:/i.test(s),
      'date-time': (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
    },
  });
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'schema-v1.1.json'), 'utf8')));
}

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  items: {
    id: string;
    url: string;
    title: string;
    content_html: string;
    summary: string;
    date_published: string;
    date_modified: string;
    authors: { name: string }[];
    tags: string[];
  }[];
}

async function getJsonFeed(t: TestApp, url = '/feed.json'): Promise<JsonFeed> {
  const res = await t.request(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as JsonFeed;
}

async function getXml(t: TestApp, url: string): Promise<XmlNode> {
  const res = await t.request(url);
  assert.equal(res.status, 200, url);
  return parseXml(await res.text());
}

const rssItems = (rss: XmlNode) => all(one(rss, 'channel'), 'item');
const rssTitles = async (t: TestApp, url = '/feed.xml') => rssItems(await getXml(t, url)).map((i) => textOf(i, 'title'));
const atomTitles = async (t: TestApp, url = '/atom.xml') => all(await getXml(t, url), 'entry').map((e) => textOf(e, 'title'));
const jsonTitles = async (t: TestApp, url = '/feed.json') => (await getJsonFeed(t, url)).items.map((i) => i.title);

describe('the JSON Feed validator used by these tests', () => {
  it('accepts every JSON Feed 1.1 example of the specification', () => {
    const validate = jsonFeedValidator();
    const dir = path.join(SCHEMA_DIR, 'examples/v1.1');
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
    assert.ok(names.length >= 3);
    for (const name of names) {
      const ok = validate(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
      assert.ok(ok, `${name}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('rejects a feed without items or with a date that is not a date', () => {
    const validate = jsonFeedValidator();
    assert.equal(validate({ version: 'https://jsonfeed.org/version/1.1', title: 'x' }), false);
    const badDate = { version: 'https://jsonfeed.org/version/1.1', title: 'x', items: [{ id: '1', date_published: 'yesterday' }] };
    assert.equal(validate(badDate), false);
  });
});

describe('site feeds', () => {
  let t: TestApp;
  let author: Staff;
  let older: PostRow;
  let newer: PostRow;
  before(async () => {
    t = await testApp();
    await t.services.settings.updateSite({ title: 'Rosa writes', description: 'Letters & answers' });
    author = await makeStaff(t, 'author', 'Rosa Vale');
    older = await makePost(t, author, {
      title: 'Fish & <Chips> ]]> at the sea',
      slug: 'fish-and-chips',
      markdown:
        'See [my older letter](/older-letter/) and [a note](notes/one/) and [the top](#top).\n\n![The sea](/media/2026/02/sea.jpg)\n',
      tags: ['Letters', 'Craft'],
      excerpt: 'A day at the sea.',
      publishedAt: t.clock.now() - 3 * DAY,
    });
    newer = await makePost(t, author, { title: 'On answering', slug: 'on-answering', tags: ['Craft'], publishedAt: t.clock.now() - DAY });
    await makePost(t, author, { title: 'A page, not a post', slug: 'about', kind: 'page', publishedAt: t.clock.now() - 2 * DAY });
  });
  after(() => t.close());

  it('serves /feed.json as JSON Feed 1.1 that validates against the schema', async () => {
    const res = await t.request('/feed.json');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
    const feed = await res.json();
    const validate = jsonFeedValidator();
    assert.ok(validate(feed), JSON.stringify(validate.errors));
  });

  it('describes the site and each post in the JSON Feed, newest first, with absolute URLs', async () => {
    const feed = await getJsonFeed(t);
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.title, 'Rosa writes');
    assert.equal(feed.home_page_url, `${TEST_BASE_URL}/`);
    assert.equal(feed.feed_url, `${TEST_BASE_URL}/feed.json`);
    assert.deepEqual(
      feed.items.map((i) => i.id),
      [`urn:uuid:${newer.id}`, `urn:uuid:${older.id}`],
    );
    const item = feed.items[1];
    assert.ok(item);
    assert.equal(item.url, `${TEST_BASE_URL}/fish-and-chips/`);
    assert.equal(item.title, 'Fish & <Chips> ]]> at the sea');
    assert.equal(item.summary, 'A day at the sea.');
    assert.equal(item.date_published, new Date(older.published_at ?? 0).toISOString());
    assert.deepEqual(item.authors, [{ name: 'Rosa Vale', url: `${TEST_BASE_URL}/author/${author.slug}/` }]);
    assert.deepEqual(item.tags, ['Letters', 'Craft']);
    assert.match(item.content_html, /href="http:\/\/hearth\.test\/older-letter\/"/);
    assert.match(item.content_html, /src="http:\/\/hearth\.test\/media\/2026\/02\/sea\.jpg"/);
  });

  it('serves /feed.xml as RSS 2.0 with every field a reader needs', async () => {
    const res = await t.request('/feed.xml');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    const rss = parseXml(await res.text());
    assert.equal(rss.name, 'rss');
    assert.equal(rss.attrs.version, '2.0');
    const channel = one(rss, 'channel');
    assert.equal(textOf(channel, 'title'), 'Rosa writes');
    assert.equal(textOf(channel, 'description'), 'Letters & answers');
    assert.equal(textOf(channel, 'link'), `${TEST_BASE_URL}/`);
    const self = one(channel, 'atom:link');
    assert.equal(self.uri, 'http://www.w3.org/2005/Atom');
    assert.equal(self.attrs.href, `${TEST_BASE_URL}/feed.xml`);
    assert.equal(self.attrs.rel, 'self');

    const items = all(channel, 'item');
    assert.deepEqual(
      items.map((i) => textOf(i, 'title')),
      ['On answering', 'Fish & <Chips> ]]> at the sea'],
    );
    const item = items[1] as XmlNode;
    assert.equal(textOf(item, 'link'), `${TEST_BASE_URL}/fish-and-chips/`);
    const guid = one(item, 'guid');
    assert.equal(guid.text, `urn:uuid:${older.id}`);
    assert.equal(guid.attrs.isPermaLink, 'false');
    assert.equal(Date.parse(textOf(item, 'pubDate')), older.published_at);
    assert.match(textOf(item, 'pubDate'), /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    assert.equal(one(item, 'dc:creator').uri, 'http://purl.org/dc/elements/1.1/');
    assert.equal(textOf(item, 'dc:creator'), 'Rosa Vale');
    assert.deepEqual(
      all(item, 'category').map((c) => [c.text, c.attrs.domain]),
      [
        ['Letters', `${TEST_BASE_URL}/tag/letters/`],
        ['Craft', `${TEST_BASE_URL}/tag/craft/`],
      ],
    );
    assert.equal(textOf(item, 'description'), 'A day at the sea.');
    const content = one(item, 'content:encoded');
    assert.equal(content.uri, 'http://purl.org/rss/1.0/modules/content/');
    assert.match(content.text, /<a href="http:\/\/hearth\.test\/older-letter\/">my older letter<\/a>/);
    // A relative link resolves against the post's own address, a fragment too.
    assert.match(content.text, /href="http:\/\/hearth\.test\/fish-and-chips\/notes\/one\/"/);
    assert.match(content.text, /href="http:\/\/hearth\.test\/fish-and-chips\/#top"/);
    assert.match(content.text, /<img src="http:\/\/hearth\.test\/media\/2026\/02\/sea\.jpg" alt="The sea"/);
    assert.doesNotMatch(content.text, /(href|src)="\//);
  });

  it('serves /atom.xml as Atom 1.0 with every field a reader needs', async () => {
    const res = await t.request('/atom.xml');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    const feed = parseXml(await res.text());
    assert.equal(feed.local, 'feed');
    assert.equal(feed.uri, 'http://www.w3.org/2005/Atom');
    assert.equal(textOf(feed, 'title'), 'Rosa writes');
    assert.equal(textOf(feed, 'subtitle'), 'Letters & answers');
    assert.equal(textOf(feed, 'id'), `${TEST_BASE_URL}/`);
    const links = all(feed, 'link').map((l) => [l.attrs.rel, l.attrs.href]);
    assert.deepEqual(links, [
      ['alternate', `${TEST_BASE_URL}/`],
      ['self', `${TEST_BASE_URL}/atom.xml`],
    ]);
    const entries = all(feed, 'entry');
    assert.equal(entries.length, 2);
    // The feed changed when its newest entry did.
    assert.equal(Date.parse(textOf(feed, 'updated')), Math.max(...entries.map((e) => Date.parse(textOf(e, 'updated')))));

    const entry = entries[1] as XmlNode;
    assert.equal(textOf(entry, 'id'), `urn:uuid:${older.id}`);
    assert.equal(textOf(entry, 'title'), 'Fish & <Chips> ]]> at the sea');
    assert.equal(one(entry, 'link').attrs.href, `${TEST_BASE_URL}/fish-and-chips/`);
    assert.equal(Date.parse(textOf(entry, 'published')), older.published_at);
    assert.ok(Date.parse(textOf(entry, 'updated')) >= Date.parse(textOf(entry, 'published')));
    assert.equal(textOf(one(entry, 'author'), 'name'), 'Rosa Vale');
    assert.deepEqual(
      all(entry, 'category').map((c) => [c.attrs.term, c.attrs.label]),
      [
        ['letters', 'Letters'],
        ['craft', 'Craft'],
      ],
    );
    assert.equal(textOf(entry, 'summary'), 'A day at the sea.');
    const content = one(entry, 'content');
    assert.equal(content.attrs.type, 'html');
    assert.match(content.text, /<a href="http:\/\/hearth\.test\/older-letter\/">/);
    assert.match(content.text, /src="http:\/\/hearth\.test\/media\/2026\/02\/sea\.jpg"/);
  });

  it('keeps pages out of the feeds: they are for posts', async () => {
    for (const titles of [await rssTitles(t), await atomTitles(t), await jsonTitles(t)]) {
      assert.ok(!titles.includes('A page, not a post'));
    }
  });

  it("gives each tag feeds that carry only that tag's posts", async () => {
    assert.deepEqual(await rssTitles(t, '/tag/letters/feed.xml'), ['Fish & <Chips> ]]> at the sea']);
    assert.deepEqual(await atomTitles(t, '/tag/letters/atom.xml'), ['Fish & <Chips> ]]> at the sea']);
    assert.deepEqual(await jsonTitles(t, '/tag/letters/feed.json'), ['Fish & <Chips> ]]> at the sea']);
    assert.deepEqual(await rssTitles(t, '/tag/craft/feed.xml'), ['On answering', 'Fish & <Chips> ]]> at the sea']);
    const rss = await getXml(t, '/tag/letters/feed.xml');
    assert.equal(textOf(one(rss, 'channel'), 'title'), 'Rosa writes: Letters');
    assert.equal(textOf(one(rss, 'channel'), 'link'), `${TEST_BASE_URL}/tag/letters/`);
    assert.equal(one(one(rss, 'channel'), 'atom:link').attrs.href, `${TEST_BASE_URL}/tag/letters/feed.xml`);
    const json = await getJsonFeed(t, '/tag/letters/feed.json');
    assert.ok(jsonFeedValidator()(json));
    assert.equal((await t.request('/tag/no-such-tag/feed.xml')).status, 404);
  });

  it('answers a repeated request carrying the ETag with 304 and no body', async () => {
    for (const url of ['/feed.xml', '/atom.xml', '/feed.json', '/tag/craft/feed.xml', '/sitemap.xml']) {
      const first = await t.request(url);
      const tag = first.headers.get('etag');
      assert.match(tag ?? '', /^"[^"]+"$/, url);
      assert.match(first.headers.get('cache-control') ?? '', /public, max-age=\d+/, url);
      const again = await t.request(url, { headers: { 'if-none-match': tag ?? '' } });
      assert.equal(again.status, 304, url);
      assert.equal(await again.text(), '', url);
      assert.equal(again.headers.get('etag'), tag, url);
      const stale = await t.request(url, { headers: { 'if-none-match': '"something-else"' } });
      assert.equal(stale.status, 200, url);
    }
  });

  it('changes the ETag when a new post is published', async () => {
    const before = (await t.request('/feed.xml')).headers.get('etag');
    await makePost(t, author, { title: 'A fresh letter', slug: 'a-fresh-letter', publishedAt: t.clock.now() - HOUR });
    const res = await t.request('/feed.xml', { headers: { 'if-none-match': before ?? '' } });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get('etag'), before);
  });

  it("redirects WordPress's /feed/ to /feed.xml", async () => {
    for (const url of ['/feed/', '/feed']) {
      const res = await t.request(url);
      assert.equal(res.status, 301, url);
      assert.equal(res.headers.get('location'), '/feed.xml');
    }
    const tagFeed = await t.request('/tag/craft/feed/');
    assert.equal(tagFeed.status, 301);
    assert.equal(tagFeed.headers.get('location'), '/tag/craft/feed.xml');
  });
});

describe('what feeds let readers see', () => {
  let t: TestApp;
  let author: Staff;
  before(async () => {
    t = await testApp();
    author = await makeStaff(t);
    await makePost(t, author, { title: 'Already out', publishedAt: t.clock.now() - DAY });
  });
  after(() => t.close());

  it('leaves drafts out, and scheduled posts until their time comes', async () => {
    await makePost(t, author, { title: 'Still a draft', status: 'draft', tags: ['Letters'] });
    await makePost(t, author, { title: 'Coming soon', status: 'scheduled', publishedAt: t.clock.now() + 2 * HOUR, tags: ['Letters'] });
    for (const titles of [await rssTitles(t), await atomTitles(t), await jsonTitles(t), await rssTitles(t, '/tag/letters/feed.xml')]) {
      assert.ok(!titles.includes('Still a draft') && !titles.includes('Coming soon'), titles.join(', '));
    }
    t.clock.advance(2 * HOUR);
    assert.deepEqual(await rssTitles(t), ['Coming soon', 'Already out']);
    assert.deepEqual(await atomTitles(t), ['Coming soon', 'Already out']);
    assert.deepEqual(await jsonTitles(t), ['Coming soon', 'Already out']);
    assert.deepEqual(await rssTitles(t, '/tag/letters/feed.xml'), ['Coming soon']);
  });

  it('shows a post created through the post service in all three feeds and the sitemap', async () => {
    const post = await t.services.posts.create({
      title: 'Written just now',
      markdown: 'Hello, readers.',
      status: 'published',
      authorId: author.id,
    });
    assert.equal((await rssTitles(t))[0], 'Written just now');
    assert.equal((await atomTitles(t))[0], 'Written just now');
    const json = await getJsonFeed(t);
    assert.equal(json.items[0]?.id, `urn:uuid:${post.id}`);
    const sitemap = await getXml(t, '/sitemap.xml');
    const locs = all(sitemap, 'url').map((u) => textOf(u, 'loc'));
    assert.ok(locs.includes(`${TEST_BASE_URL}/${post.slug}/`), locs.join(' '));
  });

  it('serves an empty but valid feed for a site with no posts yet', async () => {
    const empty = await testApp();
    try {
      const feed = await getJsonFeed(empty);
      assert.deepEqual(feed.items, []);
      assert.ok(jsonFeedValidator()(feed));
      assert.equal(rssItems(await getXml(empty, '/feed.xml')).length, 0);
      assert.equal(all(await getXml(empty, '/atom.xml'), 'entry').length, 0);
    } finally {
      await empty.close();
    }
  });
});
