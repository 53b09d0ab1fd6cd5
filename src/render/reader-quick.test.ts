// The reader policy's quick path must write exactly what sanitize-html writes, or step aside.
// Compared over every vector of the sanitizer corpora, every comment of the WXR corpora as the
// importer shapes it, and a large set of generated markup mixing what the quick path takes with
// what it must leave to sanitize-html.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { seededRandom } from '../../test/seeded-random.js';
import { wpautop } from '../importers/wpautop.js';
import { quickReaderHtml } from './reader-quick.js';
import { sanitizeReaderHtml, sanitizeReaderHtmlFully } from './sanitize.js';

const CORPORA = path.resolve(import.meta.dirname, '../../../shared/corpora');
const read = (file: string) => fs.readFileSync(path.join(CORPORA, file), 'utf8');

function corpusInputs(): string[] {
  const inputs: string[] = [];
  inputs.push(...(JSON.parse(read('dompurify/expect.json')) as { payload: string }[]).map((c) => c.payload));
  inputs.push(...(JSON.parse(read('html5lib-sanitizer/tests1.json')) as { input: string }[]).map((c) => c.input));
  inputs.push(...read('xss-payload-list/xss-payload-list.txt').split('\n'));
  // Markdown as a renderer hands it to the sanitizer: the ordinary elements, well formed.
  const md = new MarkdownIt({ html: false, linkify: true });
  for (const c of JSON.parse(read('markdown-it-fixtures/fixtures.json')) as { markdown: string }[])
    inputs.push(c.markdown, md.render(c.markdown));
  for (const c of JSON.parse(read('commonmark-spec/spec.json')) as { markdown: string }[]) inputs.push(md.render(c.markdown));
  const index = JSON.parse(read('index.json')) as { corpora: Record<string, { path: string; kind: string }[]> };
  for (const [folder, files] of Object.entries(index.corpora)) {
    for (const f of files) {
      if (f.kind !== 'wxr') continue;
      const text = read(path.join(folder, f.path));
      for (const m of text.matchAll(/<wp:comment_content>(?:<!\[CDATA\[)?([\s\S]*?)(?:\]\]>)?<\/wp:comment_content>/g)) {
        const content = m[1] ?? '';
        inputs.push(content, wpautop(content));
      }
    }
  }
  return inputs;
}

const TEXTS = ['word', ' ', '\n', '\n\n', '\r\n', '\t', 'é ü 🎉', '&amp;', '&lt;', '&gt;', '&quot;', '&#39;', '"', "'", '>', 'a, b.'];
const ELEMENTS = ['p', 'em', 'strong', 'b', 'i', 'code', 'del', 's', 'blockquote', 'ul', 'ol', 'li', 'pre', 'a'];
const LINKS = [
  '<a href="https://example.com/a?b=1&amp;c=2#d">',
  "<a href='http://example.com/it'>",
  '<a title="x" href="mailto:someone@example.com">',
  '<a href="HTTPS://EXAMPLE.COM/">',
  '<a\nhref="https://example.com/"\nclass="x">',
  '<a href="https://example.com/" rel="nofollow" target="_blank">',
];
// What the quick path must leave alone, dropped into otherwise ordinary markup.
const ODD = [
  '<br>',
  '<br/>',
  '<br >',
  '</br>',
  '</p>',
  '<p>',
  '<li>',
  '</a>',
  '<EM>',
  '<p class="x">',
  '<span>',
  '</span>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<!-- note -->',
  '<![CDATA[x]]>',
  '&nbsp;',
  '&#8217;',
  '&',
  '&amp',
  '<',
  '< ',
  '\u0000',
  '</',
  '<a',
  '<a href="https://example.com/" href="javascript:alert(1)">',
  '<a href="javascript:alert(1)">',
  '<a href=" https://example.com/">',
  '<a href="//example.com/">',
  '<a href="/relative">',
  '<a href="">',
  '<a>',
  '<a href=https://example.com/>',
  '<a href="https://example.com/&b">',
  '<a href="https://exa mple.com/">',
  '<a href="https://example.com/" onclick="x()">',
  '<a href="https://example.com/"/>',
  '<a href="https://example.com/">',
];

function markup(next: () => number, depth: number): string {
  let s = '';
  const parts = 1 + Math.floor(next() * 5);
  for (let k = 0; k < parts; k++) {
    const r = next();
    if (r < 0.45 || depth > 4) s += TEXTS[Math.floor(next() * TEXTS.length)];
    else if (r < 0.55) s += next() < 0.5 ? '<br />' : '<br>';
    else {
      const name = ELEMENTS[Math.floor(next() * ELEMENTS.length)] as string;
      const open = name === 'a' ? (LINKS[Math.floor(next() * LINKS.length)] as string) : `<${name}>`;
      s += `${open}${markup(next, depth + 1)}</${name}>`;
    }
  }
  return s;
}

/** Nested markup of the quick path's elements, a share of it with one odd thing put anywhere. */
function generated(count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = markup(next, 0);
    if (next() < 0.5) {
      const at = Math.floor(next() * (s.length + 1));
      s = s.slice(0, at) + ODD[Math.floor(next() * ODD.length)] + s.slice(at);
    }
    out.push(s);
  }
  return out;
}

/** Well-formed comments as WordPress stores them, which the quick path should mostly take. */
function commentLike(count: number): string[] {
  const out: string[] = [];
  const inline = ['<em>so</em>', '<strong>this</strong>', '<code>x &lt; y</code>', '<a href="https://example.com/p?a=1&amp;b=2">here</a>'];
  for (let n = 0; n < count; n++) {
    const words = `Thanks ${n}, it's "fine" & good > bad ${inline[n % inline.length]} and ${inline[(n * 7) % inline.length]}.`;
    out.push(wpautop(`${words}\nSecond line.\n\n<blockquote>${words}</blockquote>\n\nLast ${words}`));
    out.push(wpautop(`${words}\n\n<ul>\n<li>${words}</li>\n<li>two</li>\n</ul>`));
  }
  return out;
}

describe('the reader sanitizer quick path', () => {
  it('writes what sanitize-html writes, or leaves the input to it', (t) => {
    const inputs = [...corpusInputs(), ...generated(60_000, 20_240_611), ...commentLike(500)];
    const failures: string[] = [];
    let quick = 0;
    for (const input of inputs) {
      const fast = quickReaderHtml(input);
      if (fast === null) continue;
      quick++;
      const full = sanitizeReaderHtmlFully(input);
      if (fast !== full) failures.push(`${JSON.stringify(input)}\n  quick: ${JSON.stringify(fast)}\n  full:  ${JSON.stringify(full)}`);
    }
    t.diagnostic(`${quick} of ${inputs.length} inputs took the quick path`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} differences`);
    // Not vacuous: a good share of the inputs took the quick path.
    assert.ok(quick > inputs.length / 4, `${quick} of ${inputs.length} took the quick path`);
  });

  it('takes the common shapes of an imported comment', () => {
    const html = wpautop('Nice post!\nReally.\n\nSee <a href="https://example.com/x">this</a> and <em>that</em>.');
    assert.equal(quickReaderHtml(html), sanitizeReaderHtmlFully(html));
    assert.equal(
      sanitizeReaderHtml(html),
      '<p>Nice post!<br />\nReally.</p>\n<p>See <a href="https://example.com/x" rel="ugc nofollow noopener">this</a> and <em>that</em>.</p>\n',
    );
  });

  it('leaves to sanitize-html what it does not fully understand', () => {
    for (const html of [
      '<a href="javascript:alert(1)">x</a>',
      '<a href="//evil.example/">x</a>',
      '<a href="https://example.com/&copy">x</a>',
      '<p>open',
      '<p><p>nested</p></p>',
      '<b><i>x</b></i>',
      '<p onclick="x()">x</p>',
      '<img src="x">',
      'a &nbsp; b',
      'a < b',
      '<!-- c -->',
    ]) {
      assert.equal(quickReaderHtml(html), null, html);
    }
  });
});
