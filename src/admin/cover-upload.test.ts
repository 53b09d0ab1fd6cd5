import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';
import { pngDeclaring, pngJustPastLimit } from '../media/test-images.js';

/** Sends a file from the editor's upload form, as a browser would (multipart, the page's token). */
function upload(browser: Browser, path: string, file: Blob, name: string): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', browser.csrf);
  form.set('file', file, name);
  return browser.request(path, { method: 'POST', body: form, headers: { origin: TEST_BASE_URL } });
}

describe('uploading a cover image in the editor', () => {
  let t: TestApp;
  let ada: Staff;
  let asAda: Browser;
  let post: PostRow;
  let photo: Blob;
  before(async () => {
    t = await testApp();
    ada = await makeStaff(t, 'author', 'Ada Author');
    asAda = new Browser(t);
    await asAda.signIn(ada.email);
    post = await makePost(t, ada, { title: 'With a cover', slug: 'with-a-cover' });
    const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c2410c' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Someone', Copyright: 'Secret place' } })
      .toBuffer();
    photo = new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' });
  });
  after(() => t.close());

  it('offers the upload on an existing post, stores the image without its metadata, and sets it as the cover', async () => {
    const editor = await (await asAda.get(`/admin/posts/${post.id}`)).text();
    assert.match(editor, /enctype="multipart\/form-data"/);
    const res = await upload(asAda, `/admin/posts/${post.id}/cover`, photo, 'beach.jpg');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/admin/posts/${post.id}?done=cover`);
    const updated = await t.services.posts.get(post.id, ada);
    assert.match(updated.cover_image ?? '', /^\/media\/\d{4}\/\d{2}\/[0-9a-f-]{36}\/original\.jpg$/);
    const image = await t.request(updated.cover_image ?? '');
    assert.equal(image.status, 200);
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    assert.equal(meta.exif, undefined, 'no EXIF left');
    assert.match(await (await t.request('/with-a-cover/')).text(), new RegExp(`<img class="cover" src="${updated.cover_image}"`));
  });

  it('refuses a file that is not an image, and keeps the post as it was', async () => {
    const before = (await t.services.posts.get(post.id, ada)).cover_image;
    const res = await upload(asAda, `/admin/posts/${post.id}/cover`, new Blob(['not an image'], { type: 'image/jpeg' }), 'fake.jpg');
    assert.equal(res.status, 422);
    assert.equal((await t.services.posts.get(post.id, ada)).cover_image, before);
  });

  it('refuses a cover of more than 40 megapixels with 422 and a page naming the limit, and keeps the post as it was', async () => {
    const before = (await t.services.posts.get(post.id, ada)).cover_image;
    const huge = new Blob([new Uint8Array(await pngJustPastLimit())], { type: 'image/png' });
    const res = await upload(asAda, `/admin/posts/${post.id}/cover`, huge, 'panorama.png');
    assert.equal(res.status, 422);
    assert.match(
      await res.text(),
      /8,000 × 5,001 pixels \(40 megapixels\), and the limit is 40 megapixels\. Make it smaller and upload it again\./,
    );
    const bomb = new Blob([new Uint8Array(await pngDeclaring(100_000, 100_000))], { type: 'image/png' });
    const refused = await upload(asAda, `/admin/posts/${post.id}/cover`, bomb, 'bomb.png');
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /the limit is 40 megapixels/);
    assert.equal((await t.services.posts.get(post.id, ada)).cover_image, before);
  });

  it('lets nobody upload for a post she may not change, nor without the form’s token', async () => {
    const bea = await makeStaff(t, 'author', 'Bea Author');
    const asBea = new Browser(t);
    await asBea.signIn(bea.email);
    assert.equal((await upload(asBea, `/admin/posts/${post.id}/cover`, photo, 'x.jpg')).status, 403);
    asAda.csrf = 'forged';
    assert.equal((await upload(asAda, `/admin/posts/${post.id}/cover`, photo, 'x.jpg')).status, 403);
  });
});
