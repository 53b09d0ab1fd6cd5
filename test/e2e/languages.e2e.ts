// A site in Arabic read in Chromium: right to left, mirrored by the stylesheet's logical
// properties, in Arabic words and dates, with and without scripts, and accessible (axe).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { seedDemoContent } from '../../src/demo/demo-content.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp } from './browser.js';

describe('a site in Arabic, in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let postPath: string;
  before(async () => {
    site = await serveTestApp();
    await seedDemoContent({ ...site.services, clock: site.clock });
    await site.services.settings.updateSite({ language: 'ar' });
    postPath = '/why-every-reader-deserves-an-answer/';
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('lays the post page out right to left, in Arabic, with 0 axe violations in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(`${site.base}${postPath}`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await page.getAttribute('html', 'lang'), 'ar');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
      assert.equal(await page.locator('#respond-heading').textContent(), 'اترك تعليقًا');
      assert.equal(await page.locator('button[type="submit"]', { hasText: 'انشر التعليق' }).count(), 1);
      assert.equal(await page.locator('.comment .badge').first().textContent(), 'صاحب/ة التدوينة');
      // Replies are indented from the right: the logical padding of the stylesheet mirrors.
      const indent = await page.evaluate(() => {
        const ol = document.querySelector('.comment-replies');
        if (!ol) return null;
        const s = getComputedStyle(ol);
        return { right: Number.parseFloat(s.paddingRight), left: Number.parseFloat(s.paddingLeft) };
      });
      assert.ok(indent, 'the demo conversation has replies');
      assert.ok(indent.right > indent.left, `replies indent from the right: ${JSON.stringify(indent)}`);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `${colorScheme}: ${describeViolations(violations)}`);
      await context.close();
    }
  });

  it('writes comment times as Arabic words with scripts, and Arabic dates without', async () => {
    const withScripts = await browser.newPage();
    await withScripts.goto(`${site.base}${postPath}`);
    const time = withScripts.locator('.comment-permalink time').first();
    await withScripts.waitForFunction(() => !/\d{4}/.test(document.querySelector('.comment-permalink time')?.textContent ?? '2026'));
    assert.match((await time.textContent()) ?? '', /[\u0600-\u06FF]/, 'relative time in Arabic');
    await withScripts.close();

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.base}${postPath}`);
    const date = (await page.locator('.comment-permalink time').first().textContent()) ?? '';
    assert.match(date, /[\u0600-\u06FF]/, `a date in Arabic: ${date}`);
    await context.close();
  });

  it('answers a reply in Arabic when scripts move the form', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}${postPath}`);
    await page.locator('a.reply-link').first().click();
    const heading = (await page.locator('#respond-heading').textContent()) ?? '';
    assert.match(heading, /^الرد على /);
    assert.equal(await page.locator('.replying-to button').textContent(), 'إلغاء الرد');
    await page.close();
  });

  it('shows the home page, the search page and a missing page right to left with 0 axe violations', async () => {
    const page = await browser.newPage();
    for (const path of ['/', '/search?q=reader', '/archive/', '/no-such-page/']) {
      await page.goto(`${site.base}${path}`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl', path);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `${path}: ${describeViolations(violations)}`);
    }
    await page.close();
  });

  it('shows the newsletter, my-data, program and sign-up pages right to left in Arabic with 0 axe violations', async () => {
    const author = await site.services.accounts.addUser({
      email: 'program@example.org',
      name: 'Rosa Vale',
      role: 'author',
      password: null,
    });
    await site.services.posts.create({
      kind: 'program',
      title: 'العودة إلى البيت',
      slug: 'home-again',
      markdown: 'ستة أسابيع من الرفقة.',
      status: 'published',
      authorId: author.id,
    });
    const page = await browser.newPage();
    const expected: Record<string, RegExp> = {
      '/subscribe': /التدوينات الجديدة عبر البريد/,
      '/subscribe?sent=1': /تفقّد بريدك/,
      '/my-data': /تعليقاتك وبياناتك/,
      '/home-again/': /سجّلني في العودة إلى البيت/,
      '/home-again/thanks': /شكرًا لك/,
      '/unsubscribe?token=broken': /رابط إلغاء الاشتراك هذا غير صالح/,
    };
    for (const [path, words] of Object.entries(expected)) {
      await page.goto(`${site.base}${path}`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl', path);
      assert.equal(await page.getAttribute('html', 'lang'), 'ar', path);
      assert.match((await page.locator('main').textContent()) ?? '', words, path);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `${path}: ${describeViolations(violations)}`);
    }
    // A form sent back with what to fix: the subscribe form, and the program's sign-up.
    await page.goto(`${site.base}/subscribe`);
    await page.fill('#subscribe-email', 'not-an-address@x');
    await page.click('button[type="submit"]');
    await page.locator('#subscribe-error').waitFor();
    assert.equal(await page.locator('#subscribe-error').textContent(), 'اكتب عنوانًا مثل name@example.com.');
    let violations = await axeViolations(page);
    assert.equal(violations.length, 0, `subscribe error: ${describeViolations(violations)}`);
    await page.goto(`${site.base}/home-again/`);
    await page.evaluate(() => document.querySelector('#signup-email')?.removeAttribute('required'));
    await page.evaluate(() => document.querySelector('#signup-name')?.removeAttribute('required'));
    await page.click('#signup button[type="submit"]');
    await page.locator('.form-message').waitFor();
    assert.match((await page.locator('.form-message').textContent()) ?? '', /بعض الحقول تحتاج إلى انتباه/);
    violations = await axeViolations(page);
    assert.equal(violations.length, 0, `sign-up errors: ${describeViolations(violations)}`);
    await page.close();
  });
});
