// A reader's conversation in Chromium: without scripts (post, reply, fix a typo, be held and then
// published), with scripts (inline reply, live updates), and accessible in light and dark.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PostRow } from '../../src/db/tables.js';
import { makePost } from '../factories.js';
import { staffWithToken } from '../kits/comments.js';
import { launchBrowser, type ServedApp, serveTestApp } from './browser.js';

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

describe('conversations in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let post: PostRow;
  let author: Awaited<ReturnType<typeof staffWithToken>>;
  let question: string;
  before(async () => {
    site = await serveTestApp();
    author = await staffWithToken(site, 'author', 'Kavita Patel');
    post = await makePost(site, author.staff, { title: 'Why getting him to pursue you is not the answer' });
    const q = await site.services.comments.add({
      postId: post.id,
      authorName: 'Kristina',
      authorEmail: 'kristina@example.com',
      markdown: 'Thank you for this post. I feel the *unworthiness* of asking.',
      status: 'published',
      createdAt: site.clock.now() - 3600_000,
    });
    question = q.id;
    browser = await launchBrowser();
  });
  after(async () => {
    site?.services.live.close();
    await browser?.close();
    await site?.stop();
  });

  /** Fills the visible comment form and sends it, after the time a person needs. */
  async function fillAndSend(page: Page, fields: { name?: string; email?: string; body: string }) {
    const form = page.locator('form[data-comment-form]');
    await form.getByLabel('Your comment').fill(fields.body);
    if (fields.name) await form.getByLabel('Name').fill(fields.name);
    if (fields.email) await form.getByLabel('Email', { exact: true }).fill(fields.email);
    site.clock.advance(3000);
    await form.getByRole('button', { name: /Post (comment|reply)/ }).click();
    await page.waitForLoadState('domcontentloaded');
  }

  it('without JavaScript, a first-time reader is held, published through the admin API, then replies and fixes a typo', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.base}/${post.slug}/`);
    await fillAndSend(page, { name: 'Stary Tee', email: 'stary@example.com', body: 'I am in limbo, waiting five days.' });
    assert.match(page.url(), /#comment-[0-9a-f-]{36}$/);
    const id = /#comment-(.+)$/.exec(page.url())?.[1] as string;
    const mine = page.locator(`#comment-${id}`);
    assert.match((await mine.textContent()) ?? '', /Awaiting moderation/);

    const other = await browser.newContext({ javaScriptEnabled: false });
    const stranger = await other.newPage();
    await stranger.goto(`${site.base}/${post.slug}/`);
    assert.equal(await stranger.locator(`#comment-${id}`).count(), 0, 'held: shown to no one else');

    const approved = await author.api(`/api/v1/admin/comments/${id}/approve`, { method: 'POST' });
    assert.equal(approved.status, 200);
    await stranger.reload();
    assert.equal(await stranger.locator(`#comment-${id}`).count(), 1);
    assert.equal(await stranger.locator('#comments').getAttribute('data-comment-count'), '2');

    // She replies to Kristina through the reply link (no scripts).
    await page.goto(`${site.base}/${post.slug}/`);
    await page.locator(`#comment-${question} .reply-link`).first().click();
    assert.match(page.url(), new RegExp(`replyto=${question}#respond$`));
    assert.match((await page.locator('#respond-heading').textContent()) ?? '', /Reply to Kristina/);
    await fillAndSend(page, { name: 'Stary Tee', email: 'stary@example.com', body: 'Same here, Kristina. I feel taht too.' });
    const replyId = /#comment-(.+)$/.exec(page.url())?.[1] as string;
    assert.equal(await page.locator(`#comment-${question} #comment-${replyId}`).count(), 1, 'the reply sits inside its parent');

    // And fixes her typo.
    await page.locator(`#comment-${replyId} .edit-link`).click();
    const editor = page.locator(`#comment-${replyId} form.comment-edit textarea`);
    assert.equal(await editor.inputValue(), 'Same here, Kristina. I feel taht too.');
    await editor.fill('Same here, Kristina. I feel that too.');
    await page.locator(`#comment-${replyId}`).getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState('domcontentloaded');
    const fixed = page.locator(`#comment-${replyId}`);
    assert.match((await fixed.locator('.comment-body').textContent()) ?? '', /I feel that too\./);
    assert.equal(await fixed.locator('.edited').first().textContent(), 'edited');

    // The author's answer carries the badge.
    const answer = await author.api(`/api/v1/admin/comments/${id}/reply`, {
      method: 'POST',
      json: { markdown: 'Stary, reaching out does not make you needy.' },
    });
    const answerId = ((await answer.json()) as { id: string }).id;
    await stranger.reload();
    const staff = stranger.locator(`#comment-${answerId}`);
    assert.equal(await staff.getAttribute('data-author-role'), 'author');
    assert.ok(await staff.locator('.badge').first().isVisible());
    assert.equal(await staff.locator('.badge').first().textContent(), 'Author');
    await context.close();
    await other.close();
  });

  it('tells a held reader the author will answer, fills in her name on the next form, and reads times as people do', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.base}/${post.slug}/`);
    const time = page.locator(`#comment-${question} .comment-permalink time`).first();
    const exact = await time.getAttribute('title');
    assert.match(exact ?? '', /\d{4}, \d{1,2}:\d{2}/, 'the exact time is in the tooltip');
    assert.match((await time.textContent()) ?? '', /\d{4}/, 'without scripts the time is a date');
    await fillAndSend(page, { name: 'Noa Held', email: 'noa@example.com', body: 'My first question here.' });
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      /The author reads every comment and will publish yours and answer it here\./,
    );
    await page.goto(`${site.base}/${post.slug}/`);
    const form = page.locator('form[data-comment-form]');
    assert.equal(await form.getByLabel('Name').inputValue(), 'Noa Held', 'her name is filled in, without scripts');
    assert.equal(await form.getByLabel('Email', { exact: true }).inputValue(), 'noa@example.com');
    await context.close();

    const scripted = await browser.newContext();
    // The page's clock is the test's: Kristina wrote an hour before it.
    await scripted.clock.setFixedTime(new Date(site.clock.now()));
    const reader = await scripted.newPage();
    await reader.goto(`${site.base}/${post.slug}/`);
    const shown = reader.locator(`#comment-${question} .comment-permalink time`).first();
    assert.match((await shown.textContent()) ?? '', /hour ago|minutes ago/, 'with scripts the time reads as words');
    assert.equal(await shown.getAttribute('title'), exact);
    await scripted.close();
  });

  it('with JavaScript, a reply form opens inline and new comments appear without a reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.base}/${post.slug}/`);
    await page.locator(`#comment-${question} .reply-link`).first().click();
    assert.equal(await page.locator(`#comment-${question} form[data-comment-form]`).count(), 1, 'the form moved under the comment');
    assert.equal(page.url(), `${site.base}/${post.slug}/`);

    for (let i = 0; i < 50 && site.services.live.size() === 0; i++) await page.waitForTimeout(100);
    assert.ok(site.services.live.size() > 0, 'the page listens for new comments');
    const fresh = await site.services.comments.add({
      postId: post.id,
      parentId: question,
      authorName: 'Tatia Dee',
      authorEmail: 'tatia@example.com',
      markdown: 'Wow. I love this article.',
      status: 'published',
    });
    const arrived = page.locator(`#comment-${question} #comment-${fresh.id}`);
    await arrived.waitFor({ timeout: 5000 });
    assert.match((await arrived.textContent()) ?? '', /I love this article/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('with JavaScript, she previews her words, and a reply to her own fresh comment first offers to add to it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.base}/${post.slug}/`);
    const form = page.locator('form[data-comment-form]');
    await form.getByLabel('Your comment').fill('**Bold** words, and <script>nothing</script>');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('.comment-preview');
    await preview.locator('strong').waitFor();
    assert.equal(await preview.locator('strong').textContent(), 'Bold');
    assert.equal(await preview.locator('script').count(), 0, 'the preview is the sanitized rendering');

    // She posts, then answers herself within the edit window: she is asked before anything is sent.
    await fillAndSend(page, { name: 'Nadia', email: 'nadia.js@example.com', body: 'How do I get him on the same page?' });
    const id = /#comment-(.+)$/.exec(page.url())?.[1] as string;
    await page.locator(`#comment-${id} .reply-link`).first().click();
    const inline = page.locator(`#comment-${id} form[data-comment-form]`);
    await inline.getByLabel('Your comment').fill('With me, I mean.');
    // Her name and address were remembered in this browser from her first comment.
    assert.equal(await inline.getByLabel('Name').inputValue(), 'Nadia');
    assert.equal(await inline.getByLabel('Email', { exact: true }).inputValue(), 'nadia.js@example.com');
    site.clock.advance(3000);
    await inline.getByRole('button', { name: /Post reply/ }).click();
    const choice = page.getByRole('group', { name: 'Add to your comment?' });
    await choice.waitFor();
    await choice.getByRole('button', { name: 'Add to my comment' }).click();
    await page.waitForURL(new RegExp(`#comment-${id}$`));
    const mine = (await page.locator(`#comment-${id} .comment-body`).first().textContent()) ?? '';
    assert.match(mine, /How do I get him on the same page\?[\s\S]*With me, I mean\./);
    assert.equal(await page.locator('.comment', { hasText: 'With me, I mean.' }).count(), 1, 'added to her comment, not posted twice');
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no accessibility violations on a post with comments (${colorScheme})`, async () => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(`${site.base}/${post.slug}/?replyto=${question}`);
      await page.evaluate(AXE);
      const result = (await page.evaluate(() =>
        // @ts-expect-error axe is injected above
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
      )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
      const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(found, []);
      await context.close();
    });
  }
});
