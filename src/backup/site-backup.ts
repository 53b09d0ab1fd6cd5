// `hearth backup` and `hearth restore`: a whole site in one folder (the database, the uploads and
// a manifest of what it holds), taken while the site runs, and put back into an empty site with
// proof that every comment came back (the counts and checksum of the manifest, compared).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { type Connection, connect, dbKind } from '../db/connect.js';
import { isOneFile } from '../db/dialect.js';
import { atOneMoment, copySqliteDatabase, pgDump } from '../db/snapshot.js';
import { ConflictError, InvalidError } from '../errors.js';
import { exportBackup } from '../importers/backup.js';
import type { ImportService } from '../importers/import-service.js';
import { createDatabaseStorage } from '../media/database-storage.js';
import { createFolderStorage } from '../media/folder-storage.js';
import { type BackupCheck, checkOf, differences } from './backup-check.js';

export const SITE_BACKUP_FORMAT = 'hearth-site-backup';
const MANIFEST = 'manifest.json';
const FOLDER_PREFIX = 'hearth-backup-';

export interface BackupManifest {
  format: typeof SITE_BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  database: 'sqlite' | 'postgres';
  /** The file the restore reads: a SQLite database or a JSON Lines backup. */
  data: 'hearth.db' | 'backup.jsonl';
  /** pg_dump's custom format, when pg_dump was there: for pg_restore by hand. */
  pgDump?: 'database.pgdump';
  media: { files: number };
  check: BackupCheck;
}

export interface TakenBackup {
  folder: string;
  manifest: BackupManifest;
  notes: string[];
}

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');

function copyMedia(from: string, to: string): number {
  if (!fs.existsSync(from)) return 0;
  fs.cpSync(from, to, { recursive: true, force: false, errorOnExist: false });
  return fs.readdirSync(to, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

/** Takes a backup into a new folder under `into`; the folder appears only once it is complete. */
export async function takeBackup(
  deps: { conn: Connection; dataDir: string; clock: Clock; databaseUrl?: string },
  into: string,
): Promise<TakenBackup> {
  const now = deps.clock.now();
  fs.mkdirSync(into, { recursive: true });
  const name = `${FOLDER_PREFIX}${stamp(now)}`;
  const partial = fs.mkdtempSync(path.join(into, `.${name}-`));
  const notes: string[] = [];
  try {
    const oneFile = isOneFile(deps.conn.db);
    let check: BackupCheck;
    let data: BackupManifest['data'];
    let dumped = false;
    let mediaFiles = 0;
    if (oneFile) {
      data = 'hearth.db';
      await copySqliteDatabase(deps.conn, path.join(partial, data));
      // Counted from the copy itself, so the manifest says what the file holds.
      const copy = await connect({ kind: 'sqlite', file: path.join(partial, data) });
      try {
        check = await checkOf(copy.db);
      } finally {
        await copy.close();
      }
    } else {
      data = 'backup.jsonl';
      const out = fs.createWriteStream(path.join(partial, data));
      const write = (chunk: string) =>
        new Promise<void>((resolve, reject) => {
          if (out.write(chunk)) resolve();
          else out.once('drain', resolve).once('error', reject);
        });
      // On PostgreSQL the uploads live in the database (the data folder is only a cache): the
      // JSON backup carries them, and a restore puts them into whatever store the new site has.
      const uploads = createDatabaseStorage({ db: deps.conn.db, cacheDir: path.join(deps.dataDir, 'media'), now: () => deps.clock.now() });
      check = await atOneMoment(deps.conn.db, async (snapshot) => {
        const counts = await exportBackup(snapshot, now, write, uploads);
        mediaFiles = counts['media files'] ?? 0;
        return checkOf(snapshot);
      });
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      if (deps.databaseUrl) {
        const dump = await pgDump(deps.databaseUrl, path.join(partial, 'database.pgdump'));
        if (dump.ok) dumped = true;
        else notes.push(`no pg_dump copy (${dump.reason}); the JSON backup holds the site`);
      }
    }
    if (oneFile) mediaFiles = copyMedia(path.join(deps.dataDir, 'media'), path.join(partial, 'media'));
    const manifest: BackupManifest = {
      format: SITE_BACKUP_FORMAT,
      version: 1,
      createdAt: new Date(now).toISOString(),
      database: dbKind(deps.conn.db),
      data,
      ...(dumped ? { pgDump: 'database.pgdump' as const } : {}),
      media: { files: mediaFiles },
      check,
    };
    fs.writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const folder = path.join(into, name);
    fs.renameSync(partial, folder);
    return { folder, manifest, notes };
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

/** Keeps the newest `keep` complete backups in the folder; returns the folders removed. */
export function pruneBackups(into: string, keep: number): string[] {
  if (!fs.existsSync(into)) return [];
  const folders = fs
    .readdirSync(into)
    .filter((n) => n.startsWith(FOLDER_PREFIX) && fs.existsSync(path.join(into, n, MANIFEST)))
    .sort();
  const removed = folders.slice(0, Math.max(0, folders.length - keep));
  for (const n of removed) fs.rmSync(path.join(into, n), { recursive: true, force: true });
  return removed.map((n) => path.join(into, n));
}

export function readManifest(folder: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(folder, MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    throw new InvalidError(`${folder} is not a Hearth backup (no readable ${MANIFEST}; make one with "hearth backup")`);
  }
  if (manifest.format !== SITE_BACKUP_FORMAT) throw new InvalidError(`${folder} is not a Hearth backup (its manifest is of another kind)`);
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  restored: BackupCheck;
  /** Empty when the site holds exactly what the backup does. */
  differences: string[];
}

/** Restores a backup folder into this (empty) site, then compares what it holds with the manifest. */
export async function restoreSite(
  deps: { conn: Connection; dataDir: string; imports: ImportService },
  folder: string,
): Promise<RestoreResult> {
  const manifest = readManifest(folder);
  const before = await checkOf(deps.conn.db);
  const occupied = ['users', 'posts', 'comments'].filter((t) => (before.counts[t] ?? 0) > 0);
  if (occupied.length > 0)
    throw new ConflictError(`this site is not empty (it has ${occupied.join(', ')}); restore into a new, empty database`);

  let jsonl = path.join(folder, manifest.data);
  let temporary: string | undefined;
  if (manifest.data === 'hearth.db') {
    // Read from a copy: opening a database may change its file, and the backup stays as taken.
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-restore-'));
    const copy = path.join(temporary, 'hearth.db');
    fs.copyFileSync(path.join(folder, manifest.data), copy);
    const source = await connect({ kind: 'sqlite', file: copy });
    jsonl = path.join(temporary, 'backup.jsonl');
    const out = fs.openSync(jsonl, 'w');
    try {
      // The uploads travel in the JSON too, so they land in the new site's store (its folder on
      // SQLite, the database on PostgreSQL).
      const uploads = createFolderStorage(path.join(folder, 'media'));
      await exportBackup(
        source.db,
        Date.parse(manifest.createdAt),
        async (chunk) => {
          fs.writeSync(out, chunk);
        },
        uploads,
      );
    } finally {
      fs.closeSync(out);
      await source.close();
    }
  }
  try {
    await deps.imports.importStream('json', fs.createReadStream(jsonl, { highWaterMark: 64 * 1024 }));
  } finally {
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  }
  const restored = await checkOf(deps.conn.db);
  return { manifest, restored, differences: differences(manifest.check, restored) };
}
