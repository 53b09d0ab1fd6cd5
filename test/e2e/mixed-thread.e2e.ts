// One conversation fed by every door, as a person sees it in Chromium: a reader's comment written on
// the site, her answer sent by email (through the mail intake), a reply from another Hearth site on
// the fediverse (ActivityPub between two real servers) and a reply from a blog (a verified
// Webmention). Each shows where it came from; the author answers the fediverse reply from her
// inbox, and her answer reaches the other site as a Note; the other site's author likes the post
// from her Fediverse page, and the post page counts it. Every page passes axe.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import type { Staff } from '../../src/accounts/accounts-service.js';
import { checkReaderWords } from '../../src/comments/comment-form.js';
import type { CommentRow, PostRow } from '../../src/db/tables.js';
import { hashToken } from '../../src/ids.js';
import { makeReplyToken, replyAddressFor } from '../../src/mailin/reply-address.js';
import { createWebmentionWorker } from '../../src/webmention/webmention-worker.js';
import { makePost } from '../factories.js';
import { eventually, PASSWORD, type Site, startSite, submit, workspace } from '../kits/hearth-sites.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const REPLY = 'reply@mail.hearth.test';

describe('a thread fed by the site, email, the fediverse and the web, in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let other: Site;
  let olive: Staff;
  let post: PostRow;
  const ids = { site: '', email: '', fediverse: '', web: '' };
  let blogHost = '';
  const blog = http.createServer();

  /** Comments wait for moderation the first time someone writes: the owner approves, as from her queue. */
  async function approved(id: string) {
    const { comment } = await site.services.comments.get(olive, id);
    if (comment.status === 'pending') await site.services.comments.act(olive, id, 'approve');
    return id;
  }

  before(async () => {
    // The site under test listens on its own address, which the other site reaches over loopback.
    site = await serveTestApp({ ownBaseUrl: true, federationAllowPrivate: true });
    site.services.federation.start();
    olive = await site.services.accounts.addUser({
      email: 'olive@example.com',
      name: 'Olive Owner',
      role: 'owner',
      password: 'correct horse battery',
    });

    // The fediverse: another Hearth site whose author follows Olive from her workspace.
    other = await startSite('Bea Reader', 'bea@b.example');
    const followed = await submit(other, '/admin/fediverse/follow', await workspace(other, '/admin/fediverse'), {
      target: `${site.base}/ap/users/${olive.slug}`,
    });
    assert.equal(followed.status, 303);
    await eventually('Bea follows Olive', async () => !(await workspace(other, '/admin/fediverse')).includes('waiting for them to accept'));

    post = await makePost(site, olive, { title: 'Four ways in', slug: 'four-ways-in', markdown: 'Doors, windows, letters, links.' });
    const articleId = `${site.base}/ap/posts/${post.id}`;
    const fedPage = await eventually('the post reaches the other site', async () => {
      const html = await workspace(other, '/admin/fediverse');
      return html.includes('Four ways in') && html;
    });
    assert.equal(
      (await submit(other, '/admin/fediverse/answer', fedPage, { object: articleId, text: 'Through the window, from afar.' })).status,
      303,
    );
    ids.fediverse = await eventually('the fediverse reply becomes a comment', async () => {
      const row = await site.conn.db.selectFrom('comments').select('id').where('origin', '=', 'fediverse').executeTakeFirst();
      return row?.id;
    });
    await approved(ids.fediverse);

    // The site: a reader's comment through the form's service, and Olive's reply to it.
    const asked = await site.services.comments.submit({
      post,
      parentId: null,
      words: checkReaderWords(
        { name: 'Maya', email: 'maya@example.org', website: '', body: 'I came in by the door.' },
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
    ids.site = await approved((asked as { comment: CommentRow }).comment.id);
    const answer = (await site.services.comments.reply(olive, ids.site, 'Welcome in, Maya.')).comment;

    // Email: Maya answers Olive's reply from her mail client, through the mail intake.
    await site.services.mailIn.setReplyAddress(REPLY);
    const to = replyAddressFor(REPLY, makeReplyToken(SECRET, 'maya@example.org', 'reader', answer.id, site.clock.now()));
    const mail = [
      'From: Maya <maya@example.org>',
      `To: ${to}`,
      'Subject: Re: Four ways in',
      'Message-ID: <maya-2@example.org>',
      '',
      'A letter, too.',
      '',
    ];
    const received = await site.services.mailIn.receive(Buffer.from(mail.join('\r\n')), 'smtp');
    ids.email = await approved(received.commentId as string);

    // The web: a blog's reply, sent as a Webmention and verified against the blog's page.
    await new Promise<void>((resolve) => blog.listen(0, '127.0.0.1', resolve));
    blogHost = `127.0.0.1:${(blog.address() as AddressInfo).port}`;
    blog.on('request', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><body><article class="h-entry"><a class="u-in-reply-to" href="${site.base}/four-ways-in/">Four ways in</a>
        <a class="p-author h-card" href="/">Noor</a><p class="e-content">A link brought me here.</p></article></body></html>`);
    });
    const sent = await fetch(`${site.base}/webmention`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ source: `http://${blogHost}/reply`, target: `${site.base}/four-ways-in/` }),
    });
    assert.equal(sent.status, 202);
    await createWebmentionWorker({
      db: site.conn.db,
      clock: site.clock,
      log: pino({ level: 'silent' }),
      webmentions: site.services.webmentions,
    }).drainUntilIdle();
    const web = await site.conn.db.selectFrom('comments').select('id').where('origin', '=', 'web').executeTakeFirstOrThrow();
    ids.web = await approved(web.id);

    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    blog.close();
    await other?.serve.stop();
    await other?.db.drop();
    await site?.services.federation.stop();
    await site?.stop();
  });

  it('labels each comment with where it came from, and passes axe', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}/four-ways-in/`);
    const card = (id: string) => page.locator(`#comment-${id} > article > .comment-meta`);
    const label = (id: string) => card(id).locator('.comment-origin');
    await page.getByText('A link brought me here.').waitFor();
    assert.equal(await label(ids.site).count(), 0, 'written here: no label');
    assert.equal(((await label(ids.email).textContent()) ?? '').trim(), 'by email');
    assert.equal(((await label(ids.fediverse).textContent()) ?? '').trim(), 'from the fediverse');
    assert.match((await label(ids.fediverse).locator('a').getAttribute('href')) ?? '', new RegExp(`^${other.base}/ap/notes/`));
    assert.equal(((await label(ids.web).textContent()) ?? '').trim(), `from ${blogHost}`);
    assert.equal(await label(ids.web).locator('a').getAttribute('href'), `http://${blogHost}/reply`);
    for (const words of ['I came in by the door.', 'A letter, too.', 'Through the window, from afar.'])
      await page.getByText(words).waitFor();
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.close();
  });

  it('lets the author answer the fediverse reply from her inbox; the answer joins the thread and reaches the other site', async () => {
    const page = await browser.newPage();
    await signIn(page, site.base, 'olive@example.com');
    await page.goto(`${site.base}/admin/inbox`);
    const entry = page.locator('.ib-entry', { hasText: 'Through the window, from afar.' });
    await entry.getByLabel(/Your reply to Bea Reader/).fill('Glad the window was open.');
    await entry.getByRole('button', { name: 'Publish reply' }).click();
    await page.getByText('Your reply is published.').waitFor();
    const inboxViolations = await axeViolations(page);
    assert.equal(inboxViolations.length, 0, `inbox:\n${describeViolations(inboxViolations)}`);
    await page.close();

    const reader = await browser.newPage();
    await reader.goto(`${site.base}/four-ways-in/`);
    await reader.locator(`#comment-${ids.fediverse} .comment-replies`).getByText('Glad the window was open.').waitFor();
    const violations = await axeViolations(reader);
    assert.equal(violations.length, 0, describeViolations(violations));
    await reader.close();

    await eventually('the answer reaches the other site', async () => {
      const html = await workspace(other, '/admin/fediverse');
      return html.includes('Glad the window was open.') && html.includes('answered you');
    });
  });

  it('counts a like given from the other site’s Fediverse page on the post page; both pages pass axe', async () => {
    const bea = await browser.newPage();
    await signIn(bea, other.base, 'bea@b.example', PASSWORD);
    await bea.goto(`${other.base}/admin/fediverse`);
    await bea.getByRole('button', { name: 'Like “Four ways in”' }).click();
    await bea.getByText('Your like was sent.').waitFor();
    assert.equal(await bea.getByRole('button', { name: 'Unlike “Four ways in”' }).getAttribute('aria-pressed'), 'true');
    const beaViolations = await axeViolations(bea);
    assert.equal(beaViolations.length, 0, `the other site's Fediverse page:\n${describeViolations(beaViolations)}`);
    await bea.close();

    const reader = await browser.newPage();
    await eventually('the like is counted', async () => {
      await reader.goto(`${site.base}/four-ways-in/`);
      return (
        ((await reader.locator('.post-reactions').count()) > 0 && (await reader.locator('.post-reactions').textContent())) || undefined
      );
    }).then((text) => assert.equal(text.trim(), '1 like'));
    const violations = await axeViolations(reader);
    assert.equal(violations.length, 0, describeViolations(violations));
    await reader.close();
  });
});
