// Hearth's conversation on a real static site: an Eleventy site (built here, by Eleventy, fetching
// each page's thread from Hearth while it builds) served on another port. Without scripts the
// comments are in its HTML and the link leads to the form on Hearth; with scripts the reader
// comments, replies, edits and sees a comment arrive, from the static page. Axe finds nothing,
// the browser asks nothing of any third origin, and a site not registered is refused.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { staffWithToken } from '../kits/comments.js';
import { axeViolations, describeViolations } from './axe.js';
import { launchBrowser, type ServedApp, serveTestApp } from './browser.js';

const SITE_SOURCE = path.join(import.meta.dirname, 'eleventy-site');
const ELEVENTY = path.join(import.meta.dirname, '../../node_modules/@11ty/eleventy/cmd.cjs');

/** A listening server on a free loopback port, serving a folder once it is given one. */
async function staticServer(): Promise<{ origin: string; serve(dir: string): void; server: Server }> {
  let root = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root) || !root) return res.writeHead(404).end();
    if (file.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) return res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (dir) => {
      root = dir;
    },
    server,
  };
}

describe('comments on an Eleventy site', () => {
  let hearth: ServedApp;
  let browser: Browser;
  let blog: Awaited<ReturnType<typeof staticServer>>;
  let stranger: Awaited<ReturnType<typeof staticServer>>;
  let built: string;
  let pageUrl: string;
  let seeded: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-eleventy-'));

  before(async () => {
    hearth = await serveTestApp({ ownBaseUrl: true });
    await staffWithToken(hearth, 'owner', 'Olive Owner');
    // Readers' comments are published at once here: the flow, not moderation, is under test.
    await hearth.services.conversationSettings.update({ hold: 'none' });
    blog = await staticServer();
    stranger = await staticServer();
    await hearth.services.sites.register(blog.origin, 'The blog');
    pageUrl = `${blog.origin}/posts/hello/`;
    const found = await hearth.services.sites.page(pageUrl, 'Hello from a static site');
    assert.ok(found);
    const first = await hearth.services.comments.add({
      postId: found.post.id,
      authorName: 'Kristina',
      authorEmail: 'kristina@example.com',
      markdown: 'Thank you for this page, built **before** anyone ran a script.',
      status: 'published',
      createdAt: hearth.clock.now() - 3600_000,
    });
    seeded = first.id;
    // Eleventy builds the site, asking Hearth for each page's thread as it goes.
    const out = path.join(tmp, '_site');
    await promisify(execFile)(process.execPath, [ELEVENTY, `--input=${SITE_SOURCE}`, `--output=${out}`, '--quiet'], {
      cwd: SITE_SOURCE,
      env: { ...process.env, HEARTH_URL: hearth.base, SITE_URL: blog.origin },
    });
    built = fs.readFileSync(path.join(out, 'posts/hello/index.html'), 'utf8');
    blog.serve(out);
    stranger.serve(out);
    browser = await launchBrowser();
  });
  after(async () => {
    hearth?.services.live.close();
    await browser?.close();
    for (const s of [blog, stranger]) s?.server.closeAllConnections();
    for (const s of [blog, stranger]) await new Promise((resolve) => s?.server.close(resolve));
    await hearth?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A page that notes every origin the browser asks anything of. */
  async function open(context: BrowserContext, origin: string, seen: Set<string>): Promise<Page> {
    const page = await context.newPage();
    page.on('request', (r) => seen.add(new URL(r.url()).origin));
    await page.goto(`${origin}/posts/hello/`);
    return page;
  }

  it('without scripts: the comments are in the built HTML, and its link leads to the form on Hearth', async () => {
    assert.match(built, /built <strong>before<\/strong> anyone ran a script/);
    assert.match(built, new RegExp(`id="comment-${seeded}"`));
    const context = await browser.newContext({ javaScriptEnabled: false });
    const seen = new Set<string>();
    const page = await open(context, blog.origin, seen);
    assert.equal(await page.locator(`#comment-${seeded}`).count(), 1);
    // Axe needs scripts: the built page is checked as it is before the embed runs (its script held back).
    const checking = await browser.newContext();
    const plain = await checking.newPage();
    await plain.route('**/assets/embed.js', (route) => route.abort());
    await plain.goto(`${blog.origin}/posts/hello/`);
    const violations = await axeViolations(plain);
    assert.deepEqual(violations, [], describeViolations(violations));
    await checking.close();
    await page.getByRole('link', { name: 'Join the conversation' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.ok(page.url().startsWith(`${hearth.base}/c-`));
    const form = page.locator('form[data-comment-form]');
    await form.getByLabel('Your comment').fill('Written on Hearth, without a script.');
    await form.getByLabel('Name').fill('Noa Script');
    await form.getByLabel('Email', { exact: true }).fill('noa@example.com');
    hearth.clock.advance(3000);
    await form.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.match((await page.locator('#comments').textContent()) ?? '', /Written on Hearth, without a script\./);
    assert.deepEqual([...seen].sort(), [blog.origin, hearth.base].sort());
    await context.close();
  });

  it('with scripts: she comments, replies, fixes her words and sees a comment arrive, with no cookie and no third origin', async () => {
    const context = await browser.newContext();
    const seen = new Set<string>();
    const errors: string[] = [];
    const page = await open(context, blog.origin, seen);
    page.on('pageerror', (e) => errors.push(e.message));
    const box = page.locator('[data-hearth-thread]');
    const form = box.locator('form[data-comment-form]');
    await form.waitFor();
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));

    // A comment.
    await form.getByLabel('Your comment').fill('Hello from the *embed*.');
    await form.getByLabel('Name').fill('Mara Quill');
    await form.getByLabel('Email', { exact: true }).fill('mara@example.com');
    await form.getByRole('button', { name: 'Preview' }).click();
    await box.locator('.comment-preview em').waitFor();
    hearth.clock.advance(3000);
    await form.getByRole('button', { name: 'Post comment' }).click();
    const mine = box.locator('li.comment', { hasText: 'Hello from the embed.' });
    await mine.waitFor();
    assert.equal(page.url(), `${blog.origin}/posts/hello/`, 'she stayed on the static page');

    // A reply to Kristina's comment, shown under it.
    await box.locator(`#comment-${seeded} .reply-link`).first().click();
    // Hearth renders the form answering her (as its own no-JS page does), without leaving this page.
    const replyForm = box.locator(`form[data-comment-form]:has(input[name="parent"][value="${seeded}"])`);
    await replyForm.waitFor();
    await replyForm.getByLabel('Your comment').fill('A reply from the static page.');
    hearth.clock.advance(3000);
    await replyForm.getByRole('button', { name: 'Post reply' }).click();
    await box.locator(`#comment-${seeded} .comment-replies li.comment`, { hasText: 'A reply from the static page.' }).waitFor();

    // Her edit: the credential came back to the script, kept in this site's storage, not a cookie.
    await mine.locator('a.edit-link').click();
    const edit = box.locator('form.comment-edit');
    await edit.waitFor();
    await edit.locator('textarea').fill('Hello from the embed, fixed.');
    await edit.getByRole('button', { name: 'Save' }).click();
    await box.locator('li.comment', { hasText: 'Hello from the embed, fixed.' }).waitFor();
    assert.deepEqual(await context.cookies(), [], 'no cookie on either origin');
    assert.ok(await page.evaluate((base) => localStorage.getItem(`hearth-credential ${base}`), hearth.base));

    // A comment written elsewhere arrives live.
    for (let i = 0; i < 50 && hearth.services.live.size() === 0; i++) await page.waitForTimeout(100);
    const found = await hearth.services.sites.page(pageUrl);
    const fresh = await hearth.services.comments.add({
      postId: found?.post.id as string,
      parentId: seeded,
      authorName: 'Tatia Dee',
      authorEmail: 'tatia@example.com',
      markdown: 'Arrived while you read.',
      status: 'published',
    });
    await box.locator(`#comment-${seeded} #comment-${fresh.id}`).waitFor({ timeout: 5000 });

    assert.deepEqual([...seen].sort(), [blog.origin, hearth.base].sort());
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a site that is not registered gets nothing from Hearth', async () => {
    const context = await browser.newContext();
    const seen = new Set<string>();
    const refused: string[] = [];
    const page = await context.newPage();
    page.on('request', (r) => seen.add(new URL(r.url()).origin));
    // Hearth answers 403 without CORS headers: the browser keeps the answer from the page.
    page.on('requestfailed', (r) => {
      if (r.url().includes('/embed/thread')) refused.push(r.url());
    });
    await page.goto(`${stranger.origin}/posts/hello/`);
    for (let i = 0; i < 50 && refused.length === 0; i++) await page.waitForTimeout(100);
    assert.equal(refused.length, 1);
    assert.equal(await page.locator('[data-hearth-thread] form').count(), 0);
    const answer = await page.evaluate(
      (url) =>
        fetch(url).then(
          (r) => `read ${r.status}`,
          () => 'refused',
        ),
      `${hearth.base}/embed/thread?url=${encodeURIComponent(pageUrl)}`,
    );
    assert.equal(answer, 'refused');
    await context.close();
  });
});
