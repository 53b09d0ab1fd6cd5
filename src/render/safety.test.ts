// Every known attack vector we hold (DOMPurify's fixtures, html5lib's sanitizer tests, the payloadbox
// XSS list, markdown-it's link-scheme cases) goes through each way HTML is made: the author
// sanitizer, the author renderer and the reader renderer, raw and inside Markdown. The output is
// read back with a parser and must hold nothing that runs, and sanitizing it again must change
// nothing (which guards against markup that turns into something else when parsed twice).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dangers } from '../../test/kits/html.js';
import { createMarkdownRenderer } from './markdown.js';
import { sanitizeAuthorHtml, sanitizeReaderHtml } from './sanitize.js';

const CORPORA = path.resolve(import.meta.dirname, '../../../shared/corpora');
const read = (file: string) => fs.readFileSync(path.join(CORPORA, file), 'utf8');

function vectors(): { source: string; payload: string }[] {
  const dompurify = (JSON.parse(read('dompurify/expect.json')) as { payload: string }[]).map((c) => ({
    source: 'dompurify',
    payload: c.payload,
  }));
  const html5lib = (JSON.parse(read('html5lib-sanitizer/tests1.json')) as { input: string }[]).map((c) => ({
    source: 'html5lib',
    payload: c.input,
  }));
  const payloadbox = read('xss-payload-list/xss-payload-list.txt')
    .split('\n')
    .filter((line) => line.trim())
    .map((payload) => ({ source: 'xss-payload-list', payload }));
  const markdownIt = (JSON.parse(read('markdown-it-fixtures/fixtures.json')) as { file: string; markdown: string }[])
    .filter((c) => c.file.endsWith('xss.txt'))
    .map((c) => ({ source: 'markdown-it xss.txt', payload: c.markdown }));
  return [...dompurify, ...html5lib, ...payloadbox, ...markdownIt];
}

/** The payload inside ordinary Markdown: a paragraph, a list item, a quote, a link and an image. */
const inMarkdown = (payload: string) =>
  `## Notes\n\nBefore **${payload}** after.\n\n- ${payload}\n\n> ${payload}\n\n[link](${payload}) ![image](${payload})\n\n<div>${payload}</div>\n`;

describe('nothing that runs survives, for every vector we hold', () => {
  const markdown = createMarkdownRenderer();
  const routes: { name: string; make: (payload: string) => string; again: (html: string) => string }[] = [
    { name: 'sanitizeAuthorHtml', make: sanitizeAuthorHtml, again: sanitizeAuthorHtml },
    { name: 'author renderer, raw', make: (p) => markdown.post(p), again: sanitizeAuthorHtml },
    { name: 'author renderer, in Markdown', make: (p) => markdown.post(inMarkdown(p)), again: sanitizeAuthorHtml },
    { name: 'sanitizeReaderHtml', make: sanitizeReaderHtml, again: sanitizeReaderHtml },
    { name: 'reader renderer, raw', make: (p) => markdown.comment(p), again: sanitizeReaderHtml },
    { name: 'reader renderer, in Markdown', make: (p) => markdown.comment(inMarkdown(p)), again: sanitizeReaderHtml },
  ];
  const all = vectors();

  it('reads all four corpora', () => {
    const count = (source: string) => all.filter((v) => v.source === source).length;
    assert.equal(count('xss-payload-list'), 6613);
    assert.equal(count('dompurify'), 223);
    assert.equal(count('html5lib'), 72);
    assert.equal(count('markdown-it xss.txt'), 13);
  });

  for (const route of routes) {
    it(`${route.name}: no script, handler, script URL or active element; idempotent; never throws`, (t) => {
      const failures: string[] = [];
      const started = process.cpuUsage();
      for (const { source, payload } of all) {
        let html: string;
        try {
          html = route.make(payload);
        } catch (err) {
          failures.push(`${source}: threw ${(err as Error).message} for ${JSON.stringify(payload).slice(0, 120)}`);
          continue;
        }
        const found = dangers(html);
        if (found.length)
          failures.push(`${source}: ${found.join(', ')} from ${JSON.stringify(payload).slice(0, 120)}\n  -> ${html.slice(0, 300)}`);
        const twice = route.again(html);
        if (twice !== html)
          failures.push(
            `${source}: not idempotent for ${JSON.stringify(payload).slice(0, 120)}\n  1: ${html.slice(0, 300)}\n  2: ${twice.slice(0, 300)}`,
          );
      }
      const cpu = process.cpuUsage(started);
      const ms = (cpu.user + cpu.system) / 1000;
      t.diagnostic(`${all.length} vectors in ${Math.round(ms)} ms of CPU`);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures`);
      // A bound far above the measured time (see the diagnostic), there to catch a pathological slowdown.
      assert.ok(ms < 60_000, `took ${ms} ms`);
    });
  }

  it('recognises what it must reject, so the checks above cannot pass vacuously', () => {
    assert.deepEqual(dangers('<p>&lt;script&gt; onerror=alert(1) javascript:alert(1)</p>'), []);
    assert.equal(dangers('<img src=x onerror=alert(1)>').length, 1);
    assert.equal(dangers('<a href=" java\tscript:alert(1)">x</a>').length, 1);
    assert.equal(dangers('<a href="data:text/html,<b>">x</b>').length, 1);
    assert.equal(dangers('<iframe srcdoc="x"></iframe>').length, 2);
    assert.deepEqual(dangers('<img src="data:image/png;base64,iVBORw0KGgo=">'), []);
    assert.equal(dangers('<svg><a xlink:href="javascript:alert(1)"></a></svg>').length, 2);
  });
});
