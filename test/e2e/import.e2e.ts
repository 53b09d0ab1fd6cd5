// The owner moves in from the workspace: uploads a WordPress export, watches it go up, reads the
// summary; the page passes axe.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeStaff } from '../factories.js';
import { corpus } from '../kits/importers.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

describe('importing from the workspace in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let ownerEmail: string;
  before(async () => {
    site = await serveTestApp();
    ownerEmail = (await makeStaff(site, 'owner', 'Olive Owner')).email;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('uploads a WordPress export, shows the summary in place, and the posts are on the site', async () => {
    const page = await browser.newPage();
    await signIn(page, site.base, ownerEmail);
    await page.goto(`${site.base}/admin/import`);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('File').setInputFiles(corpus('wxr-wordpress-importer/phpunit-data/small-export.xml'));
    // A mark on this document: it survives only if the script replaced the content in place.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Imported' }).waitFor();
    assert.equal(
      await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
      true,
      'no page load: the script uploaded it',
    );
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    const rows = await page.locator('.ws-import-summary tr').allTextContents();
    assert.match(rows.join('\n'), /Posts and pages\s*\d+ added/);
    await page.goto(`${site.base}/`);
    assert.ok((await page.locator('.post-summary').count()) > 0, 'the imported posts are listed');
    await page.close();
  });
});
