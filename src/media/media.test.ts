import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp, testTarget } from '../../test/harness.js';
import { MAX_BODY_BYTES } from '../app.js';
import type { MediaJson } from './media-present.js';
import { MAX_UPLOAD_BYTES } from './media-routes.js';
import { responsiveImages } from './responsive-images.js';
import { pngDeclaring, pngJustPastLimit } from './test-images.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A 2000x1200 photo of noise (large, like a real photo) carrying EXIF with a camera and GPS position. */
function photoWithExif(): Promise<Buffer> {
  return sharp(randomBytes(2000 * 1200 * 3), { raw: { width: 2000, height: 1200, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'PhoneCo', Copyright: 'Rosa Vale' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .toBuffer();
}

function form(bytes: Uint8Array, name: string, type: string): FormData {
  const body = new FormData();
  // A copy backed by a plain ArrayBuffer, which is what Blob takes.
  body.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return body;
}

describe('image uploads', () => {
  let t: TestApp;
  let token: string;
  let photo: Buffer;
  let uploaded: MediaJson;
  before(async () => {
    t = await testApp();
    const staff = await makeStaff(t, 'moderator');
    token = (await t.services.accounts.createToken(staff.email)).token;
    photo = await photoWithExif();
  });
  after(() => t.close());

  const upload = (body: FormData | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    t.request('/api/v1/admin/media', { method: 'POST', body, headers: { authorization: `Bearer ${token}`, ...headers } });

  it('stores a JPEG larger than the usual body limit and answers 201 with its sizes and srcsets', async () => {
    assert.ok(photo.length > MAX_BODY_BYTES, 'the photo is bigger than a comment may be');
    assert.ok((await sharp(photo).metadata()).exif?.includes('PhoneCo'), 'the test photo carries EXIF');
    const res = await upload(form(photo, 'holiday.jpg', 'image/jpeg'));
    assert.equal(res.status, 201, await res.clone().text());
    uploaded = (await res.json()) as MediaJson;
    assert.match(uploaded.id, /^[0-9a-f-]{36}$/);
    assert.equal(uploaded.url, `/media/2026/03/${uploaded.id}/original.jpg`);
    // In the data folder on SQLite, in the database on PostgreSQL: the original and its variants.
    const stored = [];
    for await (const file of t.services.mediaStorage.list()) if (file.path.startsWith(`2026/03/${uploaded.id}/`)) stored.push(file.path);
    assert.equal(stored.length, 1 + uploaded.variants.length, 'the original and its variants are stored');
    const folder = path.join(t.dataDir, 'media', '2026', '03', uploaded.id);
    assert.equal(fs.existsSync(folder), testTarget === 'sqlite', 'PostgreSQL keeps uploads in the database, the disk only caches');
    assert.equal(uploaded.width, 2000);
    assert.equal(uploaded.height, 1200);
    assert.equal(uploaded.type, 'image/jpeg');
    const variants = uploaded.variants.map((v) => `${v.type} ${v.width}`).sort();
    assert.deepEqual(variants, [
      'image/jpeg 1600',
      'image/jpeg 480',
      'image/jpeg 960',
      'image/webp 1600',
      'image/webp 2000',
      'image/webp 480',
      'image/webp 960',
    ]);
    assert.deepEqual(
      uploaded.srcset.split(', ').map((c) => c.split(' ')[1]),
      ['480w', '960w', '1600w', '2000w'],
    );
    assert.ok(uploaded.srcset.includes(`${uploaded.url} 2000w`));
    assert.deepEqual(
      uploaded.webpSrcset.split(', ').map((c) => c.split(' ')[0]?.split('.').at(-1)),
      ['webp', 'webp', 'webp', 'webp'],
    );
  });

  it('serves the original and every variant with its real type, size and a year-long immutable cache', async () => {
    for (const file of [{ url: uploaded.url, width: 2000, type: 'image/jpeg' }, ...uploaded.variants]) {
      const res = await t.request(file.url);
      assert.equal(res.status, 200, file.url);
      assert.equal(res.headers.get('content-type'), file.type, file.url);
      assert.equal(res.headers.get('cache-control'), IMMUTABLE, file.url);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(Number(res.headers.get('content-length')), bytes.length);
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.format, file.type === 'image/webp' ? 'webp' : 'jpeg', file.url);
      assert.equal(meta.width, file.width, file.url);
      assert.equal(meta.height, Math.round((file.width * 1200) / 2000), `${file.url} keeps the aspect ratio`);
    }
  });

  it('answers a revalidation with 304 and byte ranges with 206, whichever store holds the file', async () => {
    const full = await t.request(uploaded.url);
    const bytes = Buffer.from(await full.arrayBuffer());
    const etag = full.headers.get('etag') ?? '';
    assert.match(etag, /^"[0-9a-f-]{36}\/original\.jpg"$/);
    assert.equal(full.headers.get('accept-ranges'), 'bytes');
    const same = await t.request(uploaded.url, { headers: { 'if-none-match': `"other", ${etag}` } });
    assert.equal(same.status, 304);
    assert.equal(same.headers.get('etag'), etag);
    assert.equal(same.headers.get('cache-control'), IMMUTABLE);
    assert.equal((await t.request(uploaded.url, { headers: { 'if-none-match': '"other"' } })).status, 200);
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-', 1000, bytes.length - 1],
      ['bytes=-500', bytes.length - 500, bytes.length - 1],
      [`bytes=10-${bytes.length + 50}`, 10, bytes.length - 1],
    ];
    for (const [range, first, last] of cases) {
      const res = await t.request(uploaded.url, { headers: { range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get('content-range'), `bytes ${first}-${last}/${bytes.length}`, range);
      assert.equal(Number(res.headers.get('content-length')), last - first + 1, range);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(first, last + 1)), range);
    }
    const past = await t.request(uploaded.url, { headers: { range: `bytes=${bytes.length}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), `bytes */${bytes.length}`);
    // Several ranges, or an If-Range naming another version: the whole file.
    assert.equal((await t.request(uploaded.url, { headers: { range: 'bytes=0-1,5-9' } })).status, 200);
    assert.equal((await t.request(uploaded.url, { headers: { range: 'bytes=0-9', 'if-range': '"older"' } })).status, 200);
    assert.equal((await t.request(uploaded.url, { headers: { range: 'bytes=0-9', 'if-range': etag } })).status, 206);
  });

  it('strips EXIF, GPS and every other metadata from what it stores', async () => {
    for (const url of [uploaded.url, ...uploaded.variants.map((v) => v.url)]) {
      const meta = await sharp(Buffer.from(await (await t.request(url)).arrayBuffer())).metadata();
      assert.equal(meta.exif, undefined, `${url} has no EXIF`);
      assert.equal(meta.xmp, undefined, `${url} has no XMP`);
      assert.equal(meta.iptc, undefined, `${url} has no IPTC`);
    }
  });

  it('turns the uploaded image in a post into a responsive <picture>', async () => {
    const html = `<p><img src="${uploaded.url}" alt="The sea" /></p>`;
    const out = responsiveImages(html, await t.services.media.lookupFor(html));
    assert.equal(
      out,
      `<p><picture><source type="image/webp" srcset="${uploaded.webpSrcset}" sizes="(min-width: 40rem) 38rem, 100vw" />` +
        `<img src="${uploaded.url}" alt="The sea" srcset="${uploaded.srcset}" sizes="(min-width: 40rem) 38rem, 100vw" width="2000" height="1200" /></picture></p>`,
    );
  });

  it('keeps a small PNG at its own width: no variant is ever larger than the original', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const res = await upload(form(png, 'badge.png', 'image/png'));
    assert.equal(res.status, 201);
    const body = (await res.json()) as MediaJson;
    assert.equal(body.type, 'image/png');
    assert.match(body.url, /\/original\.png$/);
    assert.deepEqual(
      body.variants.map((v) => [v.type, v.width]),
      [['image/webp', 300]],
    );
    const served = await t.request(body.url);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).hasAlpha, true);
  });

  it('turns a photo the way its camera meant before dropping the orientation tag', async () => {
    const sideways = await sharp({ create: { width: 400, height: 200, channels: 3, background: 'teal' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const res = await upload(form(sideways, 'portrait.jpg', 'image/jpeg'));
    assert.equal(res.status, 201);
    const body = (await res.json()) as MediaJson;
    assert.deepEqual([body.width, body.height], [200, 400]);
    const meta = await sharp(Buffer.from(await (await t.request(body.url)).arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation], [200, 400, undefined]);
  });

  it('accepts WebP, GIF and AVIF, each judged by its content', async () => {
    const base = () => sharp({ create: { width: 64, height: 48, channels: 3, background: 'orange' } });
    const cases = [
      { bytes: await base().webp().toBuffer(), type: 'image/webp', ext: 'webp' },
      { bytes: await base().gif().toBuffer(), type: 'image/gif', ext: 'gif' },
      { bytes: await base().avif().toBuffer(), type: 'image/avif', ext: 'avif' },
    ];
    for (const c of cases) {
      // The name lies on purpose: the content decides.
      const res = await upload(form(c.bytes, 'picture.jpg', 'image/jpeg'));
      assert.equal(res.status, 201, c.type);
      const body = (await res.json()) as MediaJson;
      assert.equal(body.type, c.type);
      assert.match(body.url, new RegExp(`/original\\.${c.ext}$`));
      assert.equal((await t.request(body.url)).headers.get('content-type'), c.type);
    }
  });

  it('keeps an animated GIF animated, frame size intact, in every variant', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 1000, height: 600, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('red'), await frame('blue')], { join: { animated: true } })
      .gif({ delay: [100, 100] })
      .toBuffer();
    const res = await upload(form(gif, 'blink.gif', 'image/gif'));
    assert.equal(res.status, 201);
    const body = (await res.json()) as MediaJson;
    assert.deepEqual([body.type, body.width, body.height], ['image/gif', 1000, 600]);
    for (const v of body.variants) {
      const meta = await sharp(Buffer.from(await (await t.request(v.url)).arrayBuffer()), { animated: true }).metadata();
      assert.equal(meta.pages, 2, v.url);
      assert.equal(meta.pageHeight, Math.round((v.width * 600) / 1000), v.url);
    }
  });

  it('refuses an image of more than 40 megapixels with 422 naming the limit, and stores nothing', async () => {
    const stored = async () =>
      Number(
        (
          await t.conn.db
            .selectFrom('media')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await stored();
    const res = await upload(form(await pngJustPastLimit(), 'panorama.png', 'image/png'));
    assert.equal(res.status, 422);
    const body = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    assert.equal(body.error.code, 'invalid');
    assert.match(body.error.message, /8,000 × 5,001 pixels \(40 megapixels\), and the limit is 40 megapixels/);
    assert.equal(body.error.fields.file, 'at most 40 megapixels');
    assert.equal(await stored(), before);
  });

  it('refuses a tiny file whose header claims billions of pixels from the header alone, before decoding it', async () => {
    const bomb = await pngDeclaring(60_000, 60_000);
    assert.ok(bomb.length < 200, 'a file of a few bytes');
    const res = await upload(form(bomb, 'bomb.png', 'image/png'));
    assert.equal(res.status, 422);
    const { error } = (await res.json()) as { error: { message: string } };
    // Decoding it would fail as damaged; the header's size is refused first.
    assert.match(error.message, /60,000 × 60,000 pixels \(3,600 megapixels\), and the limit is 40 megapixels/);
  });

  it('stores three images sent at once, decoding one at a time', async () => {
    const smallPhoto = await sharp(randomBytes(1000 * 600 * 3), { raw: { width: 1000, height: 600, channels: 3 } })
      .jpeg()
      .toBuffer();
    // sharp counts the images it is working on; sampled often, it never works on two.
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, sharp.counters().process);
    }, 1);
    let results: Response[];
    try {
      results = await Promise.all(['one.jpg', 'two.jpg', 'three.jpg'].map((name) => upload(form(smallPhoto, name, 'image/jpeg'))));
    } finally {
      clearInterval(sampler);
    }
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 201, 201],
    );
    const bodies = (await Promise.all(results.map((r) => r.json()))) as MediaJson[];
    assert.equal(new Set(bodies.map((b) => b.id)).size, 3);
    for (const b of bodies) assert.equal((await t.request(b.url)).status, 200);
    assert.ok(most <= 1, `sharp worked on ${most} images at once`);
  });

  it('refuses a text file dressed up as a .jpg with 422 and a clear message', async () => {
    const res = await upload(form(Buffer.from('this is not a picture, just words\n'.repeat(50)), 'photo.jpg', 'image/jpeg'));
    assert.equal(res.status, 422);
    const body = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    assert.equal(body.error.code, 'invalid');
    assert.match(body.error.message, /not an image.*JPEG, PNG, WebP, GIF or AVIF/);
    assert.ok(body.error.fields.file);
  });

  it('refuses an SVG, which could carry scripts, with 422', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    const res = await upload(form(svg, 'logo.svg', 'image/svg+xml'));
    assert.equal(res.status, 422);
  });

  it('asks for the file field when a request has none', async () => {
    const body = new FormData();
    body.append('image', 'nothing');
    const res = await upload(body);
    assert.equal(res.status, 422);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /field named "file"/);
  });

  it('refuses a body over 10 MB with 413, with or without a Content-Length', async () => {
    const big = randomBytes(MAX_UPLOAD_BYTES + 1024);
    const streamed = await upload(form(big, 'huge.jpg', 'image/jpeg'));
    assert.equal(streamed.status, 413);
    assert.equal(((await streamed.json()) as { error: { code: string } }).error.code, 'too_large');
    const declared = await upload(new Uint8Array(big), {
      'content-type': 'multipart/form-data; boundary=x',
      'content-length': String(big.length),
    });
    assert.equal(declared.status, 413);
  });

  it('refuses an upload without a valid token with 401', async () => {
    const noToken = await t.request('/api/v1/admin/media', { method: 'POST', body: form(photo, 'a.jpg', 'image/jpeg') });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.headers.get('www-authenticate'), 'Bearer');
    const badToken = await upload(form(photo, 'a.jpg', 'image/jpeg'), { authorization: 'Bearer hth_not-a-real-token' });
    assert.equal(badToken.status, 401);
  });

  it('serves nothing outside the media folder, however the path is spelled', async () => {
    const id = uploaded.id;
    for (const url of [
      '/media/../../etc/passwd',
      '/media/%2e%2e/%2e%2e/etc/passwd',
      `/media/2026/03/${id}/..%2F..%2F..%2Fhearth.db`,
      `/media/2026/03/${id}/original.txt`,
      `/media/2026/03/${id}/w99.jpg`,
      '/media/2026/03/00000000-0000-7000-8000-000000000000/original.jpg',
    ]) {
      const res = await t.request(url);
      assert.equal(res.status, 404, url);
    }
  });
});
