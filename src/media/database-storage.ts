// Uploads kept in the database (a site on PostgreSQL): every process serves every image, and this
// machine's <dataDir>/media/ is a cache filled on first request.
//
// Why chunked rows of bytea and not large objects: rows live in the site's schema and go with it
// (DROP SCHEMA, pg_dump of the schema, a DELETE), where large objects live database-wide in
// pg_largeobject and are orphaned unless unlinked by hand; and a large object can only be read
// inside a transaction holding a pooled connection for the whole transfer, where a chunk is one
// short query, so no connection waits on a slow client. Each chunk is at most 256 KiB: a file is
// written and read one chunk at a time, never whole in memory. Blobs are named by their SHA-256
// and kept once, however many paths name them.
//
// The queries are plain Kysely and run on SQLite too (the tables exist there, as blob); SQLite
// sites use the folder store all the same.
import type { Db } from '../db/connect.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { localPath, statFile, writeFileChecked } from './folder-storage.js';
import { digester, isMediaPath, type MediaStorage, type MediaWriter, type OpenedMedia, type StoredMedia } from './media-storage.js';

export const CHUNK_BYTES = 256 * 1024;
const LIST_PAGE = 500;

export interface DatabaseStorageDeps {
  db: Db;
  /** The cache: <dataDir>/media/, laid out as the folder store lays it out. */
  cacheDir: string;
  now: () => number;
}

/** Cuts a stream of any-sized pieces into chunks of exactly `size` bytes (the last may be shorter). */
async function* rechunk(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const piece of body) {
    let rest = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (held + rest.length >= size) {
      const take = size - held;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts);
      rest = rest.subarray(take);
      parts = [];
      held = 0;
    }
    if (rest.length > 0) {
      // A copy: the caller may reuse the memory of the piece it gave.
      parts.push(Buffer.from(rest));
      held += rest.length;
    }
  }
  if (held > 0) yield Buffer.concat(parts);
}

async function fileOf(db: Db, path: string): Promise<StoredMedia | undefined> {
  const row = await db
    .selectFrom('media_files')
    .innerJoin('media_blobs', 'media_blobs.sha256', 'media_files.sha256')
    .select(['media_files.path', 'media_blobs.sha256', 'media_blobs.bytes'])
    .where('media_files.path', '=', path)
    .executeTakeFirst();
  return row ? { path: row.path, sha256: row.sha256, bytes: Number(row.bytes) } : undefined;
}

/** A blob's bytes, one chunk (one query) at a time. */
async function* chunksOf(db: Db, sha256: string): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const row = await db
      .selectFrom('media_blob_chunks')
      .select('data')
      .where('sha256', '=', sha256)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) return;
    yield row.data;
  }
}

function writerIn(trx: Db, now: () => number): MediaWriter {
  const has = async (file: StoredMedia) => {
    const there = await fileOf(trx, file.path);
    return there !== undefined && there.sha256 === file.sha256 && there.bytes === file.bytes;
  };
  return {
    has,
    async write(file, body) {
      if (!isMediaPath(file.path)) throw new InvalidError(`${file.path} is not the path of an upload`);
      const there = await fileOf(trx, file.path);
      if (there) {
        if (there.sha256 === file.sha256 && there.bytes === file.bytes) return;
        throw new ConflictError(`${file.path} holds other bytes already`);
      }
      const created_at = now();
      // Content-addressed: bytes already stored under another path are not stored again.
      const added = await trx
        .insertInto('media_blobs')
        .values({ sha256: file.sha256, bytes: file.bytes, created_at })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning('sha256')
        .executeTakeFirst();
      if (added) {
        const digest = digester();
        let seq = 0;
        for await (const chunk of rechunk(body, CHUNK_BYTES)) {
          digest.add(chunk);
          if (digest.bytes > file.bytes) break;
          await trx.insertInto('media_blob_chunks').values({ sha256: file.sha256, seq: seq++, data: chunk }).execute();
        }
        // The transaction rolls back what was written: a bad copy never lands.
        if (digest.bytes !== file.bytes || digest.sha256() !== file.sha256) {
          throw new InvalidError(`${file.path}: the bytes do not match their size and SHA-256`);
        }
      }
      await trx.insertInto('media_files').values({ path: file.path, sha256: file.sha256, created_at }).execute();
    },
  };
}

export function createDatabaseStorage(deps: DatabaseStorageDeps): MediaStorage {
  const { db, cacheDir, now } = deps;
  // One fill per path at a time: concurrent first requests wait for the same copy.
  const filling = new Map<string, Promise<OpenedMedia | undefined>>();

  const fill = async (path: string): Promise<OpenedMedia | undefined> => {
    const file = await fileOf(db, path);
    if (!file) return undefined;
    await writeFileChecked(localPath(cacheDir, path), file, chunksOf(db, file.sha256));
    return statFile(cacheDir, path);
  };

  return {
    kind: 'database',

    batch<T>(base: Db, work: (files: MediaWriter, db: Db) => Promise<T>): Promise<T> {
      const run = (trx: Db) => work(writerIn(trx, now), trx);
      return base.isTransaction ? run(base) : base.transaction().execute(run);
    },

    async open(path) {
      if (!isMediaPath(path)) return undefined;
      // A path is never rewritten, so a copy in the cache is always the stored file.
      const cached = await statFile(cacheDir, path);
      if (cached) return cached;
      let pending = filling.get(path);
      if (!pending) {
        pending = fill(path).finally(() => filling.delete(path));
        filling.set(path, pending);
      }
      return pending;
    },

    async *list() {
      let after = '';
      for (;;) {
        const rows = await db
          .selectFrom('media_files')
          .innerJoin('media_blobs', 'media_blobs.sha256', 'media_files.sha256')
          .select(['media_files.path', 'media_blobs.sha256', 'media_blobs.bytes'])
          .where('media_files.path', '>', after)
          .orderBy('media_files.path')
          .limit(LIST_PAGE)
          .execute();
        for (const row of rows) yield { path: row.path, sha256: row.sha256, bytes: Number(row.bytes) };
        if (rows.length < LIST_PAGE) return;
        after = rows[rows.length - 1]?.path ?? after;
      }
    },

    async *read(path) {
      const file = await fileOf(db, path);
      if (!file) throw new NotFoundError(`There is no file ${path}.`);
      yield* chunksOf(db, file.sha256);
    },
  };
}
