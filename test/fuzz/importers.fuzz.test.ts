// The WXR and Disqus readers on generated exports, whole and damaged: a file is either read or
// refused with a clear error naming the line (InvalidError), never a crash; an import either
// completes or changes nothing; and no imported post or comment holds anything that could run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidError } from '../../src/errors.js';
import type { Parser } from '../../src/importers/batch.js';
import { parseDisqus } from '../../src/importers/disqus.js';
import { parseWordpress } from '../../src/importers/wordpress.js';
import { type TestApp, testApp } from '../harness.js';
import { dangers } from '../kits/html.js';
import { countRows, importText } from '../kits/importers.js';
import { fuzzParameters, hostileText } from './fuzz-runs.js';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Text inside CDATA: the generator sometimes lets a "]]>" through, which is damage to survive. */
const cdata = (s: string) => `<![CDATA[${s}]]>`;
const date = fc.date({ min: new Date('1999-01-01'), max: new Date('2030-01-01'), noInvalidDate: true });
const gmt = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

const wxrComment = fc.record({
  id: fc.integer({ min: 1, max: 40 }),
  parent: fc.integer({ min: 0, max: 40 }),
  author: hostileText(30),
  email: fc.oneof(fc.emailAddress(), hostileText(20)),
  url: fc.oneof(fc.webUrl(), fc.constant('javascript:alert(1)'), hostileText(20)),
  text: hostileText(300),
  approved: fc.constantFrom('1', '0', 'spam', 'trash', 'post-trashed', '', 'x'),
  date,
});
const wxrItem = fc.record({
  id: fc.integer({ min: 1, max: 30 }),
  title: hostileText(60),
  slug: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,20}$/), hostileText(20)),
  content: hostileText(400),
  status: fc.constantFrom('publish', 'draft', 'private', 'trash', 'pending', 'future', '???'),
  type: fc.constantFrom('post', 'page', 'attachment', 'nav_menu_item', 'oddity'),
  date,
  comments: fc.array(wxrComment, { maxLength: 6 }),
});

type WxrItem = typeof wxrItem extends fc.Arbitrary<infer T> ? T : never;

function wxrFile(items: WxrItem[]): string {
  const body = items
    .map(
      (item) => `<item><title>${escapeXml(item.title)}</title><dc:creator>wren</dc:creator>
<content:encoded>${cdata(item.content)}</content:encoded><wp:post_id>${item.id}</wp:post_id>
<wp:post_date_gmt>${gmt(item.date)}</wp:post_date_gmt><wp:post_name>${escapeXml(item.slug)}</wp:post_name>
<wp:status>${item.status}</wp:status><wp:post_type>${item.type}</wp:post_type>${item.comments
        .map(
          (c) => `<wp:comment><wp:comment_id>${c.id}</wp:comment_id><wp:comment_author>${cdata(c.author)}</wp:comment_author>
<wp:comment_author_email>${escapeXml(c.email)}</wp:comment_author_email><wp:comment_author_url>${escapeXml(c.url)}</wp:comment_author_url>
<wp:comment_date_gmt>${gmt(c.date)}</wp:comment_date_gmt><wp:comment_content>${cdata(c.text)}</wp:comment_content>
<wp:comment_approved>${c.approved}</wp:comment_approved><wp:comment_parent>${c.parent}</wp:comment_parent></wp:comment>`,
        )
        .join('')}</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Fuzzed</title><link>https://old.example.com</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example.com</wp:base_blog_url>
<wp:author><wp:author_login>wren</wp:author_login><wp:author_email>wren@example.com</wp:author_email><wp:author_display_name>${cdata('Wren')}</wp:author_display_name></wp:author>
${body}
</channel></rss>`;
}

const disqusThread = fc.record({
  id: fc.integer({ min: 1, max: 20 }),
  link: fc.oneof(fc.webUrl(), hostileText(30)),
  title: hostileText(60),
  deleted: fc.boolean(),
  date,
});
const disqusPost = fc.record({
  id: fc.integer({ min: 1, max: 60 }),
  thread: fc.integer({ min: 0, max: 20 }),
  parent: fc.option(fc.integer({ min: 1, max: 60 })),
  message: hostileText(300),
  name: hostileText(30),
  email: fc.oneof(fc.emailAddress(), fc.constant('')),
  username: fc.oneof(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), hostileText(12)),
  deleted: fc.boolean(),
  spam: fc.boolean(),
  date,
});

type DisqusThread = typeof disqusThread extends fc.Arbitrary<infer T> ? T : never;
type DisqusPost = typeof disqusPost extends fc.Arbitrary<infer T> ? T : never;

function disqusFile(threads: DisqusThread[], posts: DisqusPost[]): string {
  const t = threads.map(
    (th) => `<thread dsq:id="${th.id}"><id/><link>${escapeXml(th.link)}</link><title>${escapeXml(th.title)}</title>
<createdAt>${th.date.toISOString()}</createdAt><isDeleted>${th.deleted}</isDeleted></thread>`,
  );
  const p = posts.map(
    (post) => `<post dsq:id="${post.id}"><message>${cdata(post.message)}</message><createdAt>${post.date.toISOString()}</createdAt>
<isDeleted>${post.deleted}</isDeleted><isSpam>${post.spam}</isSpam><author><email>${escapeXml(post.email)}</email><name>${escapeXml(post.name)}</name>
<username>${escapeXml(post.username)}</username></author>${post.parent === null ? '' : `<parent dsq:id="${post.parent}"/>`}<thread dsq:id="${post.thread}"/></post>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
${t.join('\n')}
${p.join('\n')}
</disqus>`;
}

/** Damage as a file meets it: cut short, bytes overwritten, a stray piece of markup dropped in. */
const damaged = (file: fc.Arbitrary<string>) =>
  fc
    .tuple(file, fc.constantFrom('whole', 'cut', 'insert', 'drop'), fc.double({ min: 0, max: 1, noNaN: true }), hostileText(20))
    .map(([text, how, where, piece]) => {
      const at = Math.floor(text.length * where);
      if (how === 'cut') return text.slice(0, at);
      if (how === 'insert') return text.slice(0, at) + piece + text.slice(at);
      if (how === 'drop') return text.slice(0, at) + text.slice(at + 1 + piece.length);
      return text;
    });

const wxrFiles = damaged(fc.array(wxrItem, { maxLength: 4 }).map(wxrFile));
const disqusFiles = damaged(
  fc.tuple(fc.array(disqusThread, { maxLength: 4 }), fc.array(disqusPost, { maxLength: 8 })).map(([t, p]) => disqusFile(t, p)),
);

async function parseAll(parser: Parser, text: string): Promise<void> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += 53) yield text.slice(i, i + 53);
  }
  try {
    for await (const records of parser(chunks(), () => {})) assert.ok(Array.isArray(records));
  } catch (err) {
    if (!(err instanceof InvalidError)) throw err;
    assert.match(err.message, /line \d+/, 'a refusal names the line');
  }
}

describe('the WXR and Disqus readers, fuzzed', () => {
  it('read any generated or damaged WXR file, or refuse it naming the line', async () => {
    await fc.assert(
      fc.asyncProperty(wxrFiles, (text) => parseAll(parseWordpress, text)),
      fuzzParameters(400),
    );
  });

  it('read any generated or damaged Disqus export, or refuse it naming the line', async () => {
    await fc.assert(
      fc.asyncProperty(disqusFiles, (text) => parseAll(parseDisqus, text)),
      fuzzParameters(400),
    );
  });

  describe('imported into a site', () => {
    let t: TestApp;
    before(async () => {
      t = await testApp();
    });
    after(() => t.close());

    const counts = async () => ({ posts: await countRows(t.conn.db, 'posts'), comments: await countRows(t.conn.db, 'comments') });

    async function importOrRefuse(format: 'wordpress' | 'disqus', text: string): Promise<void> {
      const before = await counts();
      try {
        await importText(t.services.imports, format, text);
      } catch (err) {
        if (!(err instanceof InvalidError)) throw err;
        assert.deepEqual(await counts(), before, 'a refused import changes nothing');
      }
      const stored = await t.conn.db.selectFrom('comments').select(['id', 'html']).execute();
      for (const c of stored) assert.deepEqual(dangers(c.html), [], `comment ${c.id}`);
      const posts = await t.conn.db.selectFrom('posts').select(['id', 'html']).execute();
      for (const p of posts) assert.deepEqual(dangers(p.html), [], `post ${p.id}`);
    }

    it('imports a generated WXR file whole or not at all, and nothing imported runs', async () => {
      await fc.assert(
        fc.asyncProperty(wxrFiles, (text) => importOrRefuse('wordpress', text)),
        fuzzParameters(40),
      );
    });

    it('imports a generated Disqus export whole or not at all, and nothing imported runs', async () => {
      await fc.assert(
        fc.asyncProperty(disqusFiles, (text) => importOrRefuse('disqus', text)),
        fuzzParameters(40),
      );
    });
  });
});
