// Media over HTTP: image uploads through the admin API, and the stored files under /media/.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AccountsService } from '../accounts/accounts-service.js';
import { InvalidError, TooLargeError } from '../errors.js';
import { requireToken, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { readForm } from '../web/request-body.js';
import { presentMedia } from './media-present.js';
import type { MediaService } from './media-service.js';

/** The upload endpoint: the app's small global body limit does not apply here, this one does. */
export const MEDIA_UPLOAD_PATH = '/api/v1/admin/media';
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface MediaRoutesDeps {
  accounts: AccountsService;
  media: MediaService;
}

export function mediaRoutes(deps: MediaRoutesDeps) {
  const { accounts, media } = deps;
  const app = new Hono<AppEnv>();

  // Any staff role may upload. The token is checked before the body is read.
  app.post(
    MEDIA_UPLOAD_PATH,
    requireToken(accounts),
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES,
      onError: () => {
        throw new TooLargeError(`An upload may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
      },
    }),
    async (c) => {
      const staff = staffOf(c);
      const form = await readForm(c);
      const file = form.file;
      if (!(file instanceof File)) {
        throw new InvalidError('Send the image as multipart/form-data in a field named "file".', { file: 'an image file is required' });
      }
      const row = await media.upload({ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name, uploadedBy: staff.id });
      return c.json(presentMedia(row), 201);
    },
  );

  // Every stored file is named by a fresh id and never rewritten, so caches may keep it forever.
  app.get('/media/:year{[0-9]{4}}/:month{[0-9]{2}}/:id{[0-9a-f-]{36}}/:file', async (c) => {
    const { year, month, id, file } = c.req.param();
    const found = await media.file(`${year}/${month}/${id}`, file);
    const headers = {
      'Content-Type': found.type,
      'Content-Length': String(found.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
    };
    // A HEAD answer has no body: opening the file for it would only leave a stream to close.
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    return c.body(Readable.toWeb(fs.createReadStream(found.path)) as ReadableStream, 200, headers);
  });

  return app;
}
