// The safety proof: every attack vector of the corpora, posted as a comment and shown in
// Chromium with the CSP bypassed, runs nothing and keeps the words around it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makePost } from '../factories.js';
import { staffWithToken } from '../kits/comments.js';
import { launchBrowser, type ServedApp, serveTestApp } from './browser.js';

const CORPORA = '/work/shared/corpora/';
const read = (path: string) => readFileSync(`${CORPORA}${path}`, 'utf8');

function vectors(): string[] {
  const dompurify = (JSON.parse(read('dompurify/expect.json')) as { payload: string }[]).map((c) => c.payload);
  const html5lib = (JSON.parse(read('html5lib-sanitizer/tests1.json')) as { input: string }[]).map((c) => c.input);
  const payloads = read('xss-payload-list/xss-payload-list.txt')
    .split('\n')
    .filter((l) => l.trim());
  // markdown-it fixtures: title, ".", input, ".", output, "." repeated.
  const parts = read('markdown-it-fixtures/xss.txt').split(/^\.$/m);
  const markdownIt = parts.filter((_, i) => i % 3 === 1).map((s) => s.replace(/^\n|\n$/g, ''));
  return [...dompurify, ...html5lib, ...payloads, ...markdownIt].filter((v) => v.length > 0);
}

/** Runs before any page script: records every way a vector could act. */
function instrument() {
  const w = window as unknown as { __xss: string[] };
  w.__xss = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print'] as const) {
    Object.defineProperty(window, name, { value: (...args: unknown[]) => w.__xss.push(`${name}(${args.join(',')})`), configurable: false });
  }
  addEventListener('beforeunload', () => w.__xss.push('navigation'));
}

describe('comments are safe by construction', () => {
  let browser: Browser;
  let site: ServedApp;
  before(async () => {
    site = await serveTestApp();
    browser = await launchBrowser();
  });
  after(async () => {
    site?.services.live.close();
    await browser?.close();
    await site?.stop();
  });

  it('runs no vector of the corpora, leaves no script, handler or javascript: URL, and keeps the text around each', async () => {
    const all = vectors();
    assert.ok(all.length > 6500, `${all.length} vectors`);
    const { staff } = await staffWithToken(site, 'author', 'Safe Author');
    const post = await makePost(site, staff, { title: 'Vectors' });
    await site.services.conversationSettings.update({ threadsPerPage: 500 });
    const start = site.clock.now() - all.length * 1000;
    for (const [i, vector] of all.entries()) {
      await site.services.comments.add({
        postId: post.id,
        authorName: `Reader ${i}`,
        authorEmail: `r${i}@example.com`,
        markdown: `ZZB${i}Z\n\n${vector}\n\nZZA${i}Z`,
        status: 'published',
        createdAt: start + i * 1000,
      });
    }

    const context = await browser.newContext({ bypassCSP: true });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(site.base)) foreign.push(r.url());
    });

    const pages = Math.ceil(all.length / 500);
    let seen = 0;
    for (let p = 1; p <= pages; p++) {
      const url = `${site.base}/${post.slug}/${p > 1 ? `?page=${p}` : ''}`;
      await page.goto(url);
      assert.equal(page.url(), url, 'no vector navigated away');
      // Give timers, load and error handlers of anything that slipped through a moment to fire.
      await page.waitForTimeout(200);
      const report = await page.evaluate(() => {
        const root = document.querySelector('#comments') as HTMLElement;
        const bad: string[] = [];
        for (const el of root.querySelectorAll('*')) {
          const tag = el.tagName.toLowerCase();
          if (
            [
              'script',
              'iframe',
              'object',
              'embed',
              'frame',
              'base',
              'meta',
              'link',
              'style',
              'img',
              'svg',
              'math',
              'video',
              'audio',
              'input',
              'button',
              'form',
            ].includes(tag)
          ) {
            // The page's own form, buttons and avatars are not inside a comment body.
            if (!el.closest('.comment-body')) continue;
            bad.push(`<${tag}> in a comment`);
          }
          for (const attr of el.getAttributeNames()) {
            const value = el.getAttribute(attr) ?? '';
            if (attr.startsWith('on')) bad.push(`${tag}[${attr}]`);
            if (/^\s*(javascript|vbscript|data):/i.test([...value].filter((ch) => ch.charCodeAt(0) > 0x20).join('')))
              bad.push(`${tag}[${attr}=${value.slice(0, 30)}]`);
          }
        }
        const texts = [...root.querySelectorAll('.comment .comment-body')].map((b) => b.textContent ?? '');
        return { bad, texts, xss: (window as unknown as { __xss: string[] }).__xss };
      });
      assert.deepEqual(report.bad, [], `page ${p}`);
      assert.deepEqual(report.xss, [], `page ${p}`);
      for (const text of report.texts) {
        const n = /ZZB(\d+)Z/.exec(text)?.[1];
        assert.ok(n !== undefined, `the text before the vector is kept: ${text.slice(0, 80)}`);
        assert.ok(text.includes(`ZZA${n}Z`), `the text after vector ${n} is kept: ${JSON.stringify(all[Number(n)]).slice(0, 120)}`);
      }
      seen += report.texts.length;
    }
    assert.equal(seen, all.length, 'every vector was shown');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(foreign, []);
    await context.close();
  });
});
