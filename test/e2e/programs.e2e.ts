// Programs in Chromium: a reader follows a program card from a post, signs up without trouble,
// and the author finds her sign-up and where she came from; the program pages, the Programs part
// of the workspace and the dashboard's charts pass axe in light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Staff } from '../../src/accounts/accounts-service.js';
import type { PostRow } from '../../src/db/tables.js';
import { makePost, makeStaff } from '../factories.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

const DAY = 24 * 60 * 60 * 1000;

describe('programs in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let author: Staff;
  let program: PostRow;
  let essay: PostRow;
  before(async () => {
    site = await serveTestApp();
    author = await makeStaff(site, 'owner', 'Rosa Vale');
    program = await makePost(site, author, {
      kind: 'program',
      title: 'Coming Home',
      slug: 'coming-home',
      markdown: 'Six weeks of coaching, in a small group.\n\n## What you get\n\nA call each week.',
      excerpt: 'Six weeks to ask for what you desire.',
    });
    essay = await makePost(site, author, {
      title: 'Why pursuit is not the answer',
      markdown: 'Reassurance is what we want.\n\n{{program coming-home}}\n\nThank you for reading.',
    });
    // A month of conversation, so the dashboard has something to draw.
    const now = site.clock.now();
    for (let i = 0; i < 12; i++) {
      const question = await site.services.comments.add({
        postId: essay.id,
        authorName: `Reader ${i}`,
        authorEmail: `reader${i}@example.com`,
        markdown: `Question ${i}`,
        status: 'published',
        createdAt: now - (i * 2 + 1) * DAY,
      });
      if (i % 3 !== 0) {
        await site.services.comments.add({
          postId: essay.id,
          parentId: question.id,
          authorName: author.name,
          authorEmail: author.email,
          staff: author,
          markdown: 'An answer',
          status: 'published',
          createdAt: now - (i * 2 + 1) * DAY + (i + 1) * 3_600_000,
        });
      }
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('takes a reader from a post’s card to the program, signs her up, and shows the author where she came from', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.base}/${essay.slug}/`);
    const card = page.locator('.program-card');
    assert.equal(await card.locator('.program-card-title').textContent(), 'Coming Home');
    await card.getByRole('link', { name: 'Learn more about Coming Home' }).click();
    await page.waitForURL(`${site.base}/coming-home/?from=post:${essay.id}`);
    assert.equal(await page.locator('h1').textContent(), 'Coming Home');

    await page.getByLabel('Name').fill('Lena Ortiz');
    await page.getByLabel('Email').fill('lena@example.com');
    await page.getByLabel('Message (optional)').fill('I have been waiting for this.');
    // A person takes a moment on the page; the test clock is told so.
    site.clock.advance(5000);
    await page.getByRole('button', { name: 'Sign up for Coming Home' }).click();
    await page.waitForURL(`${site.base}/coming-home/thanks`);
    await page.getByText('You are signed up for').waitFor();
    await context.close();

    const staffContext = await browser.newContext();
    const admin = await staffContext.newPage();
    await signIn(admin, site.base, author.email);
    await admin.getByRole('link', { name: 'Programs', exact: true }).click();
    await admin.waitForURL(`${site.base}/admin/programs`);
    assert.equal(await admin.locator(`tr[data-program-id="${program.id}"] [data-signup-count]`).textContent(), '1');
    await admin.getByRole('link', { name: 'Coming Home', exact: true }).click();
    await admin.waitForURL(`${site.base}/admin/programs/${program.id}/signups`);
    const signup = admin.locator('[data-signups] tbody tr').first();
    assert.equal(await signup.locator('td').nth(1).textContent(), 'Lena Ortiz');
    assert.equal(await signup.locator('td').nth(4).textContent(), `Post “${essay.title}”`);
    const source = admin.locator('[data-sources] tbody tr', { hasText: essay.title });
    assert.deepEqual(await source.locator('td').allTextContents(), [`Post “${essay.title}”`, '1', '1']);
    await staffContext.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the program pages, the Programs workspace and the dashboard with zero axe violations in the ${scheme} scheme`, async () => {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      const check = async (what: string) => {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
      };
      for (const path of [`/${essay.slug}/`, '/coming-home/', '/coming-home/thanks']) {
        const res = await page.goto(`${site.base}${path}`);
        assert.equal(res?.status(), 200, path);
        await check(path);
      }
      // The sign-up form with errors, as a reader sees it.
      await page.goto(`${site.base}/coming-home/`);
      await page.getByLabel('Email').fill('not an address');
      site.clock.advance(5000);
      await page.getByLabel('Email').evaluate((el) => el.removeAttribute('type'));
      await page.getByLabel('Name').evaluate((el) => el.removeAttribute('required'));
      await page.getByRole('button', { name: 'Sign up for Coming Home' }).click();
      await page.getByText('Tell us your name.').first().waitFor();
      await check('sign-up form with errors');

      await signIn(page, site.base, author.email);
      await page.locator('details.chart-data').first().waitFor();
      assert.ok((await page.locator('.chart-svg').count()) >= 2, 'the dashboard draws its charts');
      await check('/admin/');
      // With every table of figures open.
      for (const details of await page.locator('details.chart-data').all()) await details.locator('summary').click();
      await check('/admin/ with the figures shown');
      for (const path of [
        '/admin/programs',
        `/admin/programs/${program.id}/signups`,
        '/admin/programs/new',
        `/admin/programs/${program.id}`,
      ]) {
        const res = await page.goto(`${site.base}${path}`);
        assert.equal(res?.status(), 200, path);
        await check(path);
      }
      await context.close();
    });
  }
});
