// `hearth media migrate`: copies a site's uploads from one store to the other (the data folder and
// the database), all or nothing, skipping files the target holds already, so it can run again.
import type { Db } from '../db/connect.js';
import type { MediaStorage, StoredMedia } from './media-storage.js';

export interface MediaMigrateProgress {
  done: number;
  total: number;
  copied: number;
  bytesCopied: number;
}

export interface MediaMigrateResult {
  total: number;
  copied: number;
  /** Files the target held already, byte for byte. */
  present: number;
  bytesCopied: number;
}

/**
 * Copies every file of `from` that `to` lacks, each checked by its size and SHA-256, inside one
 * batch of `to`: into the database in one transaction, or into the folder with every file it wrote
 * removed again if one fails. The source is left as it is.
 */
export async function migrateMedia(
  db: Db,
  from: MediaStorage,
  to: MediaStorage,
  onProgress: (p: MediaMigrateProgress) => void = () => {},
): Promise<MediaMigrateResult> {
  // The list first (paths and hashes, never bytes), so progress can say how far along it is.
  const files: StoredMedia[] = [];
  for await (const file of from.list()) files.push(file);
  const progress: MediaMigrateProgress = { done: 0, total: files.length, copied: 0, bytesCopied: 0 };
  onProgress(progress);
  await to.batch(db, async (target) => {
    for (const file of files) {
      if (!(await target.has(file))) {
        await target.write(file, from.read(file.path));
        progress.copied++;
        progress.bytesCopied += file.bytes;
      }
      progress.done++;
      onProgress(progress);
    }
  });
  return { total: files.length, copied: progress.copied, present: files.length - progress.copied, bytesCopied: progress.bytesCopied };
}
