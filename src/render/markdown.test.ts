import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { elementsOf, normalizeHtml } from '../../test/kits/html.js';
import { createMarkdownRenderer, headingSlug, plainTextToHtml } from './markdown.js';
import { sanitizeAuthorHtml } from './sanitize.js';

const markdown = createMarkdownRenderer();
const tags = (html: string) => elementsOf(html).map((e) => e.name);

describe("authors' Markdown", () => {
  it('gives every heading an id from its text, unique in the document, and a link to itself beside it', () => {
    const html = markdown.post('# Getting *started*\n\n## Getting started\n\n## Getting started\n\n### Ça va? Ünïcode & 日本語\n');
    const ids = elementsOf(html)
      .filter((e) => /^h\d$/.test(e.name))
      .map((e) => e.attribs.id);
    assert.deepEqual(ids, ['getting-started', 'getting-started-1', 'getting-started-2', 'ça-va-ünïcode-日本語']);
    const anchors = elementsOf(html).filter((e) => e.attribs.class === 'heading-anchor');
    assert.deepEqual(
      anchors.map((a) => a.attribs.href),
      ids.map((id) => `#${id}`),
    );
    assert.equal(anchors[0]?.attribs['aria-label'], 'Link to this section: Getting started');
    // The anchor is outside the heading, so the heading's name is its text alone.
    assert.match(html, /<h1 id="getting-started">Getting <em>started<\/em><\/h1><a class="heading-anchor"/);
  });

  it('keeps the same heading ids when the post is rendered again', () => {
    const md = '## One\n\ntext\n\n## Two\n\n## One\n';
    assert.equal(markdown.post(md), markdown.post(md));
  });

  it('never gives a heading an id the page around the post uses', () => {
    const html = markdown.post('## Main\n\n## Comments\n\n## Comment 42\n\n## fn1\n');
    const ids = elementsOf(html)
      .filter((e) => /^h\d$/.test(e.name))
      .map((e) => e.attribs.id);
    assert.deepEqual(ids, ['section-main', 'section-comments', 'section-comment-42', 'section-fn1']);
  });

  it('makes an id of headings without letters or digits', () => {
    assert.equal(headingSlug('???'), 'section');
    assert.equal(headingSlug('  Hello,   World!  '), 'hello-world');
  });

  it('renders footnotes with links both ways and a named back link', () => {
    const html = markdown.post('A claim.[^1]\n\n[^1]: The source.\n');
    const links = elementsOf(html).filter((e) => e.name === 'a');
    assert.deepEqual(
      links.map((a) => a.attribs.href),
      ['#fn1', '#fnref1'],
    );
    assert.equal(links[1]?.attribs['aria-label'], 'Back to reference 1');
    assert.ok(elementsOf(html).some((e) => e.name === 'li' && e.attribs.id === 'fn1'));
  });

  it('aligns table columns with the align attribute, since inline styles never apply under our CSP', () => {
    const html = markdown.post('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n');
    const cells = elementsOf(html).filter((e) => e.name === 'td');
    assert.deepEqual(
      cells.map((c) => c.attribs.align),
      ['left', 'center', 'right'],
    );
    assert.ok(!html.includes('style='));
  });

  it('renders strikethrough as <del>, www. addresses as links, and leaves file names alone', () => {
    const html = markdown.post('~~gone~~ see www.example.com/page. Edit notes.md or setup.py.');
    assert.match(html, /<del>gone<\/del>/);
    assert.match(html, /<a href="http:\/\/www.example.com\/page">www.example.com\/page<\/a>\./);
    assert.deepEqual(elementsOf(html).filter((e) => e.name === 'a').length, 1);
  });

  it('renders task lists as disabled checkboxes labelled by their text', () => {
    const html = markdown.post('- [ ] write\n- [x] publish\n');
    assert.match(html, /<li><label><input type="checkbox" disabled \/> write<\/label><\/li>/);
    assert.match(html, /<li><label><input type="checkbox" disabled checked \/> publish<\/label><\/li>/);
  });

  it('keeps rich author HTML: figures, responsive images, code languages, details, media with controls', () => {
    const rich = [
      '<figure><img src="https://example.com/a.jpg" srcset="https://example.com/a-2x.jpg 2x" alt="A" width="600" height="400"><figcaption>Caption</figcaption></figure>',
      '<pre><code class="language-ts">const a = 1;</code></pre>',
      '<details><summary>More</summary><p>Hidden</p></details>',
      '<video controls src="https://example.com/v.mp4" poster="https://example.com/p.jpg"><track kind="captions" src="https://example.com/v.vtt" srclang="en"></video>',
      '<audio controls src="https://example.com/a.mp3"></audio>',
      '<table><caption>T</caption><thead><tr><th scope="col">H</th></tr></thead><tbody><tr><td>D</td></tr></tbody></table>',
      '<p><abbr title="HyperText">HTML</abbr> <kbd>Ctrl</kbd> <mark>hi</mark> <sub>2</sub> <sup>3</sup></p>',
    ].join('\n');
    assert.equal(normalizeHtml(sanitizeAuthorHtml(rich)), normalizeHtml(rich));
  });

  it('removes from author HTML everything that could run', () => {
    const html = sanitizeAuthorHtml(
      [
        '<script>alert(1)</script><style>body{}</style><form action="/x"><input name="q"><button>Go</button></form>',
        '<a href="javascript:alert(1)" onclick="alert(1)">a</a><a href="vbscript:x">b</a><img src="x" onerror="alert(1)">',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe><object data="x.swf"></object><embed src="x.swf">',
        '<a href="data:text/html,<script>alert(1)</script>">c</a><img src="data:image/svg+xml,<svg onload=alert(1)>">',
        '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"><link rel="stylesheet" href="x">',
        '<p style="background:url(javascript:alert(1))">styled</p>',
      ].join(''),
    );
    assert.deepEqual(
      tags(html).filter((t) => !['a', 'img', 'p'].includes(t)),
      [],
    );
    for (const e of elementsOf(html)) {
      for (const [name, value] of Object.entries(e.attribs)) {
        assert.ok(!/^on/.test(name) && name !== 'style' && !/script:|data:/i.test(value), `<${e.name} ${name}="${value}">`);
      }
    }
    assert.match(html, /<p>styled<\/p>/);
    assert.ok(!html.includes('alert'), 'script and style content goes with its element');
  });

  it('keeps an inline raster image given as a data URL, and no other data URL', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    assert.equal(elementsOf(sanitizeAuthorHtml(`<img src="${png}" alt="dot">`))[0]?.attribs.src, png);
    assert.equal(elementsOf(sanitizeAuthorHtml('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">'))[0]?.attribs.src, undefined);
  });

  it("shows an author's literal <script> or <textarea> in Markdown as text (GFM tagfilter), keeping what follows", () => {
    const html = markdown.post('Use a <textarea> here, not <script>.\n\nNext paragraph.');
    assert.match(html, /Use a &lt;textarea&gt; here, not &lt;script&gt;\./);
    assert.match(html, /<p>Next paragraph\.<\/p>/);
  });

  it('turns plain text with line breaks into paragraphs and breaks, escaping everything', () => {
    assert.equal(
      plainTextToHtml('Hi <b>you</b>,\r\nline two\n\n\nSecond & last'),
      '<p>Hi &lt;b&gt;you&lt;/b&gt;,<br>\nline two</p>\n<p>Second &amp; last</p>',
    );
  });
});

describe("readers' Markdown-lite", () => {
  it('keeps paragraphs and line breaks as typed', () => {
    assert.equal(markdown.comment('One\ntwo\n\nThree'), '<p>One<br />\ntwo</p>\n<p>Three</p>\n');
  });

  it('renders bold, italic, quotes, lists, inline code and code blocks', () => {
    const html = markdown.comment('**b** *i* `code`\n\n> quoted\n\n- one\n- two\n\n1. first\n\n```js\nlet x = 1;\n```\n');
    for (const tag of ['strong', 'em', 'code', 'blockquote', 'ul', 'ol', 'li', 'pre']) assert.ok(tags(html).includes(tag), tag);
    assert.match(html, /<code class="language-js">let x = 1;\n<\/code>/);
  });

  it('shows raw HTML as the literal text the reader typed', () => {
    assert.equal(
      markdown.comment('I <3 <b>this</b> & <img src=x onerror=alert(1)>'),
      '<p>I &lt;3 &lt;b&gt;this&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>\n',
    );
  });

  it('does not turn headings, tables or entities into markup', () => {
    const html = markdown.comment('# Not a heading\n\n| a | b |\n|---|---|\n\n&lt;3');
    assert.deepEqual([...new Set(tags(html))], ['p', 'br']);
    assert.match(html, /&amp;lt;3/);
  });

  it('marks every link as user content that passes no authority and no opener', () => {
    const html = markdown.comment(
      '[site](https://example.com) https://example.org/x <https://example.net> <me@example.com> www.example.com',
    );
    const links = elementsOf(html).filter((e) => e.name === 'a');
    assert.equal(links.length, 5);
    for (const link of links) assert.equal(link.attribs.rel, 'ugc nofollow noopener');
  });

  it('renders an image as a link to it at most, never as an <img>', () => {
    const html = markdown.comment('![my cat](https://example.com/cat.jpg) ![](https://example.com/dog.jpg)');
    assert.ok(!tags(html).includes('img'));
    assert.match(html, /<a href="https:\/\/example.com\/cat.jpg" rel="ugc nofollow noopener">my cat<\/a>/);
    assert.match(html, />https:\/\/example.com\/dog.jpg<\/a>/);
  });

  it('links only http, https and mailto addresses; others stay the text typed', () => {
    for (const md of [
      '[x](javascript:alert(1))',
      '[x](JAVASCRIPT:alert(1))',
      '[x](vbscript:x)',
      '[x](data:text/html,hi)',
      '<javascript:alert(1)>',
      '[x](/admin/)',
      '[x](#top)',
      '[x](sms:+123)',
      '![x](data:image/png;base64,iVBORw0KGgo=)',
    ]) {
      const html = markdown.comment(md);
      assert.ok(!tags(html).includes('a'), md);
    }
    assert.equal(elementsOf(markdown.comment('[mail](mailto:a@example.com)'))[1]?.attribs.href, 'mailto:a@example.com');
  });
});

/**
 * Two other comment systems' choices, case by case, and ours. "same" where we render as they do;
 * otherwise why we chose differently. A change of behaviour on either side fails here.
 */
const OUR_CHOICES: Record<string, 'same' | string> = {
  'isso:0': 'a tag the reader typed is shown as the text she typed, not removed',
  'isso:1': 'raw HTML is shown as text; the address inside it still becomes a (ugc) link',
  'isso:2': 'raw HTML is shown as text',
  'isso:3': 'not linked, as in isso; ours is wrapped in a paragraph (isso tests its sanitizer on a fragment)',
  'isso:4': 'not linked, as in isso; ours is wrapped in a paragraph (isso tests its sanitizer on a fragment)',
  'isso:5': 'raw HTML is shown as text',
  'isso:6': 'raw HTML is shown as text; a reader writes code with backticks (``` fences keep their language class)',
  'isso:7': 'raw HTML is shown as text',
  'isso:8': 'a typed <script> is shown as text, whole, rather than losing its tags',
  'isso:9': 'raw HTML is shown as text; images are never shown',
  'isso:10': 'a typed <script> is shown as text rather than removed',
  'isso:11': 'same',
  'isso:12': 'same',
  'isso:13': 'we link bare http(s) addresses (with rel="ugc nofollow noopener")',
  'isso:14': 'same',
  'isso:15': 'no superscript syntax in Markdown-lite',
  'isso:16': 'a code block is not wrapped in <p> (a <pre> inside <p> is invalid HTML)',
  'isso:17': 'a code block is not wrapped in <p> (a <pre> inside <p> is invalid HTML)',
  'commento++:0': 'same',
  'commento++:1': 'same',
  'commento++:2': 'a typed <script> is shown as text rather than removed; its address becomes a (ugc) link',
  'commento++:3': 'rel="ugc nofollow noopener" and no target="_blank": the reader decides where a link opens',
  'commento++:4': 'a data: link is not made, and the text stays as typed rather than losing its address',
  'commento++:5': 'an image becomes a link to it (its alt text as the words) rather than disappearing',
  'commento++:6': 'same',
  'commento++:7': 'rel="ugc nofollow noopener" and no target="_blank"',
  'commento++:8': 'a typed <b> is shown as text rather than stripped',
};

describe('our reader rendering beside isso and Commento++', () => {
  const dir = path.resolve(import.meta.dirname, '../../../shared/corpora/comment-system-render-examples');
  const isso = JSON.parse(fs.readFileSync(path.join(dir, 'isso-sanitizer-markdown.json'), 'utf8')) as {
    cases: { input: string; expected: string | null; expected_any_of: string[] | null }[];
  };
  const commento = JSON.parse(fs.readFileSync(path.join(dir, 'commentoplusplus-markdown.json'), 'utf8')) as {
    cases: { markdown: string; expected_html: string }[];
  };
  const cases = [
    ...isso.cases.map((c, i) => ({ key: `isso:${i}`, input: c.input, theirs: c.expected_any_of ?? [c.expected ?? ''] })),
    ...commento.cases.map((c, i) => ({ key: `commento++:${i}`, input: c.markdown, theirs: [c.expected_html] })),
  ];

  it('records a choice for every case', () => {
    assert.deepEqual(cases.map((c) => c.key).sort(), Object.keys(OUR_CHOICES).sort());
  });

  for (const c of cases) {
    const choice = OUR_CHOICES[c.key] ?? '';
    it(`${c.key} ${JSON.stringify(c.input)}: ${choice === 'same' ? 'rendered as they do' : choice}`, () => {
      const ours = normalizeHtml(markdown.comment(c.input));
      const matches = c.theirs.some((theirs) => normalizeHtml(theirs) === ours);
      assert.equal(matches, choice === 'same', `ours: ${ours}\ntheirs: ${c.theirs.join(' | ')}`);
    });
  }
});
