// The two media stores: a site moved with export json / import json keeps its images (from SQLite
// to the run's database), and migrateMedia copies files between the folder and the database, all
// or nothing, again and again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp, testConnection, testTarget } from '../../test/harness.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { InvalidError } from '../errors.js';
import { mediaStores } from '../main.js';
import { migrateMedia } from './media-migrate.js';
import type { MediaJson } from './media-present.js';
import type { MediaStorage, StoredMedia } from './media-storage.js';

async function uploadImage(t: TestApp, background: string, width = 1100): Promise<MediaJson> {
  const staff = await makeStaff(t, 'owner');
  const { token } = await t.services.accounts.createToken(staff.email);
  const bytes = await sharp({ create: { width, height: 500, channels: 3, background } })
    .png()
    .toBuffer();
  const body = new FormData();
  body.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'picture.png');
  const res = await t.request('/api/v1/admin/media', { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as MediaJson;
}

async function listed(storage: MediaStorage): Promise<StoredMedia[]> {
  const files: StoredMedia[] = [];
  for await (const file of storage.list()) files.push(file);
  return files;
}

async function exportText(t: TestApp): Promise<string> {
  let out = '';
  await t.services.imports.exportJson(async (chunk) => {
    out += chunk;
  });
  return out;
}

async function* chunksOf(text: string): AsyncIterable<string> {
  yield text;
}
const importText = (t: TestApp, text: string) => t.services.imports.importStream('json', chunksOf(text));

describe('a site moved from SQLite with export json and import json', () => {
  let from: TestApp;
  let to: TestApp;
  let image: MediaJson;
  let backup: string;
  before(async () => {
    // The old site is always on SQLite; the new one on the run's database.
    const sqlite = await connect({ kind: 'sqlite', file: ':memory:' });
    await migrate(sqlite.db);
    from = await testApp({ conn: sqlite });
    to = await testApp();
    image = await uploadImage(from, '#b5562e');
    const author = await makeStaff(from, 'author');
    await from.services.posts.create({
      title: 'Harbour at dusk',
      markdown: `The boats came in.\n\n![The harbour](${image.url})\n`,
      status: 'published',
      authorId: author.id,
    });
    backup = await exportText(from);
  });
  after(async () => {
    await from?.close();
    await to?.close();
  });

  it('carries every stored file of an upload in the backup, after the rows', () => {
    const files = backup
      .split('\n')
      .filter((l) => l.startsWith('{"media":'))
      .map((l) => (JSON.parse(l) as { media: StoredMedia }).media.path);
    assert.deepEqual(files.sort(), [image.url, ...image.variants.map((v) => v.url)].map((u) => u.replace('/media/', '')).sort());
    assert.ok(backup.indexOf('{"media":') > backup.lastIndexOf('{"table":'), 'files come after every row');
  });

  it('keeps its images: the same bytes at the same addresses, and the post still offers srcset', async () => {
    const summary = await importText(to, backup);
    assert.equal(summary.tables?.['media files'], 1 + image.variants.length);
    assert.equal(summary.tables?.media, 1);
    for (const url of [image.url, ...image.variants.map((v) => v.url)]) {
      const [a, b] = await Promise.all([from.request(url), to.request(url)]);
      assert.equal(b.status, 200, url);
      assert.ok(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer())), url);
      assert.equal(b.headers.get('etag'), a.headers.get('etag'));
    }
    assert.equal((await listed(to.services.mediaStorage)).length, 1 + image.variants.length);
    assert.equal(to.services.mediaStorage.kind, testTarget === 'postgres' ? 'database' : 'folder');
    const post = await to.conn.db.selectFrom('posts').select('slug').where('title', '=', 'Harbour at dusk').executeTakeFirstOrThrow();
    const page = await (await to.request(`/${post.slug}/`)).text();
    assert.ok(page.includes(`srcset="${image.srcset}"`), 'the restored upload row sizes the image');
  });

  it('restores nothing twice', async () => {
    const again = await importText(to, backup);
    assert.equal(again.tables?.media ?? 0, 0);
    assert.equal((await listed(to.services.mediaStorage)).length, 1 + image.variants.length);
  });

  it('refuses a backup whose image was damaged, or named outside the media folder, and restores nothing of it', async () => {
    const fresh = await testApp();
    try {
      const lines = backup.split('\n');
      const at = lines.findIndex((l) => l.startsWith('{"data":'));
      const data = (JSON.parse(lines[at] as string) as { data: string }).data;
      const flipped = Buffer.from(data, 'base64');
      flipped[10] = (flipped[10] ?? 0) ^ 0xff;
      const damaged = [...lines.slice(0, at), JSON.stringify({ data: flipped.toString('base64') }), ...lines.slice(at + 1)].join('\n');
      await assert.rejects(importText(fresh, damaged), (err: Error) => err instanceof InvalidError && /SHA-256/.test(err.message));
      const escaping = backup.replace(/"path":"\d{4}\/\d{2}\/[0-9a-f-]{36}\/original\.png"/, '"path":"../../hearth.db"');
      assert.notEqual(escaping, backup);
      await assert.rejects(importText(fresh, escaping), /not the path of an uploaded image/);
      const cut = lines.slice(0, at).join('\n');
      await assert.rejects(importText(fresh, cut), /ends before its/);
      assert.equal((await listed(fresh.services.mediaStorage)).length, 0, 'no file stays behind');
      assert.equal((await fresh.conn.db.selectFrom('posts').select('id').execute()).length, 0, 'no row stays behind');
      assert.deepEqual(filesUnder(fresh.dataDir), [], 'no file in the data folder');
    } finally {
      await fresh.close();
    }
  });
});

describe('migrateMedia between the folder and the database', () => {
  let t: TestApp;
  let image: MediaJson;
  let elsewhere: string;
  before(async () => {
    t = await testApp();
    image = await uploadImage(t, '#2e8b57', 1000);
    elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-media-'));
  });
  after(async () => {
    await t?.close();
    fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  it('copies every file from the site’s store to the other and back, then finds nothing left to copy', async () => {
    const source = t.services.mediaStorage;
    const here = listed(source);
    const total = (await here).length;
    assert.equal(total, 1 + image.variants.length);
    // The other store of this site: the database when the site keeps the folder, and the reverse,
    // with a data folder of its own so the two never share files.
    const stores = mediaStores(t.conn, elsewhere, t.clock);
    const other = source.kind === 'folder' ? stores.database : stores.folder;
    const seen: number[] = [];
    const first = await migrateMedia(t.conn.db, source, other, (p) => seen.push(p.done));
    assert.deepEqual([first.copied, first.present, first.total], [total, 0, total]);
    assert.deepEqual(
      seen,
      Array.from({ length: total + 1 }, (_, i) => i),
      'progress after every file',
    );
    assert.deepEqual(await listed(other), await here);
    const again = await migrateMedia(t.conn.db, source, other);
    assert.deepEqual([again.copied, again.present], [0, total]);
    const back = await migrateMedia(t.conn.db, other, source);
    assert.deepEqual([back.copied, back.present], [0, total]);
  });

  it('changes nothing when a file cannot be copied whole, into the database or into a folder', async () => {
    // A folder holding the upload (the site's own on SQLite, the copy made above on PostgreSQL),
    // copied into a fresh database and a fresh folder.
    const [source, dir] =
      t.services.mediaStorage.kind === 'folder' ? [t.services.mediaStorage, t.dataDir] : [mediaStores(t.conn, elsewhere).folder, elsewhere];
    const conn = await testConnection();
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-media-'));
    const into = mediaStores(conn, target, t.clock);
    const victim = (await listed(source))[2] as StoredMedia;
    const victimFile = path.join(dir, 'media', ...victim.path.split('/'));
    const original = fs.readFileSync(victimFile);
    try {
      for (const to of [into.database, into.folder]) {
        // The third file changes under the copy, after the list was taken: its bytes no longer match.
        const run = migrateMedia(conn.db, source, to, (p) => {
          if (p.done === 1) fs.writeFileSync(victimFile, Buffer.from('other bytes'));
        });
        await assert.rejects(run, /do not match their size and SHA-256/);
        fs.writeFileSync(victimFile, original);
        assert.equal((await listed(to)).length, 0, `nothing copied into the ${to.kind}`);
      }
      assert.equal((await conn.db.selectFrom('media_blob_chunks').select('seq').execute()).length, 0);
      assert.deepEqual(filesUnder(target), [], 'no file written');
      const whole = await migrateMedia(conn.db, source, into.database);
      assert.equal(whole.copied, 1 + image.variants.length, 'the same copy completes once the file is whole again');
    } finally {
      await conn.close();
      fs.rmSync(target, { recursive: true, force: true });
    }
  });
});

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}
