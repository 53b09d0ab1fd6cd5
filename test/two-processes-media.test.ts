// Two `hearth serve` processes of one site serve every image, whichever received the upload. On
// PostgreSQL each runs with a data folder of its own, as on two machines: the image reaches the
// second through the database and lands in its disk cache. On SQLite both share the one folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { testTarget } from './harness.js';
import { type FreshDatabase, freshDatabase, hearth, type ServeProcess, startServe } from './processes.js';

interface Uploaded {
  id: string;
  url: string;
  variants: { url: string; width: number; type: string }[];
}

describe('an image uploaded through one process', () => {
  let db: FreshDatabase;
  let secondData: string;
  let one: ServeProcess;
  let two: ServeProcess;
  let token: string;
  let uploaded: Uploaded;
  let sent: Buffer;

  before(async () => {
    db = await freshDatabase();
    // A second machine's own disk on PostgreSQL; SQLite's database file is in the shared folder.
    secondData = testTarget === 'postgres' ? fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-second-')) : db.dir;
    one = await startServe(db.env);
    two = await startServe({ ...db.env, HEARTH_DATA: secondData });
    const add = await hearth(
      ['user', 'add', '--email', 'owner@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'],
      db.env,
    );
    assert.equal(add.code, 0, add.stderr);
    token = (await hearth(['token', 'create', '--email', 'owner@example.com'], db.env)).stdout.trim();
  });
  after(async () => {
    assert.equal(await one?.stop(), 0);
    assert.equal(await two?.stop(), 0);
    await db?.drop();
    if (secondData && secondData !== db?.dir) fs.rmSync(secondData, { recursive: true, force: true });
  });

  it('is stored once through the first process', async () => {
    sent = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6ea5' } })
      .jpeg()
      .toBuffer();
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array(sent)], { type: 'image/jpeg' }), 'harbour.jpg');
    const res = await fetch(`${one.base}/api/v1/admin/media`, { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 201, await res.clone().text());
    uploaded = (await res.json()) as Uploaded;
    assert.ok(uploaded.variants.length > 0);
    if (testTarget === 'postgres') {
      const cached = path.join(secondData, 'media', ...uploaded.url.replace('/media/', '').split('/'));
      assert.equal(fs.existsSync(cached), false, 'the second process has no copy on its disk yet');
    }
  });

  it('is served by the other process with the same bytes and caching headers', async () => {
    for (const url of [uploaded.url, ...uploaded.variants.map((v) => v.url)]) {
      const fromTwo = await fetch(`${two.base}${url}`);
      assert.equal(fromTwo.status, 200, url);
      const fromOne = await fetch(`${one.base}${url}`);
      assert.equal(fromOne.status, 200, url);
      const [a, b] = [Buffer.from(await fromOne.arrayBuffer()), Buffer.from(await fromTwo.arrayBuffer())];
      assert.ok(a.equals(b), `${url}: the same bytes from both`);
      for (const header of ['content-type', 'content-length', 'cache-control', 'etag']) {
        assert.equal(fromTwo.headers.get(header), fromOne.headers.get(header), `${url}: ${header}`);
      }
      assert.equal(fromTwo.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.ok(fromTwo.headers.get('etag'));
    }
    const meta = await sharp(Buffer.from(await (await fetch(`${two.base}${uploaded.url}`)).arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1200, 800]);
    if (testTarget === 'postgres') {
      const cached = path.join(secondData, 'media', ...uploaded.url.replace('/media/', '').split('/'));
      assert.ok(fs.existsSync(cached), 'the second process keeps a copy on its own disk');
    }
  });

  it('answers a revalidation with 304 and a byte range with 206 from the other process', async () => {
    const full = await fetch(`${two.base}${uploaded.url}`);
    const etag = full.headers.get('etag') ?? '';
    const bytes = Buffer.from(await full.arrayBuffer());
    const again = await fetch(`${two.base}${uploaded.url}`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const part = await fetch(`${two.base}${uploaded.url}`, { headers: { range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${bytes.length}`);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200)));
  });
});
