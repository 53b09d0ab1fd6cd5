// Uploads: decode, strip, resize, store as YYYY/MM/<id>/<file> in the site's media storage (the
// data folder, or the database), and remember the variants in the database so pages can build
// srcset without reading a file.
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { MediaRow } from '../db/tables.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { encodeImage, IMAGE_FORMATS, inspectImage } from './images.js';
import type { StoredVariant } from './media-present.js';
import { bodyOf, describeBytes, MEDIA_FILE, MEDIA_FOLDER, type MediaStorage } from './media-storage.js';
import { insertMedia, mediaByIds } from './media-store.js';
import { oneAtATime } from './one-at-a-time.js';
import { type MediaLookup, mediaIdsIn, mediaLookup } from './responsive-images.js';

export interface MediaDeps {
  db: Db;
  clock: Clock;
  /** Where the files live: the folder or the database (chosen in main.ts). */
  storage: MediaStorage;
}

export interface Upload {
  bytes: Uint8Array;
  /** The name the client gave the file; kept for the record, never used as a path. */
  name: string;
  uploadedBy: string;
}

export interface MediaFile {
  /** A file on this machine's disk holding the stored bytes. */
  path: string;
  size: number;
  type: string;
}

export interface MediaService {
  upload(upload: Upload): Promise<MediaRow>;
  /** A lookup for responsiveImages() over the uploads that `html` shows, fetched in one query. */
  lookupFor(html: string): Promise<MediaLookup>;
  /** A stored file for /media/<folder>/<file>, or NotFound. The parts must match MEDIA_PATH. */
  file(folder: string, file: string): Promise<MediaFile>;
}

const TYPE_BY_EXT = new Map<string, string>(Object.values(IMAGE_FORMATS).map((f) => [f.ext, f.type]));

export function createMediaService(deps: MediaDeps): MediaService {
  const { db, clock, storage } = deps;
  // Decoding and encoding, one upload at a time: parallel uploads wait their turn, not the memory's.
  const imageWork = oneAtATime();

  return {
    async upload({ bytes, name, uploadedBy }) {
      // The header first, outside the queue: an image that is too large is refused at once.
      const info = await inspectImage(bytes);
      const encoded = await imageWork.run(() => encodeImage(bytes, info));
      const now = clock.now();
      const id = newId(now);
      const date = new Date(now);
      const folder = `${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${id}`;

      const files = encoded.map((e) => ({ ...e, file: `${e.name}.${IMAGE_FORMATS[e.format].ext}`, type: IMAGE_FORMATS[e.format].type }));
      const original = files.find((f) => f.name === 'original' && f.format === info.format);
      if (!original) throw new Error('the encoder made no original');
      const variants: StoredVariant[] = files
        .filter((f) => f !== original)
        .map((f) => ({ file: f.file, width: f.width, height: f.height, type: f.type, bytes: f.data.length }));

      const row: MediaRow = {
        id,
        folder,
        file: original.file,
        type: original.type,
        width: original.width,
        height: original.height,
        bytes: original.data.length,
        variants: JSON.stringify(variants),
        original_name: name.slice(0, 255),
        uploaded_by: uploadedBy,
        created_at: now,
      };
      // Files first, row last, as one batch: a row always names files that exist; a failed insert
      // leaves no files (the database store writes both in one transaction).
      await storage.batch(db, async (writer, trx) => {
        for (const f of files) await writer.write(describeBytes(f.data, `${folder}/${f.file}`), bodyOf(f.data));
        await insertMedia(trx, row);
      });
      return row;
    },

    async lookupFor(html) {
      return mediaLookup(await mediaByIds(db, mediaIdsIn(html)));
    },

    async file(folder, file) {
      const ext = MEDIA_FILE.exec(file)?.[2];
      const type = ext ? TYPE_BY_EXT.get(ext) : undefined;
      if (!MEDIA_FOLDER.test(folder) || !type) throw new NotFoundError('There is no such file.');
      const found = await storage.open(`${folder}/${file}`);
      if (!found) throw new NotFoundError('There is no such file.');
      return { path: found.file, size: found.size, type };
    },
  };
}
