// The author's workspace in Chromium: sign in, write with the live preview, publish, read it on the
// site, sign out; and every workspace page passes axe in light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Staff } from '../../src/accounts/accounts-service.js';
import { makePost, makeStaff } from '../factories.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

describe('the author’s workspace in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let owner: Staff;
  before(async () => {
    site = await serveTestApp();
    owner = await makeStaff(site, 'owner', 'June Owner');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('signs in, writes a post with the live preview, publishes it, finds it on the site and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.base}/admin/`);
    assert.match(page.url(), /\/admin\/sign-in$/, 'signed out, the workspace sends to sign-in');
    await signIn(page, site.base, owner.email);

    await page.getByRole('link', { name: 'Posts', exact: true }).click();
    await page.getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Answering every letter');
    await page.getByLabel('Text (Markdown)').fill('Why I *always* answer.\n\n## What readers ask');
    await page.locator('#preview em').waitFor();
    assert.equal(await page.locator('#preview em').textContent(), 'always');
    assert.equal(await page.locator('#preview h2').textContent(), 'What readers ask');
    await page.getByLabel('Tags').fill('Letters, Practice');

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published.', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'View on the site' }).click();
    await page.waitForURL(`${site.base}/answering-every-letter/`);
    assert.equal(await page.locator('h1').first().textContent(), 'Answering every letter');
    assert.equal(await page.locator('.post-body em').first().textContent(), 'always');

    await page.goto(`${site.base}/admin/`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.goto(`${site.base}/admin/posts`);
    assert.match(page.url(), /\/admin\/sign-in\?next=/);
    await context.close();
  });

  it('keeps a copy of unsaved words in the browser and offers to restore them', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, site.base, owner.email);
    const post = await makePost(site, owner, { title: 'Already published', markdown: 'The first version.' });
    await page.goto(`${site.base}/admin/posts/${post.id}`);
    await page.getByLabel('Text (Markdown)').fill('A second version, typed but never saved.');
    await page.goto(`${site.base}/admin/posts/${post.id}`);
    assert.equal(await page.getByLabel('Text (Markdown)').inputValue(), 'The first version.');
    await page.getByRole('button', { name: 'Restore it' }).click();
    assert.equal(await page.getByLabel('Text (Markdown)').inputValue(), 'A second version, typed but never saved.');
    await context.close();
  });

  it('saves a new draft automatically while the author types', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, site.base, owner.email);
    await page.goto(`${site.base}/admin/posts/new`);
    await page.getByLabel('Title', { exact: true }).fill('A draft that saves itself');
    await page.getByLabel('Text (Markdown)').fill('Words worth keeping.');
    await page.waitForURL(/\/admin\/posts\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    const id = page.url().split('/').at(-1) ?? '';
    const saved = await site.services.posts.get(id, owner);
    assert.equal(saved.status, 'draft');
    assert.equal(saved.markdown, 'Words worth keeping.');
    await context.close();
  });

  it('makes an API token on the Account page, shows it once, and revokes it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, site.base, owner.email);
    await page.goto(`${site.base}/admin/account`);
    await page.getByLabel('Label').fill('Phone app');
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create a token' }).click();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    assert.ok(token.length > 20, 'the new token is shown');
    const api = () => fetch(`${site.base}/api/v1/admin/comments`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await api()).status, 200);
    await page.goto(`${site.base}/admin/account`);
    assert.doesNotMatch(await page.content(), new RegExp(token), 'shown once, never again');
    await page.getByRole('button', { name: 'Revoke the token “Phone app”' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.equal(await page.locator('tr', { hasText: 'Phone app' }).count(), 0);
    assert.equal((await api()).status, 401, 'a revoked token opens nothing');
    await context.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows every workspace page with zero axe violations in the ${scheme} scheme`, async () => {
      const author = await makeStaff(site, 'author', `Axe Author ${scheme}`);
      const post = await makePost(site, owner, { title: `Checked post ${scheme}`, markdown: 'Some **words** and a [link](/).' });
      // Something for the Email page to list.
      await site.services.notify.mail.sendPasswordReset({ to: 'axe@example.com', name: 'Axe', link: `${site.base}/admin/reset/x` });
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      const check = async (path: string) => {
        const res = await page.goto(`${site.base}${path}`);
        assert.equal(res?.status(), 200, path);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${path}:\n${describeViolations(violations)}`);
      };
      for (const path of ['/admin/sign-in', '/admin/reset']) await check(path);
      await signIn(page, site.base, owner.email);
      const pages = [
        '/admin/',
        '/admin/posts',
        '/admin/posts?status=draft',
        '/admin/pages',
        '/admin/posts/new',
        `/admin/posts/${post.id}`,
        `/admin/posts/${post.id}/delete`,
        '/admin/settings',
        '/admin/staff',
        `/admin/staff/${author.id}/remove`,
        '/admin/mail',
        '/admin/account',
        '/admin/inbox',
        '/admin/import',
      ];
      for (const path of pages) await check(path);
      // A form with errors, as a person sees it.
      await page.goto(`${site.base}/admin/posts/new`);
      await page.getByLabel('Text (Markdown)').fill('Text without a title');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText('Give it a title.').waitFor();
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `editor with errors:\n${describeViolations(violations)}`);
      await context.close();
    });
  }
});
