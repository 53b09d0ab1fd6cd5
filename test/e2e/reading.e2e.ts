// A reader arrives on the home page, opens a post and reads its conversation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { seedDemoContent } from '../../src/demo/demo-content.js';
import { launchBrowser, type ServedApp, serveTestApp } from './browser.js';

describe('reading in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  before(async () => {
    site = await serveTestApp();
    await seedDemoContent({ ...site.services, clock: site.clock });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('opens a post from the home page and shows the conversation with the Author badge, without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${site.base}/`);
    assert.equal(await page.title(), 'Hearth');
    await page.getByRole('link', { name: 'Why every reader deserves an answer' }).click();
    await page.waitForURL(`${site.base}/why-every-reader-deserves-an-answer/`);
    assert.equal(await page.locator('h1').textContent(), 'Why every reader deserves an answer');
    assert.equal(await page.locator('.comment').count(), 4);
    const staff = page.locator('.comment[data-author-role="author"]');
    assert.equal(await staff.count(), 1);
    assert.ok(await staff.locator('.badge').first().isVisible());
    assert.equal(await staff.locator('.badge').first().textContent(), 'Author');
    // The stylesheet applied: the body font is the theme's serif, not the browser default.
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(font, /Charter|Georgia|serif/);
    assert.ok(
      requests.every((u) => u.startsWith(site.base)),
      `no third-party requests: ${requests.join(', ')}`,
    );
    await context.close();
  });

  it('shows a visible skip link to keyboard users', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}/welcome-to-your-hearth/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(focused, 'Skip to content');
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.x >= 0, 'skip link moves into view when focused');
    await page.close();
  });
});
