// Form bodies read over a real socket (@hono/node-server, as `hearth serve` runs): the fields are
// those hono's parseBody gives, the body limit answers as before with or without a Content-Length,
// and a comment posted through the whole app arrives, form-encoded or multipart. And no route reads
// a body any other way, so none misses what this file does to hostile input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { hiddenFields, reader } from '../../test/kits/comments.js';
import { MAX_BODY_BYTES } from '../app.js';
import type { PostRow } from '../db/tables.js';
import { requestHandler } from '../main.js';
import { bodySizeLimit, readForm } from './request-body.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a new connection; a body given as chunks is sent chunked, without a length. */
function send(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string | string[] }) {
  return new Promise<Answer>((resolve, reject) => {
    const headers = { ...init.headers };
    if (typeof init.body === 'string') headers['content-length'] = String(Buffer.byteLength(init.body));
    const req = http.request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    for (const chunk of Array.isArray(init.body) ? init.body : init.body ? [init.body] : []) req.write(chunk);
    req.end();
  });
}

async function listen(listener: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('a form body read from the socket', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    const app = new Hono();
    const limit = bodySizeLimit({
      maxSize: 64,
      onError: () => {
        throw new Error('too large');
      },
    });
    app.onError((err, c) => c.text(err.message, 413));
    app.post('/read', limit, async (c) => c.json(await readForm(c)));
    app.post('/parse', limit, async (c) => c.json(await c.req.parseBody()));
    server = await listen(getRequestListener(app.fetch));
  });
  after(() => server.close());

  it('gives the fields parseBody gives: the last of a repeated name, every value of a name ending in []', async () => {
    const bodies = ['a=1&b=two+words&a=3', 'tag[]=x&tag[]=y&tag[]=x&one=%C3%A9t%C3%A9', 'empty=&=nameless&bare&amp%26=%26&plus=%2B+', ''];
    for (const body of bodies) {
      const read = await send(server.port, '/read', { method: 'POST', headers: FORM, body });
      const parsed = await send(server.port, '/parse', { method: 'POST', headers: FORM, body });
      assert.equal(read.status, 200, body);
      assert.deepEqual(JSON.parse(read.body), JSON.parse(parsed.body), body);
    }
    const sent = await send(server.port, '/read', { method: 'POST', headers: FORM, body: ['a=1&', 'b=2'] });
    assert.deepEqual(JSON.parse(sent.body), { a: '1', b: '2' }, 'a chunked body is read whole');
  });

  it('refuses a body over the limit, declared or sent in chunks', async () => {
    const big = `a=${'x'.repeat(100)}`;
    const declared = await send(server.port, '/read', { method: 'POST', headers: FORM, body: big });
    assert.deepEqual([declared.status, declared.body], [413, 'too large']);
    const chunked = await send(server.port, '/read', { method: 'POST', headers: FORM, body: [big.slice(0, 50), big.slice(50)] });
    assert.deepEqual([chunked.status, chunked.body], [413, 'too large']);
    const small = await send(server.port, '/read', { method: 'POST', headers: FORM, body: 'a=1' });
    assert.equal(small.status, 200);
  });
});

describe('a comment posted to `hearth serve`', () => {
  let t: TestApp;
  let post: PostRow;
  let server: Awaited<ReturnType<typeof listen>>;
  before(async () => {
    t = await testApp();
    post = await makePost(t, await makeStaff(t));
    server = await listen(requestHandler({ app: t.app, pageCache: undefined, changes: t.changes }));
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  async function formFields(extra: Record<string, string>) {
    const page = await send(server.port, `/${post.slug}/`, {});
    t.clock.advance(3000);
    return { ...hiddenFields(page.body), ...extra };
  }

  it('arrives form-encoded, and sends the writer to it', async () => {
    const fields = await formFields({ ...reader('Socket Reader'), body: 'Words over a socket, with é and + and &.' });
    const res = await send(server.port, `/${post.slug}/comments`, {
      method: 'POST',
      headers: { ...FORM, origin: TEST_BASE_URL },
      body: new URLSearchParams(fields).toString(),
    });
    assert.equal(res.status, 303);
    const id = /#comment-([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1] ?? '';
    const row = await t.conn.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.markdown, 'Words over a socket, with é and + and &.');
    assert.equal(row.author_name, 'Socket Reader');
  });

  it('arrives as multipart form data too', async () => {
    const fields = await formFields({ ...reader('Multipart Reader'), body: 'Sent as multipart.' });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const request = new Request('http://x/', { method: 'POST', body: form });
    const res = await send(server.port, `/${post.slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': request.headers.get('content-type') ?? '', origin: TEST_BASE_URL },
      body: await request.text(),
    });
    assert.equal(res.status, 303);
    const row = await t.conn.db.selectFrom('comments').selectAll().where('author_name', '=', 'Multipart Reader').executeTakeFirstOrThrow();
    assert.equal(row.markdown, 'Sent as multipart.');
  });

  it('answers a body over the limit with 413, declared or sent in chunks', async () => {
    const fields = await formFields({ ...reader('Long Reader'), body: 'x'.repeat(MAX_BODY_BYTES) });
    const body = new URLSearchParams(fields).toString();
    const headers = { ...FORM, origin: TEST_BASE_URL };
    const declared = await send(server.port, `/${post.slug}/comments`, { method: 'POST', headers, body });
    const chunked = await send(server.port, `/${post.slug}/comments`, {
      method: 'POST',
      headers,
      body: [body.slice(0, 1000), body.slice(1000)],
    });
    for (const res of [declared, chunked]) {
      assert.equal(res.status, 413);
      assert.match(res.body, /larger than 256 KB/);
    }
  });

  it('shows the comment form again with the start of her words when the comment is over the body limit', async () => {
    const start = 'Dear author, ça va? ';
    const body = `${start}${'é'.repeat(MAX_BODY_BYTES / 3)} THE END`;
    const fields = await formFields({ ...reader('Wordy Reader'), body });
    const res = await send(server.port, `/${post.slug}/comments`, {
      method: 'POST',
      headers: { ...FORM, origin: TEST_BASE_URL },
      body: new URLSearchParams(fields).toString(),
    });
    assert.equal(res.status, 413);
    assert.match(res.body, /larger than 256 KB/);
    const kept = /<textarea id="too-long-body" name="body"[^>]*>([^<]*)<\/textarea>/.exec(res.body)?.[1] ?? '';
    assert.ok(kept.startsWith('Dear author, ça va? éé'), 'the start of her words is in the form');
    assert.ok(kept.length > 1000 && !kept.includes('THE END') && !kept.includes('\uFFFD'), 'as much as fits, with no broken character');
    assert.match(res.body, /name="name" value="Wordy Reader"/, 'her name, sent before her words, is kept');
    const rows = await t.conn.db.selectFrom('comments').select('id').where('author_name', '=', 'Wordy Reader').execute();
    assert.deepEqual(rows, [], 'nothing was posted');
  });

  it('keeps her words on the page when the comment is over the length limit', async () => {
    const long = `${'a'.repeat(10_001)} THE END`;
    const fields = await formFields({ ...reader('Verbose Reader'), body: long });
    const res = await send(server.port, `/${post.slug}/comments`, {
      method: 'POST',
      headers: { ...FORM, origin: TEST_BASE_URL },
      body: new URLSearchParams(fields).toString(),
    });
    assert.equal(res.status, 413);
    assert.ok(res.body.includes(long), 'every word is kept');
  });
});

describe('the routes’ bodies', () => {
  it('are all read here, so each drops control characters and answers a broken multipart body with 400', () => {
    const src = new URL('../', import.meta.url);
    const readers = /\.req\.(parseBody|json|text|formData|arrayBuffer|blob)\(/;
    const strays = fs
      .readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('request-body.ts'))
      .filter((f) => readers.test(fs.readFileSync(new URL(f, src), 'utf8')));
    assert.deepEqual(strays, [], 'these read a request body without readForm, readJson or readText');
  });
});
