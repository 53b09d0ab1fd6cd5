// An independent Webmention sender (@remy/webmention's command line tool, run as its own process)
// discovers Hearth's endpoint on a real HTTP server and sends a reply; Hearth verifies it and, once
// approved, shows it in the thread "from" the site it came from.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import pino from 'pino';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { createWebmentionWorker } from './webmention-worker.js';

const run = promisify(execFile);

describe('webmention: an independent sender', () => {
  let t: TestApp;
  const hearth = http.createServer();
  const blog = http.createServer();
  let blogPage = '';
  before(async () => {
    await new Promise<void>((resolve) => hearth.listen(0, '127.0.0.1', resolve));
    // The tool skips links to its source's own host name: the blog is "localhost", Hearth 127.0.0.1.
    await new Promise<void>((resolve) => blog.listen(0, 'localhost', resolve));
    t = await testApp({ baseUrl: `http://127.0.0.1:${(hearth.address() as AddressInfo).port}` });
    hearth.on(
      'request',
      getRequestListener((req) => t.app.fetch(req)),
    );
    blog.on('request', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(blogPage);
    });
  });
  after(async () => {
    hearth.close();
    blog.close();
    await t.close();
  });

  it('@remy/webmention sends a reply that Hearth verifies and shows', async () => {
    const owner = await makeStaff(t, 'owner');
    const post = await makePost(t, owner, { title: 'Fire and tea' });
    const target = `http://127.0.0.1:${(hearth.address() as AddressInfo).port}/${post.slug}/`;
    const source = `http://localhost:${(blog.address() as AddressInfo).port}/reply`;
    blogPage = `<!doctype html><html><head><title>My reply</title></head><body><article class="h-entry">
      <a class="u-url" href="${source}">permalink</a>
      <p>In reply to <a class="u-in-reply-to" href="${target}">Fire and tea</a></p>
      <a class="p-author h-card" href="/">Noor from her blog</a>
      <div class="e-content"><p>Tea by the fire is the best answer.</p></div></article></body></html>`;
    const bin = new URL('../../node_modules/@remy/webmention/bin/wm.js', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [bin, source, '--send', '--limit', '1'], { timeout: 30_000 });
    assert.match(stdout, /status\s+= 202/);
    await createWebmentionWorker({
      db: t.conn.db,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      webmentions: t.services.webmentions,
    }).drainUntilIdle();
    const row = await t.conn.db.selectFrom('comments').selectAll().where('post_id', '=', post.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.origin, row.origin_url, row.status], ['web', source, 'pending']);
    await t.services.comments.act(owner, row.id, 'approve');
    const page = await (await t.request(`/${post.slug}/`)).text();
    assert.match(page, /Tea by the fire is the best answer/);
    assert.match(page, new RegExp(`from localhost:${(blog.address() as AddressInfo).port}`));
  });
});
