// `hearth media migrate` as an operator runs it: on PostgreSQL it copies a site's uploads out of
// the database into a data folder and from a folder into another site's database, again and again,
// and that site's process then serves them; on SQLite it says the folder is where they stay.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { testTarget } from './harness.js';
import { type FreshDatabase, freshDatabase, hearth, type ServeProcess, startServe } from './processes.js';

describe('hearth media migrate', () => {
  let site: FreshDatabase;
  const folders: string[] = [];
  const folder = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-media-cli-'));
    folders.push(dir);
    return dir;
  };
  before(async () => {
    site = await freshDatabase();
  });
  after(async () => {
    await site?.drop();
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on SQLite, says the uploads stay in the data folder and changes nothing', { skip: testTarget !== 'sqlite' }, async () => {
    const res = await hearth(['media', 'migrate', '--to', 'database'], site.env);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /^hearth: on SQLite uploads stay in the data folder .*DATABASE_URL/m);
    const wrong = await hearth(['media', 'migrate', '--to', 'cloud'], site.env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /database, folder/);
  });

  it('on PostgreSQL, copies uploads out to a folder and into another database, whose process serves them', {
    skip: testTarget !== 'postgres',
  }, async () => {
    // An upload through a running site: it lives in the database.
    let serve: ServeProcess | undefined = await startServe(site.env);
    let url: string;
    let files: number;
    let original: Buffer;
    try {
      assert.equal(
        (await hearth(['user', 'add', '--email', 'o@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'], site.env)).code,
        0,
      );
      const token = (await hearth(['token', 'create', '--email', 'o@example.com'], site.env)).stdout.trim();
      const png = await sharp({ create: { width: 700, height: 300, channels: 3, background: '#6a4c93' } })
        .png()
        .toBuffer();
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'plum.png');
      const res = await fetch(`${serve.base}/api/v1/admin/media`, { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 201);
      const uploaded = (await res.json()) as { url: string; variants: unknown[] };
      url = uploaded.url;
      files = 1 + uploaded.variants.length;
      original = Buffer.from(await (await fetch(`${serve.base}${url}`)).arrayBuffer());
    } finally {
      assert.equal(await serve.stop(), 0);
    }

    const out = folder();
    const copied = await hearth(['media', 'migrate', '--to', 'folder'], { ...site.env, HEARTH_DATA: out });
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(
      copied.stderr,
      new RegExp(`hearth: media copied into the data folder: ${files} files \\(.* MB\\), 0 already there, ${files} in all`),
    );
    assert.ok(fs.readFileSync(path.join(out, 'media', url.replace('/media/', ''))).equals(original), 'the same bytes in the folder');
    const twice = await hearth(['media', 'migrate', '--to', 'folder'], { ...site.env, HEARTH_DATA: out });
    assert.match(twice.stderr, new RegExp(`: 0 files \\(0 MB\\), ${files} already there`));

    // Another site's database takes the folder's files; its process, on a disk of its own, serves them.
    const other = await freshDatabase();
    try {
      const into = { ...other.env, HEARTH_DATA: out };
      const moved = await hearth(['media', 'migrate', '--to', 'database'], into);
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stderr, new RegExp(`hearth: media copied into the database: ${files} files .*, 0 already there`));
      const again = await hearth(['media', 'migrate', '--to', 'database'], into);
      assert.match(again.stderr, new RegExp(`: 0 files \\(0 MB\\), ${files} already there`));
      serve = await startServe({ ...other.env, HEARTH_DATA: folder() });
      try {
        const served = await fetch(`${serve.base}${url}`);
        assert.equal(served.status, 200);
        assert.ok(Buffer.from(await served.arrayBuffer()).equals(original));
      } finally {
        assert.equal(await serve.stop(), 0);
      }
    } finally {
      await other.drop();
    }
  });
});
