// Uploads as files under <dataDir>/media/YYYY/MM/<id>/<file>: a site on one machine (SQLite). The
// database store uses the same layout as its cache, so these functions serve it too.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connect.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import {
  digester,
  isMediaPath,
  MEDIA_FILE,
  type MediaStorage,
  type MediaWriter,
  type OpenedMedia,
  type StoredMedia,
} from './media-storage.js';

/** The file on disk for a media path; the path is checked first, so nothing else is reached. */
export function localPath(root: string, mediaPath: string): string {
  if (!isMediaPath(mediaPath)) throw new NotFoundError('There is no such file.');
  return path.join(root, ...mediaPath.split('/'));
}

export async function statFile(root: string, mediaPath: string): Promise<OpenedMedia | undefined> {
  const file = localPath(root, mediaPath);
  const stat = await fs.promises.stat(file).catch(() => undefined);
  return stat?.isFile() ? { file, size: stat.size } : undefined;
}

/**
 * Writes `body` beside `file` under a temporary name and renames it into place once its size and
 * SHA-256 match `expected`: a reader never sees half a file, and a bad copy never lands.
 */
export async function writeFileChecked(file: string, expected: StoredMedia, body: AsyncIterable<Uint8Array>): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${randomBytes(6).toString('hex')}`;
  const digest = digester();
  const out = await fs.promises.open(partial, 'wx');
  try {
    for await (const chunk of body) {
      digest.add(chunk);
      if (digest.bytes > expected.bytes) break;
      await out.write(chunk);
    }
    await out.close();
    if (digest.bytes !== expected.bytes || digest.sha256() !== expected.sha256) {
      throw new InvalidError(`${expected.path}: the bytes do not match their size and SHA-256`);
    }
    await fs.promises.rename(partial, file);
  } catch (err) {
    await out.close().catch(() => {});
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
}

async function sha256Of(file: string): Promise<string> {
  const digest = digester();
  for await (const chunk of fs.createReadStream(file)) digest.add(chunk as Buffer);
  return digest.sha256();
}

async function sortedDir(dir: string): Promise<string[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  return names.sort();
}

export function createFolderStorage(root: string): MediaStorage {
  const has = async (file: StoredMedia) => {
    const found = await statFile(root, file.path);
    return found !== undefined && found.size === file.bytes && (await sha256Of(found.file)) === file.sha256;
  };

  return {
    kind: 'folder',

    async batch<T>(db: Db, work: (files: MediaWriter, db: Db) => Promise<T>): Promise<T> {
      const written: string[] = [];
      const files: MediaWriter = {
        has,
        async write(file, body) {
          const full = localPath(root, file.path);
          const there = await statFile(root, file.path);
          if (there) {
            if (await has(file)) return;
            throw new ConflictError(`${file.path} holds other bytes already`);
          }
          await writeFileChecked(full, file, body);
          written.push(full);
        },
      };
      try {
        return await work(files, db);
      } catch (err) {
        for (const file of written) {
          await fs.promises.rm(file, { force: true });
          // The upload's folder goes too once it is empty (rmdir refuses one that is not).
          await fs.promises.rmdir(path.dirname(file)).catch(() => {});
        }
        throw err;
      }
    },

    open: (mediaPath) => statFile(root, mediaPath),

    async *list() {
      for (const year of await sortedDir(root)) {
        if (!/^\d{4}$/.test(year)) continue;
        for (const month of await sortedDir(path.join(root, year))) {
          for (const id of await sortedDir(path.join(root, year, month))) {
            for (const name of await sortedDir(path.join(root, year, month, id))) {
              const mediaPath = `${year}/${month}/${id}/${name}`;
              // Partial copies and anything else that is not an upload's file are left alone.
              if (!MEDIA_FILE.test(name) || !isMediaPath(mediaPath)) continue;
              const found = await statFile(root, mediaPath);
              if (found) yield { path: mediaPath, bytes: found.size, sha256: await sha256Of(found.file) };
            }
          }
        }
      }
    },

    async *read(mediaPath) {
      const found = await statFile(root, mediaPath);
      if (!found) throw new NotFoundError(`There is no file ${mediaPath}.`);
      for await (const chunk of fs.createReadStream(found.file, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
    },
  };
}
