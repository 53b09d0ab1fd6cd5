// What clients and pages see of an upload. URLs are root-relative (/media/...), so Markdown that
// holds them keeps working when the site moves to another address; feeds make them absolute.
import type { MediaRow } from '../db/tables.js';

export const MEDIA_URL_PREFIX = '/media/';

/** One stored file of an upload, as kept in the row's `variants` JSON. */
export interface StoredVariant {
  file: string;
  width: number;
  height: number;
  type: string;
  bytes: number;
}

export interface MediaJson {
  id: string;
  url: string;
  width: number;
  height: number;
  type: string;
  variants: { url: string; width: number; type: string }[];
  srcset: string;
  webpSrcset: string;
}

export function storedVariants(row: MediaRow): StoredVariant[] {
  return JSON.parse(row.variants) as StoredVariant[];
}

export function mediaUrl(row: Pick<MediaRow, 'folder'>, file: string): string {
  return `${MEDIA_URL_PREFIX}${row.folder}/${file}`;
}

interface Candidate {
  url: string;
  width: number;
}

function srcset(candidates: Candidate[]): string {
  return [...candidates]
    .sort((a, b) => a.width - b.width)
    .map((c) => `${c.url} ${c.width}w`)
    .join(', ');
}

/** srcset strings for the original's format and for WebP (the same when the original is WebP). */
export function srcsets(row: MediaRow): { srcset: string; webpSrcset: string } {
  const variants = storedVariants(row).map((v) => ({ ...v, url: mediaUrl(row, v.file) }));
  const original = { url: mediaUrl(row, row.file), width: row.width };
  const same = srcset([original, ...variants.filter((v) => v.type === row.type)]);
  const webp = row.type === 'image/webp' ? same : srcset(variants.filter((v) => v.type === 'image/webp'));
  return { srcset: same, webpSrcset: webp };
}

export function presentMedia(row: MediaRow): MediaJson {
  return {
    id: row.id,
    url: mediaUrl(row, row.file),
    width: row.width,
    height: row.height,
    type: row.type,
    variants: storedVariants(row).map((v) => ({ url: mediaUrl(row, v.file), width: v.width, type: v.type })),
    ...srcsets(row),
  };
}
