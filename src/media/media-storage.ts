// Where uploaded files live: one interface, two stores. The folder store keeps them under
// <dataDir>/media/ (a site on SQLite, one machine); the database store keeps them in the database,
// content-addressed and chunked, with <dataDir>/media/ as this machine's cache (a site on
// PostgreSQL, any number of processes). main.ts picks one by the database's dialect.
//
// Every file is named by its path under /media/, 'YYYY/MM/<id>/<file>', and a path is never
// rewritten: what is stored under it stays what it is, so any copy may be served forever.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connect.js';

/** A stored file: its path under /media/, its size, and the SHA-256 (hex) of its bytes. */
export interface StoredMedia {
  path: string;
  bytes: number;
  sha256: string;
}

/** A stored file ready to send: a file on this machine's disk. */
export interface OpenedMedia {
  file: string;
  size: number;
}

export interface MediaWriter {
  /** Whether `file.path` holds exactly these bytes already (same size and SHA-256). */
  has(file: StoredMedia): Promise<boolean>;
  /**
   * Stores `body` under `file.path`, a chunk at a time. The bytes must match `file.bytes` and
   * `file.sha256` (InvalidError otherwise); a path that holds them already is left as it is (the
   * body is then not read), one that holds other bytes is a ConflictError.
   */
  write(file: StoredMedia, body: AsyncIterable<Uint8Array>): Promise<void>;
}

export interface MediaStorage {
  readonly kind: 'folder' | 'database';
  /**
   * Runs `work` so that its writes land together or not at all. The database store writes in a
   * transaction (the caller's when `db` is one, which `work` receives to write its rows in too);
   * the folder store removes the files it wrote when `work` throws.
   */
  batch<T>(db: Db, work: (files: MediaWriter, db: Db) => Promise<T>): Promise<T>;
  /** The file at `path` on this machine's disk (fetched into the cache first), or undefined. */
  open(path: string): Promise<OpenedMedia | undefined>;
  /** Every stored file, in path order: for backups and `hearth media migrate`. */
  list(): AsyncIterable<StoredMedia>;
  /** The bytes of one stored file, a chunk at a time (NotFoundError if there is none). */
  read(path: string): AsyncIterable<Uint8Array>;
}

/** folder 'YYYY/MM/<uuid>' and file '<name>.<ext>': nothing else reaches a store. */
export const MEDIA_FOLDER = /^\d{4}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MEDIA_FILE = /^(original|w\d{1,5})\.(jpg|png|webp|gif|avif)$/;

export function isMediaPath(path: string): boolean {
  const cut = path.lastIndexOf('/');
  return cut > 0 && MEDIA_FOLDER.test(path.slice(0, cut)) && MEDIA_FILE.test(path.slice(cut + 1));
}

/** A byte count and SHA-256 kept up to date over the chunks that pass through. */
export function digester() {
  const hash = createHash('sha256');
  let bytes = 0;
  return {
    add(chunk: Uint8Array) {
      hash.update(chunk);
      bytes += chunk.length;
    },
    get bytes() {
      return bytes;
    },
    sha256: () => hash.digest('hex'),
  };
}

export function describeBytes(data: Uint8Array, path: string): StoredMedia {
  return { path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/** One buffer as a body for MediaWriter.write(). */
export async function* bodyOf(data: Uint8Array): AsyncIterable<Uint8Array> {
  yield data;
}
