// The author renderer against the CommonMark 0.31.2 and GFM 0.29 specs. Each example's Markdown is
// rendered by us; each example's expected HTML passes the same author sanitizing policy; both are
// compared in the normal form of test/kits/html.ts (entities, attribute order, void-element forms,
// whitespace beside block tags). Our heading decoration (wrapper, self-link, id) is left out of the
// comparison and tested on its own in markdown.test.ts. The raw-HTML sections are left out: author
// HTML passes a sanitizer by design. Every remaining difference is listed below with its reason;
// a new difference fails, and so does a listed one that no longer differs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { normalizeHtml } from '../../test/kits/html.js';
import { createMarkdownRenderer } from './markdown.js';
import { sanitizeAuthorHtml } from './sanitize.js';

const CORPORA = path.resolve(import.meta.dirname, '../../../shared/corpora');

interface Example {
  markdown: string;
  html: string;
  example: number;
  section: string;
  extensions?: string[];
}

const RAW_HTML_SECTIONS = new Set(['HTML blocks', 'Raw HTML']);

const LINKIFY = 'we link bare URLs and e-mail addresses (GFM autolink extension, via linkify-it); plain CommonMark leaves them as text';
const LINKIFY_INSIDE_BRACKETS = 'a URL inside an unfinished <...> autolink is linked by linkify; CommonMark leaves it as text';
const TASK_LABEL = 'a task checkbox and its text are wrapped in <label>, so the checkbox has an accessible name (GFM: bare <input>)';

const KNOWN_DIFFERENCES: Record<string, string> = {
  'commonmark:604': LINKIFY_INSIDE_BRACKETS,
  'commonmark:610': LINKIFY_INSIDE_BRACKETS,
  'commonmark:613': LINKIFY,
  'commonmark:614': LINKIFY,
  'gfm:610': LINKIFY_INSIDE_BRACKETS,
  'gfm:616': LINKIFY_INSIDE_BRACKETS,
  'gfm:619': `${LINKIFY} (the GFM spec's core examples are run without the autolink extension)`,
  'gfm:620': `${LINKIFY} (the GFM spec's core examples are run without the autolink extension)`,
  'gfm:630': 'linkify-it accepts "+" in an e-mail domain (hello@mail+xyz.example); GFM does not',
  'gfm-ext:17': 'markdown-it strikes through only with ~~double~~ tildes; GFM also accepts ~single~',
  'gfm-ext:18': 'single-tilde strikethrough (as gfm-ext:17), and runs of more than two tildes are paired differently',
  'gfm-ext:19':
    'linkify keeps a final "." inside parentheses in the link, and writes a non-ASCII host as punycode (xn--) where GFM percent-encodes it',
  'gfm-ext:20': 'the upstream expectation is empty output (a crash test); we render the paragraph',
  'gfm-ext:23':
    'footnotes come from markdown-it-footnote: "[1]" captions, a <hr class="footnotes-sep">, item classes, "↩︎" with a text-style selector and an aria-label on the back link',
  'gfm-ext:24': 'inside ~~...~~ a www. address is not linked, and an http:// link takes the closing tildes into the URL',
  'gfm-ext:26': TASK_LABEL,
  'gfm-ext:27': TASK_LABEL,
  'gfm-ext:28': TASK_LABEL,
};

function load(file: string): Example[] {
  return JSON.parse(fs.readFileSync(path.join(CORPORA, file), 'utf8')) as Example[];
}

const SUITES = [
  { key: 'commonmark', file: 'commonmark-spec/spec.json' },
  { key: 'gfm', file: 'gfm-spec/spec.json' },
  { key: 'gfm-ext', file: 'gfm-spec/extensions.json' },
];

describe('the author renderer against the CommonMark and GFM specs', () => {
  const markdown = createMarkdownRenderer();

  for (const suite of SUITES) {
    it(`renders every ${suite.key} example as the spec does, apart from the listed differences`, () => {
      const examples = load(suite.file).filter((e) => !RAW_HTML_SECTIONS.has(e.section) && !e.extensions?.includes('disabled'));
      assert.ok(examples.length > 20, 'the corpus was read');
      const differing = new Map<string, string>();
      for (const e of examples) {
        const ours = normalizeHtml(markdown.post(e.markdown), { withoutHeadingAnchors: true });
        const spec = normalizeHtml(sanitizeAuthorHtml(e.html));
        if (ours !== spec)
          differing.set(`${suite.key}:${e.example}`, `[${e.section}] ${JSON.stringify(e.markdown)}\n  spec: ${spec}\n  ours: ${ours}`);
      }
      const unexpected = [...differing].filter(([key]) => !(key in KNOWN_DIFFERENCES)).map(([key, detail]) => `${key} ${detail}`);
      assert.deepEqual(unexpected, [], 'new differences from the spec');
      const listedButPassing = Object.keys(KNOWN_DIFFERENCES).filter((key) => key.startsWith(`${suite.key}:`) && !differing.has(key));
      assert.deepEqual(listedButPassing, [], 'listed differences that no longer differ: take them off the list');
    });
  }

  it('compares in a normal form that ignores only entity, attribute-order, void-tag and block-whitespace spelling', () => {
    assert.equal(
      normalizeHtml('<p title="a&quot;b" class=x>&#34;x&#x22;<br />\n</p>'),
      normalizeHtml('<p class="x" title=\'a"b\'>"x"<br></p>'),
    );
    assert.notEqual(normalizeHtml('<p>a b</p>'), normalizeHtml('<p>ab</p>'));
    assert.notEqual(normalizeHtml('<pre><code>a  b</code></pre>'), normalizeHtml('<pre><code>a b</code></pre>'));
    assert.notEqual(normalizeHtml('<a href="/x">x</a>'), normalizeHtml('<a href="/y">x</a>'));
  });
});
