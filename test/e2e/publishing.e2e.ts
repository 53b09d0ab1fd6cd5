// The reader's site in Chromium: every kind of page passes axe in light and dark, fits a phone,
// and a long essay stays light.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeStaff } from '../factories.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp } from './browser.js';

const WORDS = 'she wrote back about the long winter and the letters her mother kept in a tin box under the stairs'.split(' ');

/** About `count` words of Markdown in paragraphs, with a heading, a list, a quote and a link. */
function essay(count: number): string {
  const paragraphs: string[] = [];
  let written = 0;
  let n = 0;
  while (written < count) {
    const sentence = Array.from({ length: 60 }, (_, i) => WORDS[(i * 7 + n) % WORDS.length]).join(' ');
    const heading = n % 5 === 4;
    paragraphs.push(heading ? `## A heading number ${n}` : n % 7 === 3 ? `> ${sentence}.` : `${sentence}, [a link](/archive/).`);
    written += heading ? 0 : 60;
    n += 1;
  }
  paragraphs.splice(3, 0, '- one thing\n- another thing\n- a third thing');
  return paragraphs.join('\n\n');
}

describe('the reader’s site in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  before(async () => {
    site = await serveTestApp();
    const author = await makeStaff(site, 'author', 'Nora Lind');
    const day = 86_400_000;
    for (let i = 0; i < 12; i++) {
      await site.services.posts.create({
        title: `Letter number ${i + 1} about the same page`,
        markdown: `Letter ${i + 1}. How do I get him on the same page with me?`,
        status: 'published',
        publishedAt: site.clock.now() - (i + 2) * day,
        authorId: author.id,
        tags: i % 2 ? ['Letters'] : ['Letters', 'Partners'],
      });
    }
    await site.services.posts.create({
      title: 'A long essay on answering',
      slug: 'long-essay',
      markdown: essay(1500),
      status: 'published',
      publishedAt: site.clock.now() - day,
      authorId: author.id,
      tags: ['Letters'],
    });
    await site.services.posts.create({
      title: 'About',
      slug: 'about',
      kind: 'page',
      markdown: 'A page about this site.',
      status: 'published',
      authorId: author.id,
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  const pages = [
    '/',
    '/?page=2',
    '/long-essay/',
    '/about/',
    '/tag/letters/',
    '/author/nora-lind/',
    '/archive/',
    '/search?q=same+page',
    '/search?q=nothing-matches-this',
  ];

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows every kind of page with zero axe violations in the ${scheme} scheme`, async () => {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      for (const path of pages) {
        const res = await page.goto(`${site.base}${path}`);
        assert.equal(res?.status(), 200, path);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${path}:\n${describeViolations(violations)}`);
      }
      await context.close();
    });
  }

  it('fits a narrow phone screen without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true });
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(`${site.base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    }
    await context.close();
  });

  it('weighs under 30 KB of HTML and CSS for a 1,500-word post, with no script and no third-party request', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const sizes = new Map<string, number>();
    page.on('response', async (res) => {
      sizes.set(res.url(), (await res.body().catch(() => Buffer.alloc(0))).length);
    });
    await page.goto(`${site.base}/long-essay/`, { waitUntil: 'networkidle' });
    const words = await page.evaluate(() => document.querySelector('.post-body')?.textContent?.split(/\s+/).filter(Boolean).length ?? 0);
    assert.ok(words >= 1500, `the essay has ${words} words`);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    assert.ok(
      [...sizes.keys()].every((u) => u.startsWith(site.base)),
      [...sizes.keys()].join(', '),
    );
    assert.ok(total < 30 * 1024, `page + stylesheet weigh ${total} bytes`);
    await context.close();
  });

  it('searches from the header form and shows highlighted results', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}/`);
    await page.getByRole('searchbox', { name: 'Search' }).fill('"same page"');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    assert.ok((await page.locator('.search-results li').count()) >= 10);
    assert.match((await page.locator('.search-results mark').first().textContent()) ?? '', /^same( page)?$/);
    await page.close();
  });
});
