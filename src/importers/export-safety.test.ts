// Reader HTML never leaves Hearth unsafe. A WordPress export full of attacks (every line of the
// payloadbox XSS list, in comments, posts, titles, excerpts, names, tags and websites, beside
// WordPress's own theme test data) is imported; then every field of Hearth's WordPress export,
// and every string of the JSON API's answers, before and after that export is imported into a
// fresh Hearth, is read back with a parser: none may hold a script, an event handler or a script URL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SaxesParser } from 'saxes';
import { type TestApp, testApp } from '../../test/harness.js';
import { staffWithToken } from '../../test/kits/comments.js';
import { dangers } from '../../test/kits/html.js';
import { corpus, importFile, importText, wxr } from '../../test/kits/importers.js';
import { cdata } from './wxr-export.js';

const PAYLOADS = fs
  .readFileSync(corpus('xss-payload-list/xss-payload-list.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim());
const SCRIPT_URLS = ['javascript:alert(1)', ' JaVaScRiPt:alert(document.domain)', 'data:text/html,<script>alert(1)</script>'];

const chunks = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** A WXR whose every field a reader or a hostile old site could fill holds attacks. */
function hostileWxr(): string {
  const posts = chunks(PAYLOADS, 300).map((group, p) => {
    const comments = chunks(group, 20).map((words, n) => {
      const id = n + 1;
      return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>${cdata(words[0] ?? '')}</wp:comment_author>
<wp:comment_author_email>${cdata(n % 4 === 3 ? `x${id}@example.com"><script>alert(1)</script>` : `reader${id}@example.com`)}</wp:comment_author_email>
<wp:comment_author_url>${cdata(n % 2 === 0 ? (SCRIPT_URLS[n % SCRIPT_URLS.length] as string) : (words[1] ?? ''))}</wp:comment_author_url>
<wp:comment_author_IP>${cdata(n % 3 === 0 ? '<img src=x onerror=alert(1)>' : '192.0.2.7')}</wp:comment_author_IP>
<wp:comment_date_gmt>2020-02-${String(1 + (n % 27)).padStart(2, '0')} 10:00:00</wp:comment_date_gmt>
<wp:comment_content>${cdata(words.join('\n'))}</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>${n % 3 === 2 ? n : 0}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>`;
    });
    return `<item><title>${cdata(group[0] ?? '')}</title><link>https://old.example.com/?p=${p + 1}</link><dc:creator>mallory</dc:creator>
<content:encoded>${cdata(group.join('\n'))}</content:encoded><excerpt:encoded>${cdata(group[2] ?? '')}</excerpt:encoded>
<category domain="post_tag" nicename="t${p}">${cdata(group[3] ?? '')}</category>
<wp:post_id>${p + 1}</wp:post_id><wp:post_date_gmt>2020-01-${String(1 + p).padStart(2, '0')} 10:00:00</wp:post_date_gmt>
<wp:post_name>hostile-${p}</wp:post_name><wp:status>publish</wp:status><wp:post_type>${p % 5 === 4 ? 'page' : 'post'}</wp:post_type>
${comments.join('\n')}</item>`;
  });
  const author = `<wp:author><wp:author_id>2</wp:author_id><wp:author_login>mallory</wp:author_login>
<wp:author_email>mallory@example.com</wp:author_email><wp:author_display_name>${cdata('<script>alert(1)</script>Mallory <img src=x onerror=alert(1)>')}</wp:author_display_name></wp:author>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug>evil</wp:tag_slug><wp:tag_name>${cdata('<svg onload=alert(1)>evil')}</wp:tag_name></wp:tag>`;
  return wxr(`${author}\n${posts.join('\n')}`).replace(
    '<channel><title>Test</title>',
    `<channel><title>${cdata('<script>alert(1)</script>Old &amp; hostile')}</title><description>${cdata('<img src=x onerror=alert(1)>tagline')}</description>`,
  );
}

/** What in this text could run, read as HTML, or as a URL where the field holds one. */
function findings(where: string, value: string, isUrl = false): string[] {
  const found = dangers(value).map((d) => `${where}: ${d}`);
  const compact = value.replace(/[\s\p{Cc}]+/gu, '').toLowerCase();
  if (isUrl && compact && !/^https?:\/\//.test(compact)) found.push(`${where}: not a web address: ${value.slice(0, 60)}`);
  return found;
}

/** Every element's text and every attribute of an XML document, by element name. */
function xmlFields(xml: string): { name: string; text: string }[] {
  const fields: { name: string; text: string }[] = [];
  const open: { name: string; text: string }[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    open.push({ name: tag.name, text: '' });
    for (const [attr, value] of Object.entries(tag.attributes)) fields.push({ name: `${tag.name}@${attr}`, text: String(value) });
  });
  const add = (t: string) => {
    const top = open[open.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', add);
  parser.on('cdata', add);
  parser.on('closetag', () => {
    const done = open.pop();
    if (done) fields.push(done);
  });
  parser.write(xml).close();
  return fields;
}

const URL_FIELDS = new Set(['wp:comment_author_url', 'link', 'wp:base_site_url', 'wp:base_blog_url']);

/** Every string in a JSON value with the path that leads to it. */
function strings(value: unknown, path = '$'): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

interface CommentJson {
  id: string;
  markdown: string | null;
  html: string;
  replies?: CommentJson[];
}

/** Every answer of the JSON API about the site's posts and comments, public and staff. */
async function apiAnswers(t: TestApp): Promise<{ label: string; body: unknown }[]> {
  const owner = await staffWithToken(t, 'owner', 'Olive Owner');
  const answers: { label: string; body: unknown }[] = [];
  const all = async (label: string, path: string, api: (p: string) => Promise<Response>) => {
    let next: string | null = null;
    do {
      const res = await api(`${path}${path.includes('?') ? '&' : '?'}limit=500${next ? `&cursor=${next}` : ''}`);
      assert.equal(res.status, 200, path);
      const body = (await res.json()) as { next: string | null };
      answers.push({ label, body });
      next = body.next;
    } while (next);
  };
  const posts = await t.conn.db.selectFrom('posts').select('slug').where('status', '=', 'published').execute();
  for (const p of posts) await all(`public comments of ${p.slug}`, `/api/v1/posts/${p.slug}/comments`, (path) => t.request(path));
  for (const status of ['', 'trash']) await all(`admin comments ${status}`, `/api/v1/admin/comments?status=${status}`, owner.api);
  await all('admin inbox', '/api/v1/admin/inbox', owner.api);
  await all('admin posts', '/api/v1/admin/posts', owner.api);
  return answers;
}

function apiFindings(answers: { label: string; body: unknown }[], options: { postSourceShown: boolean }): string[] {
  const found: string[] = [];
  for (const { label, body } of answers) {
    for (const { path, text } of strings(body)) {
      // A post's `markdown` is what its author edits; for a post imported as HTML it is typed
      // `format: "html"` (the source as it came), and the export never carries it.
      if (!options.postSourceShown && label === 'admin posts' && path.endsWith('.markdown')) continue;
      found.push(...findings(`${label} ${path}`, text));
    }
  }
  return found;
}

const commentsOf = (answers: { label: string; body: unknown }[]): CommentJson[] => {
  const flat = (c: CommentJson): CommentJson[] => [c, ...(c.replies ?? []).flatMap(flat)];
  return answers
    .filter((a) => a.label.startsWith('public comments') || a.label.startsWith('admin comments'))
    .flatMap((a) => (a.body as { items: CommentJson[] }).items.flatMap(flat));
};

async function exportText(t: TestApp): Promise<string> {
  let out = '';
  await t.services.imports.exportWordpress(async (chunk) => {
    out += chunk;
  });
  return out;
}

describe('reader HTML on its way out', () => {
  let from: TestApp;
  let to: TestApp;
  let xml: string;
  before(async () => {
    from = await testApp();
    to = await testApp();
    await importText(from.services.imports, 'wordpress', hostileWxr());
    await importFile(from.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/theme-unit-test-data.xml'));
    xml = await exportText(from);
    await importText(to.services.imports, 'wordpress', xml);
  });
  after(async () => {
    await from.close();
    await to.close();
  });

  it('holds every payload of the list, in comments that came in as HTML', async () => {
    assert.equal(PAYLOADS.length, 6613);
    const hostile = await from.conn.db
      .selectFrom('comments')
      .select(['markdown', 'source_format'])
      .where('post_id', 'in', (eb) => eb.selectFrom('posts').select('id').where('slug', 'like', 'hostile-%'))
      .execute();
    assert.equal(hostile.length, chunks(PAYLOADS, 20).length);
    assert.ok(hostile.every((c) => c.source_format === 'html'));
    assert.ok(
      hostile.some((c) => /<script/i.test(c.markdown)),
      'the source kept at import holds the attacks',
    );
  });

  it('writes a WordPress export in which no field holds a script, an event handler or a script URL', () => {
    assert.doesNotMatch(xml, /<script/i);
    const fields = xmlFields(xml);
    assert.ok(fields.filter((f) => f.name === 'wp:comment_content').length > 300);
    const found = fields.flatMap((f) => findings(f.name, f.text, URL_FIELDS.has(f.name)));
    assert.deepEqual(found.slice(0, 20), []);
    // Where the attacks stood in text (a title, a name) only the words are left, escaped as WordPress keeps text.
    assert.ok(xml.includes('<title><![CDATA[Old &amp; hostile]]></title>'), 'the site’s title, from the hostile channel');
    assert.ok(xml.includes('<wp:author_display_name><![CDATA[Mallory]]></wp:author_display_name>'));
    assert.ok(xml.includes('<wp:comment_author_url><![CDATA[]]></wp:comment_author_url>'), 'script URLs are no websites');
  });

  it('answers the API, for the site that imported the attacks, with sanitized HTML and no HTML source', async () => {
    const answers = await apiAnswers(from);
    assert.deepEqual(apiFindings(answers, { postSourceShown: false }).slice(0, 20), []);
    const comments = commentsOf(answers);
    assert.ok(comments.length > 300);
    assert.ok(
      comments.every((c) => c.markdown === null),
      'a comment imported as HTML has no Markdown to give',
    );
    const doc = (await (await from.request('/api/v1/openapi.json')).json()) as {
      components: { schemas: { Comment: { properties: { markdown: { type: string[]; description: string } } } } };
    };
    const markdown = doc.components.schemas.Comment.properties.markdown;
    assert.deepEqual(markdown.type, ['string', 'null']);
    assert.match(markdown.description, /null for a comment imported as HTML/);
  });

  it('makes an imported comment Markdown once staff edit it, its history keeping only the HTML readers saw', async () => {
    const owner = await staffWithToken(from, 'owner', 'Edith Editor');
    const before = await from.conn.db
      .selectFrom('comments')
      .selectAll()
      .where('source_format', '=', 'html')
      .where('markdown', 'like', '%<script%')
      .executeTakeFirstOrThrow();
    const res = await owner.api(`/api/v1/admin/comments/${before.id}`, { method: 'PATCH', json: { markdown: 'Kept, **tidied**.' } });
    assert.equal(res.status, 200);
    const edited = (await res.json()) as CommentJson;
    assert.equal(edited.markdown, 'Kept, **tidied**.');
    assert.match(edited.html, /<strong>tidied<\/strong>/);
    const revisions = (await (await owner.api(`/api/v1/admin/comments/${before.id}/revisions`)).json()) as {
      items: { markdown: string }[];
    };
    assert.deepEqual(
      revisions.items.map((r) => r.markdown),
      [before.html],
    );
    assert.deepEqual(dangers(before.html), []);
  });

  it('answers the API, for a fresh site that imported the export, with nothing that runs anywhere', async () => {
    const answers = await apiAnswers(to);
    assert.deepEqual(apiFindings(answers, { postSourceShown: true }).slice(0, 20), []);
    assert.ok(commentsOf(answers).length > 300);
    const raw = JSON.stringify(answers);
    assert.doesNotMatch(raw, /<script/i);
  });
});
