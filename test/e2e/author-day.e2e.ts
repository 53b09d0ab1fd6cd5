// An author's whole day in Chromium: she signs in, publishes a post, approves a held comment from
// the queue with a key, answers the reader who has waited longest from the inbox with one of her
// older posts inserted in one click, finds nobody left waiting, and signs out. The queue, a
// commenter's page and the inbox pass axe in light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Staff } from '../../src/accounts/accounts-service.js';
import type { CommentRow, PostRow } from '../../src/db/tables.js';
import { makePost, makeStaff } from '../factories.js';
import { TEST_BASE_URL } from '../harness.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

const DAY = 24 * 3600_000;

describe('an author’s day in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let kavita: Staff;
  let older: PostRow;
  let named: PostRow;
  const readerSays = (post: PostRow, name: string, markdown: string, status: CommentRow['status'], ago: number) =>
    site.services.comments.add({
      postId: post.id,
      authorName: name,
      authorEmail: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      markdown,
      status,
      createdAt: site.clock.now() - ago,
    });

  before(async () => {
    site = await serveTestApp();
    kavita = await makeStaff(site, 'author', 'Kavita Patel');
    named = await makePost(site, kavita, { title: 'How to let your crush know you have feelings', markdown: 'Say it simply.' });
    older = await makePost(site, kavita, { title: 'Why getting him to pursue you is not the answer', markdown: 'On pursuing.' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('publishes, approves with a key, answers the longest wait with a suggested post, empties the inbox and signs out', async () => {
    const stary = await readerSays(
      older,
      'Stary Tee',
      'I read your old post (How To Let Your Crush Know You Have Feelings) and now I am in limbo: it has been 5 days.',
      'published',
      5 * DAY,
    );
    const held = await readerSays(older, 'Kristina', 'Thank you for this post. I feel the unworthiness of asking.', 'pending', DAY);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, site.base, kavita.email);

    // Write and publish a post.
    await page.getByRole('link', { name: 'Posts', exact: true }).click();
    await page.getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Asking for what you want');
    await page.getByLabel('Text (Markdown)').fill('Ask, and let him answer.');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published.', { exact: true }).waitFor();

    // The held comment, approved from the queue with the keyboard.
    await page.getByRole('link', { name: 'Comments', exact: true }).click();
    await page.waitForURL(/\/admin\/comments/);
    await page.getByText('Keys:').waitFor();
    const item = page.locator(`#mq-${held.id}`);
    await item.waitFor();
    await page.keyboard.press('j');
    assert.equal(await item.evaluate((el) => el.classList.contains('is-current')), true, 'j moves to the first comment');
    await page.keyboard.press('a');
    await item.waitFor({ state: 'detached' });
    assert.equal((await site.services.comments.get(kavita, held.id)).comment.status, 'published');

    // The inbox: both readers wait, the longest wait first; the badge says so.
    await page.getByRole('link', { name: /^Inbox/ }).click();
    await page.waitForURL(/\/admin\/inbox/);
    assert.match((await page.getByRole('link', { name: /^Inbox/ }).textContent()) ?? '', /2/);
    const first = page.locator('.ib-entry').first();
    assert.equal(await first.getAttribute('id'), `ib-${stary.id}`);
    assert.match((await first.locator('.ib-wait').textContent()) ?? '', /Waiting 5 days/);
    const reply = first.getByLabel('Your reply to Stary Tee');
    await reply.fill('Stary, reaching out does not make you needy. This may help:');
    await first.getByRole('button', { name: `Insert link to ${named.title}` }).click();
    // Links in replies use the site's public address (BASE_URL), which emails carry too.
    const link = `[${named.title}](${TEST_BASE_URL}/${named.slug}/)`;
    assert.equal(await reply.inputValue(), `Stary, reaching out does not make you needy. This may help: ${link}`);
    await first.getByRole('button', { name: 'Publish reply' }).click();
    await page.getByText('Your reply is published.').waitFor();

    // The other reader needs no answer; then nobody is waiting.
    await page
      .locator('.ib-entry')
      .first()
      .getByRole('button', { name: /No reply needed/ })
      .click();
    await page.getByText('Nobody is waiting for your reply.').waitFor();
    assert.equal(await page.locator('.ws-badge').count(), 0, 'no badge when nobody waits');

    // Readers see her answer, with its link, under the post.
    const answer = await site.request(`/${older.slug}/`);
    const html = await answer.text();
    assert.match(html, new RegExp(`<a href="${TEST_BASE_URL}/${named.slug}/">${named.title}</a>`));

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You are signed out.').waitFor();
    await context.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the queue, a commenter’s page and the inbox with zero axe violations in the ${scheme} scheme`, async () => {
      const q = await readerSays(
        older,
        `Axe Reader ${scheme}`,
        'I read How to let your crush know you have feelings. Now what?',
        'published',
        2 * DAY,
      );
      await readerSays(older, `Held Reader ${scheme}`, 'A first comment, held.', 'pending', DAY);
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await signIn(page, site.base, kavita.email);
      for (const path of ['/admin/comments', '/admin/comments?tab=all', `/admin/commenters/${q.id}`, '/admin/inbox']) {
        const res = await page.goto(`${site.base}${path}`);
        assert.equal(res?.status(), 200, path);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${path}:\n${describeViolations(violations)}`);
      }
      // The queue with the current comment marked and its reply box open.
      await page.goto(`${site.base}/admin/comments`);
      await page.keyboard.press('j');
      await page.keyboard.press('r');
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `queue with a reply box open:\n${describeViolations(violations)}`);
      await context.close();
    });
  }
});
