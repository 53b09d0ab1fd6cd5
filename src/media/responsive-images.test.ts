import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MediaRow } from '../db/tables.js';
import { CONTENT_SIZES, mediaIdsIn, mediaLookup, responsiveImages } from './responsive-images.js';

const ID = '019ca8a0-3e80-72e5-a38f-3018574cd1e1';
const WEBP_ID = '019ca8a0-3e80-72e5-a38f-3018574cd1e2';

function row(id: string, type: string, ext: string, variants: { file: string; width: number; height: number; type: string }[]): MediaRow {
  return {
    id,
    folder: `2026/03/${id}`,
    file: `original.${ext}`,
    type,
    width: 1200,
    height: 800,
    bytes: 1000,
    variants: JSON.stringify(variants.map((v) => ({ ...v, bytes: 100 }))),
    original_name: 'x',
    uploaded_by: null,
    created_at: 0,
  };
}

const photo = row(ID, 'image/jpeg', 'jpg', [
  { file: 'w480.jpg', width: 480, height: 320, type: 'image/jpeg' },
  { file: 'w480.webp', width: 480, height: 320, type: 'image/webp' },
  { file: 'original.webp', width: 1200, height: 800, type: 'image/webp' },
]);
const webp = row(WEBP_ID, 'image/webp', 'webp', [{ file: 'w480.webp', width: 480, height: 320, type: 'image/webp' }]);
const lookup = mediaLookup([photo, webp]);
const src = `/media/2026/03/${ID}/original.jpg`;

describe('responsiveImages', () => {
  it('wraps an uploaded image in <picture> with a WebP source, srcset, sizes and its intrinsic size', () => {
    const out = responsiveImages(`<p><img src="${src}" alt="A &quot;calm&quot; sea" /></p>`, lookup);
    assert.equal(
      out,
      `<p><picture><source type="image/webp" srcset="/media/2026/03/${ID}/w480.webp 480w, /media/2026/03/${ID}/original.webp 1200w" sizes="${CONTENT_SIZES}" />` +
        `<img src="${src}" alt="A &quot;calm&quot; sea" srcset="/media/2026/03/${ID}/w480.jpg 480w, ${src} 1200w" sizes="${CONTENT_SIZES}" width="1200" height="800" /></picture></p>`,
    );
  });

  it('gives an image that points at a variant that variant’s own size', () => {
    const out = responsiveImages(`<img src="/media/2026/03/${ID}/w480.jpg" alt="" />`, lookup);
    assert.match(out, /width="480" height="320"/);
  });

  it('keeps width and height the author set herself', () => {
    const out = responsiveImages(`<img src="${src}" alt="" width="300" height="200" />`, lookup);
    assert.match(out, /width="300" height="200"/);
    assert.doesNotMatch(out, /width="1200"/);
  });

  it('needs no <picture> for an image that is WebP already', () => {
    const out = responsiveImages(`<img src="/media/2026/03/${WEBP_ID}/original.webp" alt="" />`, lookup);
    assert.doesNotMatch(out, /<picture>/);
    assert.match(out, /srcset="\/media\/2026\/03\/[0-9a-f-]+\/w480\.webp 480w, \/media\/2026\/03\/[0-9a-f-]+\/original\.webp 1200w"/);
  });

  it('leaves other images, unknown uploads and hand-made srcsets alone, and is idempotent', () => {
    const untouched = [
      '<img src="https://example.com/a.jpg" alt="" />',
      '<img src="/media/2026/03/00000000-0000-7000-8000-000000000000/original.jpg" alt="" />',
      `<img src="${src}" srcset="${src} 1x" alt="" />`,
      `<p>Text that mentions src="${src}" is not an image.</p>`,
    ];
    for (const html of untouched) assert.equal(responsiveImages(html, lookup), html);
    const once = responsiveImages(`<img src="${src}" alt="" />`, lookup);
    assert.equal(responsiveImages(once, lookup), once);
  });

  it('names the uploads a post shows, once each', () => {
    const html = `<img src="${src}" alt="" /><img src="/media/2026/03/${ID}/w480.jpg" alt="" /><img src="/media/2026/03/${WEBP_ID}/original.webp" /><img src="/a.png" />`;
    assert.deepEqual(mediaIdsIn(html).sort(), [ID, WEBP_ID]);
  });
});
