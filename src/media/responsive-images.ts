// Turns <img src="/media/..."> in sanitized post HTML into responsive images: srcset, sizes and
// intrinsic width/height (no layout shift), wrapped in <picture> with a WebP <source>.
//
// It relies on the sanitizer's output form: every attribute value is double-quoted with `"`, `<`
// and `>` escaped, so an <img ...> tag is exactly /<img\b[^>]*>/ and a value never holds a quote.
import type { MediaRow } from '../db/tables.js';
import { MEDIA_URL_PREFIX, mediaUrl, srcsets, storedVariants } from './media-present.js';

/** What a page needs to know about the image a `src` points at. */
export interface ResponsiveSource {
  width: number;
  height: number;
  srcset: string;
  /** Empty when the image is WebP already: no <picture> is needed then. */
  webpSrcset: string;
}

export type MediaLookup = (src: string) => ResponsiveSource | undefined;

/** The column of a post page is at most 38rem wide; below that, images span the screen. */
export const CONTENT_SIZES = '(min-width: 40rem) 38rem, 100vw';

const IMG_TAG = /<img\b([^>]*?)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'=<>/]+)(?:="([^"]*)")?/g;
const MEDIA_SRC = /^\/media\/(\d{4}\/\d{2}\/([0-9a-f-]{36}))\/[a-z0-9]+\.[a-z]+$/;

export function responsiveImages(html: string, lookup: MediaLookup, sizes: string = CONTENT_SIZES): string {
  if (!html.includes(MEDIA_URL_PREFIX)) return html;
  return html.replace(IMG_TAG, (tag, attributeText: string) => {
    const attributes = new Map<string, string | undefined>();
    for (const m of attributeText.matchAll(ATTRIBUTE)) attributes.set((m[1] ?? '').toLowerCase(), m[2]);
    const src = attributes.get('src');
    // An image that already has a srcset was arranged by hand (or by an earlier pass): leave it.
    if (!src || !MEDIA_SRC.test(src) || attributes.has('srcset')) return tag;
    const image = lookup(src);
    if (!image) return tag;
    attributes.set('srcset', image.srcset);
    attributes.set('sizes', sizes);
    if (!attributes.has('width') && !attributes.has('height')) {
      attributes.set('width', String(image.width));
      attributes.set('height', String(image.height));
    }
    const img = `<img${[...attributes].map(([name, value]) => (value === undefined ? ` ${name}` : ` ${name}="${value}"`)).join('')} />`;
    if (!image.webpSrcset) return img;
    return `<picture><source type="image/webp" srcset="${image.webpSrcset}" sizes="${sizes}" />${img}</picture>`;
  });
}

/** The ids of the uploads that `<img src="/media/...">` tags of `html` point at. */
export function mediaIdsIn(html: string): string[] {
  const ids = new Set<string>();
  for (const tag of html.matchAll(IMG_TAG)) {
    const src = /\ssrc="([^"]*)"/.exec(` ${tag[1]}`)?.[1];
    const id = src ? MEDIA_SRC.exec(src)?.[2] : undefined;
    if (id) ids.add(id);
  }
  return [...ids];
}

/** A lookup over known uploads; a src naming one of an upload's variants gets that variant's size. */
export function mediaLookup(rows: readonly MediaRow[]): MediaLookup {
  const byFolder = new Map(rows.map((row) => [row.folder, row]));
  return (src) => {
    const folder = MEDIA_SRC.exec(src)?.[1];
    const row = folder ? byFolder.get(folder) : undefined;
    if (!row) return undefined;
    const sets = srcsets(row);
    const variant = storedVariants(row).find((v) => mediaUrl(row, v.file) === src);
    const size = variant ?? row;
    return {
      width: size.width,
      height: size.height,
      srcset: sets.srcset,
      webpSrcset: row.type === 'image/webp' ? '' : sets.webpSrcset,
    };
  };
}
