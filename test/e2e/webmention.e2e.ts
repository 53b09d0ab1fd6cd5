// A reply from another site's page (Webmention) as a person sees it in Chromium: in the thread beside
// a reader's comment, labelled "from" the site it came from and linked there; the owner's
// Webmentions page lists it. Both pages pass axe.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import type { PostRow } from '../../src/db/tables.js';
import { createWebmentionWorker } from '../../src/webmention/webmention-worker.js';
import { makePost } from '../factories.js';
import { TEST_BASE_URL } from '../harness.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp, signIn } from './browser.js';

describe('a web reply in Chromium', () => {
  let browser: Browser;
  let site: ServedApp;
  let post: PostRow;
  let blogHost = '';
  const blog = http.createServer();

  before(async () => {
    site = await serveTestApp();
    const owner = await site.services.accounts.addUser({
      email: 'olive@example.com',
      name: 'Olive Owner',
      role: 'owner',
      password: 'correct horse battery',
    });
    post = await makePost(site, owner, { title: 'On kindling', slug: 'on-kindling' });
    await site.services.comments.add({
      postId: post.id,
      authorName: 'Maya',
      authorEmail: 'maya@example.org',
      markdown: 'Dry birch works best.',
      status: 'published',
    });
    await new Promise<void>((resolve) => blog.listen(0, '127.0.0.1', resolve));
    blogHost = `127.0.0.1:${(blog.address() as AddressInfo).port}`;
    blog.on('request', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><body><article class="h-entry"><a class="u-in-reply-to" href="${TEST_BASE_URL}/on-kindling/">On kindling</a>
        <a class="p-author h-card" href="/">Noor</a><p class="e-content">Pine cones, from my own blog.</p></article></body></html>`);
    });
    const sent = await fetch(`${site.base}/webmention`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ source: `http://${blogHost}/reply`, target: `${TEST_BASE_URL}/on-kindling/` }),
    });
    assert.equal(sent.status, 202);
    await createWebmentionWorker({
      db: site.conn.db,
      clock: site.clock,
      log: pino({ level: 'silent' }),
      webmentions: site.services.webmentions,
    }).drainUntilIdle();
    const row = await site.conn.db.selectFrom('comments').select('id').where('origin', '=', 'web').executeTakeFirstOrThrow();
    await site.services.comments.act(owner, row.id, 'approve');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    blog.close();
    await site?.stop();
  });

  it('shows the web reply labelled with its source in the thread, and passes axe', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}/on-kindling/`);
    await page.getByText('Pine cones, from my own blog.').waitFor();
    const label = page.locator('.comment-origin a', { hasText: `from ${blogHost}` });
    assert.equal(await label.getAttribute('href'), `http://${blogHost}/reply`);
    await page.getByText('Dry birch works best.').waitFor();
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.close();
  });

  it('lists it on the workspace Webmentions page, which passes axe', async () => {
    const page = await browser.newPage();
    await signIn(page, site.base, 'olive@example.com');
    await page.goto(`${site.base}/admin/webmentions`);
    await page.getByRole('cell', { name: /verified/ }).waitFor();
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.close();
  });
});
