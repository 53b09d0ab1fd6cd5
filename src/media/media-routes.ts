// Media over HTTP: image uploads through the admin API (an area of the admin group in
// src/api/api-routes.ts, which checks the token and the role first), and the stored files under /media/.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { InvalidError, TooLargeError } from '../errors.js';
import { staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { readForm } from '../web/request-body.js';
import { presentMedia } from './media-present.js';
import type { MediaService } from './media-service.js';

/** The upload endpoint: the app's small global body limit does not apply here, this one does. */
export const MEDIA_UPLOAD_PATH = '/api/v1/admin/media';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface MediaRoutesDeps {
  media: MediaService;
}

/** The upload, mounted at MEDIA_UPLOAD_PATH: the group has checked the token before the body is read. */
export function mediaApiRoutes(deps: MediaRoutesDeps) {
  const { media } = deps;
  const app = new Hono<AppEnv>();
  app.use(
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES,
      onError: () => {
        throw new TooLargeError(`An upload may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
      },
    }),
  );
  app.post('/', async (c) => {
    const staff = staffOf(c);
    const form = await readForm(c);
    const file = form.file;
    if (!(file instanceof File)) {
      throw new InvalidError('Send the image as multipart/form-data in a field named "file".', { file: 'an image file is required' });
    }
    const row = await media.upload({ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name, uploadedBy: staff.id });
    return c.json(presentMedia(row), 201);
  });
  return app;
}

/** The stored files under /media/. */
export function mediaRoutes(deps: MediaRoutesDeps) {
  const { media } = deps;
  const app = new Hono<AppEnv>();

  // Every stored file is named by a fresh id and never rewritten, so caches may keep it forever,
  // and its path is a strong validator: the same ETag whichever store (folder or database) holds it.
  app.get('/media/:year{[0-9]{4}}/:month{[0-9]{2}}/:id{[0-9a-f-]{36}}/:file', async (c) => {
    const { year, month, id, file } = c.req.param();
    const found = await media.file(`${year}/${month}/${id}`, file);
    const etag = `"${id}/${file}"`;
    const headers: Record<string, string> = {
      'Content-Type': found.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: etag,
      'Accept-Ranges': 'bytes',
    };
    const known = c.req.header('if-none-match');
    if (known && (known.trim() === '*' || known.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))) {
      return c.body(null, 304, headers);
    }
    const range = byteRange(c.req.header('range'), found.size, c.req.header('if-range'), etag);
    if (range === 'unsatisfiable') return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${found.size}` });
    const [start, end] = range ?? [0, found.size - 1];
    const status = range ? 206 : 200;
    headers['Content-Length'] = String(found.size === 0 ? 0 : end - start + 1);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${found.size}`;
    // A HEAD answer has no body: opening the file for it would only leave a stream to close.
    if (c.req.method === 'HEAD' || found.size === 0) return c.body(null, status, headers);
    return c.body(Readable.toWeb(fs.createReadStream(found.path, { start, end })) as ReadableStream, status, headers);
  });

  return app;
}

/**
 * One range of `Range: bytes=...` as [first, last] byte, inclusive; null to send the whole file
 * (no header, several ranges, a header this does not read, or an If-Range that names another
 * version); 'unsatisfiable' for a range that starts past the end.
 */
export function byteRange(
  header: string | undefined,
  size: number,
  ifRange: string | undefined,
  etag: string,
): [number, number] | null | 'unsatisfiable' {
  if (!header || (ifRange !== undefined && ifRange.trim() !== etag)) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    // The last N bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  if (start >= size) return 'unsatisfiable';
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return end < start ? null : [start, end];
}
