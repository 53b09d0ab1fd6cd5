// Replies by email as a person sees them in Chromium: the reader's emailed answer sits under the
// author's reply with the quote gone, the author's emailed answer carries her badge; the owner
// finds an out-of-office under "Mail we could not place" with its reason. The new pages pass axe
// in light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Staff } from '../../src/accounts/accounts-service.js';
import { checkReaderWords } from '../../src/comments/comment-form.js';
import type { CommentRow, PostRow } from '../../src/db/tables.js';
import { hashToken } from '../../src/ids.js';
import { makeReplyToken, replyAddressFor } from '../../src/mailin/reply-address.js';
import { makePost } from '../factories.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

const REPLY = 'reply@mail.hearth.test';
const SECRET = 'test-secret-test-secret-test-secret-0123';
const PASSWORD = 'correct horse battery';

describe('replies by email in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let rosa: Staff;
  let post: PostRow;
  let fromMaya: string;
  let fromRosa: string;

  const mail = (from: string, to: string, id: string, body: string, extra: string[] = []) =>
    Buffer.from([`From: ${from}`, `To: ${to}`, 'Subject: Re: On waiting', `Message-ID: <${id}>`, ...extra, '', body, ''].join('\r\n'));

  before(async () => {
    site = await serveTestApp();
    rosa = await site.services.accounts.addUser({ email: 'rosa@example.com', name: 'Rosa Vale', role: 'author', password: PASSWORD });
    await site.services.accounts.addUser({ email: 'olive@example.com', name: 'Olive Owner', role: 'owner', password: PASSWORD });
    post = await makePost(site, rosa, { title: 'On waiting', slug: 'on-waiting' });
    await site.services.mailIn.setReplyAddress(REPLY);
    const asked = await site.services.comments.submit({
      post,
      parentId: null,
      words: checkReaderWords(
        { name: 'Maya', email: 'maya@example.org', website: '', body: 'How long should I wait?' },
        await site.services.comments.settings(),
      ),
      notify: true,
      private: false,
      honeypotFilled: false,
      credentialHash: hashToken('maya'),
      ip: '192.0.2.7',
      userAgent: 'test',
      replyChosen: false,
    });
    const question = (asked as { comment: CommentRow }).comment;
    const answer = (await site.services.comments.reply(rosa, question.id, 'A week at most, Maya.')).comment;
    const now = site.clock.now();
    const mayaTo = replyAddressFor(REPLY, makeReplyToken(SECRET, 'maya@example.org', 'reader', answer.id, now));
    const maya = await site.services.mailIn.receive(
      mail(
        'Maya <maya@example.org>',
        mayaTo,
        'maya-1@example.org',
        'A week, then. Thank you!\n\nOn 03/03/2026 10:12, Rosa Vale wrote:\n> A week at most, Maya.',
        ['User-Agent: Mozilla Thunderbird'],
      ),
      'smtp',
    );
    fromMaya = maya.commentId as string;
    const rosaTo = replyAddressFor(REPLY, makeReplyToken(SECRET, 'rosa@example.com', 'staff', fromMaya, now));
    const answered = await site.services.mailIn.receive(
      mail(
        'Rosa Vale <rosa@example.com>',
        rosaTo,
        'rosa-1@example.com',
        'See you then.\n\nSent from my iPhone\n\n> On 3 Mar 2026, at 10:20, Hearth wrote:\n> A week, then.',
      ),
      'imap',
    );
    fromRosa = answered.commentId as string;
    await site.services.mailIn.receive(
      mail('Maya <maya@example.org>', mayaTo, 'ooo-1@example.org', 'I am away.', ['Auto-Submitted: auto-replied']),
      'smtp',
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('shows the emailed answers in the thread: hers under the author’s reply, the author’s with her badge', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}/on-waiting/`);
    const maya = page.locator(`#comment-${fromMaya}`);
    await maya.waitFor();
    assert.match(((await maya.locator('.comment-body').first().textContent()) ?? '').trim(), /^A week, then\. Thank you!$/);
    assert.equal(await page.locator(`.comment-staff .comment-replies #comment-${fromMaya}`).count(), 1, 'nested under the author’s reply');
    const rosaReply = page.locator(`#comment-${fromRosa}`);
    assert.equal(((await rosaReply.locator('.comment-body').first().textContent()) ?? '').trim(), 'See you then.');
    assert.equal(((await rosaReply.locator('.badge').first().textContent()) ?? '').trim(), 'Author');
    assert.equal(await page.getByText('wrote:').count(), 0, 'no quoted text');
    await page.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`lists the out-of-office with its reason, and the new pages pass axe in the ${scheme} scheme`, async () => {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await signIn(page, site.base, 'olive@example.com');
      await page.goto(`${site.base}/admin/mail`);
      assert.match((await page.locator('#replies-status').textContent()) ?? '', /reply\+…@mail\.hearth\.test/);
      await page.getByRole('link', { name: /Mail we could not place \(1\)/ }).click();
      await page.waitForURL(/\/admin\/mail\/unplaced$/);
      assert.match((await page.locator('.unplaced-reason').first().textContent()) ?? '', /Auto-Submitted: auto-replied/);
      for (const path of ['/admin/mail', '/admin/mail/unplaced', '/admin/mail/replies']) {
        const res = await page.goto(`${site.base}${path}`);
        assert.equal(res?.status(), 200, path);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${path}:\n${describeViolations(violations)}`);
      }
      await context.close();
    });
  }
});
