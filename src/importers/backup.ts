// `hearth export json` / `hearth import json`: a complete backup as JSON Lines (one JSON value a
// line: a header, then one row a line), so both ways stream with flat memory. Rows are kept as
// they are, ids included, so a restore into an empty database is identical to the original.
// Users keep their password hashes: a restored site lets its staff sign in as before, and the file
// already holds every commenter's address and every private comment, so it needs the database's
// care either way. Sessions, API tokens and the mail queue are left out: they are the running
// site's state, not its content. Uploaded images come last (version 2): each file a line naming
// its path, size and SHA-256, then its bytes as base64 lines of 192 KiB each, so a site moved
// from SQLite to PostgreSQL (or back) keeps its images, checked byte for byte.
import { recountPublicThreads } from '../comments/comment-store.js';
import type { Db } from '../db/connect.js';
import { ConflictError, InvalidError } from '../errors.js';
import { isMediaPath, type MediaStorage, type MediaWriter, type StoredMedia } from '../media/media-storage.js';
import { htmlToText } from '../text/excerpt.js';
import { addWarning, type ImportSummary } from './batch.js';
import * as store from './export-store.js';
import { indexPostForSearch } from './import-store.js';

export const BACKUP_FORMAT = 'hearth-backup';
export const BACKUP_VERSION = 2;

/** What a backup holds, in an order where every row's references come before it. */
export const BACKUP_TABLES: readonly { name: string; key: readonly string[] }[] = [
  { name: 'settings', key: ['key'] },
  { name: 'users', key: ['id'] },
  { name: 'media', key: ['id'] },
  { name: 'tags', key: ['id'] },
  // Other sites whose pages carry conversations (src/sites): their pages are posts.
  { name: 'sites', key: ['id'] },
  { name: 'posts', key: ['id'] },
  { name: 'post_tags', key: ['post_id', 'tag_id'] },
  { name: 'comments', key: ['id'] },
  { name: 'threads', key: ['root_id'] },
  { name: 'comment_revisions', key: ['id'] },
  { name: 'redirects', key: ['from_path'] },
  // Addresses of deleted posts, which answer 410 Gone on the restored site too.
  { name: 'posts_gone', key: ['path'] },
  // What readers asked for (replies by email, the newsletter, a program) and where mail must never go.
  { name: 'subscriptions', key: ['id'] },
  { name: 'email_suppressions', key: ['email'] },
  { name: 'program_signups', key: ['id'] },
];

// Columns computed from the rest are not data: PostgreSQL's search vector and the configuration
// it is made with (the site's language: src/search/search-index.ts), and a thread's kept HTML,
// which the restored site renders again (src/comments/kept-html/thread-html.ts).
const COMPUTED = new Set(['search', 'search_config', 'public_html', 'html_key']);
const PAGE = 500;

export type Write = (chunk: string) => Promise<void>;

/** Raw bytes per line of a file's content (a multiple of 3: each line is base64 without padding inside). */
const MEDIA_LINE_BYTES = 192 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

/** Each stored file: a line naming it, then its bytes in base64 lines. */
async function exportMediaFiles(media: MediaStorage, write: Write): Promise<number> {
  let count = 0;
  for await (const file of media.list()) {
    await write(`${JSON.stringify({ media: { path: file.path, bytes: file.bytes, sha256: file.sha256 } })}\n`);
    let held: Buffer[] = [];
    let size = 0;
    for await (const chunk of media.read(file.path)) {
      held.push(Buffer.from(chunk));
      size += chunk.length;
      while (size >= MEDIA_LINE_BYTES) {
        const all = Buffer.concat(held);
        await write(`${JSON.stringify({ data: all.subarray(0, MEDIA_LINE_BYTES).toString('base64') })}\n`);
        held = [all.subarray(MEDIA_LINE_BYTES)];
        size -= MEDIA_LINE_BYTES;
      }
    }
    if (size > 0) await write(`${JSON.stringify({ data: Buffer.concat(held).toString('base64') })}\n`);
    count++;
  }
  return count;
}

export async function exportBackup(db: Db, now: number, write: Write, media?: MediaStorage): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await write(`${JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: new Date(now).toISOString() })}\n`);
  for (const { name, key } of BACKUP_TABLES) {
    counts[name] = 0;
    let after: unknown[] | null = null;
    for (;;) {
      const rows = await store.rowsPage(db, name, key, after, PAGE);
      if (rows.length === 0) break;
      const last = rows[rows.length - 1] as Record<string, unknown>;
      after = key.map((k) => last[k]);
      let out = '';
      for (const row of rows) {
        for (const column of COMPUTED) delete row[column];
        out += `${JSON.stringify({ table: name, row })}\n`;
      }
      counts[name] += rows.length;
      await write(out);
    }
  }
  if (media) counts['media files'] = await exportMediaFiles(media, write);
  return counts;
}

/** Splits text chunks into lines without holding more than one line beyond the chunk. */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    yield* parts;
  }
  if (carry) yield carry;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Restores a backup inside the caller's transaction. Its images go to `files` (the site's media
 * storage, in the same batch); without it (a dry run) they are read, checked for shape and skipped.
 */
export async function restoreBackup(
  db: Db,
  chunks: AsyncIterable<string>,
  summary: ImportSummary,
  onRows?: () => void,
  files?: MediaWriter,
): Promise<void> {
  const tables = new Map(BACKUP_TABLES.map((t) => [t.name, t]));
  const restored: Record<string, number> = {};
  summary.tables = restored;
  summary.source = BACKUP_FORMAT;
  let lineNo = 0;
  let pending: { table: string; rows: Record<string, unknown>[] } | null = null;

  const flush = async () => {
    if (!pending || pending.rows.length === 0) return;
    const { table, rows } = pending;
    pending = { table, rows: [] };
    const spec = tables.get(table);
    if (!spec) return;
    let added = 0;
    try {
      if (table === 'settings') {
        for (const row of rows) await store.upsertSetting(db, row as { key: string; value: string; updated_at: number });
        added = rows.length;
      } else added = await store.insertRows(db, table, spec.key, rows);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError(
          `the backup's ${table} clash with ones already here (${(err as Error).message.split('\n')[0]}); restore it into an empty database`,
        );
      }
      throw err;
    }
    restored[table] = (restored[table] ?? 0) + added;
    if (table === 'posts') {
      summary.posts.total += rows.length;
      summary.posts.added += added;
      summary.posts.existing += rows.length - added;
      for (const row of rows) {
        const post = row as { id: string; title: string; excerpt: string; markdown: string; html: string; source_format?: string };
        await indexPostForSearch(db, {
          id: post.id,
          title: post.title,
          excerpt: post.excerpt,
          body: post.source_format === 'html' ? htmlToText(post.html) : post.markdown,
        });
      }
    } else if (table === 'comments') {
      summary.comments.total += rows.length;
      summary.comments.added += added;
      summary.comments.existing += rows.length - added;
      for (const row of rows) {
        const status = (row as { status: keyof ImportSummary['comments']['byStatus'] }).status;
        if (status in summary.comments.byStatus) summary.comments.byStatus[status]++;
      }
    } else if (table === 'users') {
      summary.users.added += added;
      summary.users.matched += rows.length - added;
    } else if (table === 'tags') summary.tags.added += added;
    else if (table === 'redirects') summary.redirects.added += added;
    onRows?.();
  };

  const input = lines(chunks)[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | undefined> => {
    const next = await input.next();
    if (next.done) return undefined;
    lineNo++;
    return next.value;
  };
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch (err) {
      throw new InvalidError(`line ${lineNo}: not JSON (${(err as Error).message})`);
    }
  };

  /** One stored file: its bytes follow its line, in base64 lines, and are read as they are written. */
  const restoreFile = async (spec: unknown) => {
    const file = spec as Partial<StoredMedia>;
    if (typeof file?.path !== 'string' || !isMediaPath(file.path)) {
      throw new InvalidError(`line ${lineNo}: "${String(file?.path)}" is not the path of an uploaded image`);
    }
    if (!Number.isSafeInteger(file.bytes) || (file.bytes as number) < 0 || typeof file.sha256 !== 'string' || !SHA256.test(file.sha256)) {
      throw new InvalidError(`line ${lineNo}: ${file.path} needs its size in bytes and its SHA-256`);
    }
    const stored: StoredMedia = { path: file.path, bytes: file.bytes as number, sha256: file.sha256 };
    let left = stored.bytes;
    const nextPart = async (): Promise<Buffer> => {
      const line = await nextLine();
      const part = line === undefined ? undefined : (parse(line) as { data?: unknown });
      if (typeof part?.data !== 'string') throw new InvalidError(`line ${lineNo}: ${stored.path} ends before its ${stored.bytes} bytes`);
      const bytes = Buffer.from(part.data, 'base64');
      left -= bytes.length;
      if (left < 0) throw new InvalidError(`line ${lineNo}: ${stored.path} has more than its ${stored.bytes} bytes`);
      return bytes;
    };
    async function* body() {
      while (left > 0) yield await nextPart();
    }
    if (files) await files.write(stored, body());
    // Bytes a writer did not need (a file the site holds already) are read past.
    while (left > 0) await nextPart();
    restored['media files'] = (restored['media files'] ?? 0) + 1;
  };

  for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
    if (line.trim() === '') continue;
    const value = parse(line);
    if (lineNo === 1) {
      const header = value as { format?: unknown; version?: unknown };
      if (header?.format !== BACKUP_FORMAT) throw new InvalidError('line 1: not a Hearth backup (made by "hearth export json")');
      if (typeof header.version !== 'number' || header.version > BACKUP_VERSION) {
        throw new InvalidError(`line 1: backup version ${String(header.version)} is newer than this Hearth reads (${BACKUP_VERSION})`);
      }
      continue;
    }
    if (typeof value === 'object' && value !== null && 'media' in value) {
      await flush();
      await restoreFile((value as { media: unknown }).media);
      onRows?.();
      continue;
    }
    const entry = value as { table?: unknown; row?: unknown };
    if (typeof entry?.table !== 'string' || typeof entry.row !== 'object' || entry.row === null) {
      throw new InvalidError(`line ${lineNo}: expected {"table": ..., "row": {...}}`);
    }
    if (!tables.has(entry.table)) {
      addWarning(summary, `line ${lineNo}: unknown table "${entry.table}" skipped`);
      continue;
    }
    const current = pending as { table: string; rows: Record<string, unknown>[] } | null;
    if (!current || current.table !== entry.table || current.rows.length >= PAGE) {
      await flush();
      pending = { table: entry.table, rows: [] };
    }
    (pending as unknown as { rows: Record<string, unknown>[] }).rows.push(entry.row as Record<string, unknown>);
  }
  if (lineNo === 0) throw new InvalidError('line 1: the file is empty, not a Hearth backup');
  await flush();
  // A backup made before posts kept their count of threads readers see holds none: count them from
  // the restored threads (a restore goes into an empty database, so every post is the backup's).
  await recountPublicThreads(db);
}
