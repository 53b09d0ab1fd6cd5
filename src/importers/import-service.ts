// Moving in and out: imports run all or nothing in one transaction (a dry run rolls it back), and
// take any byte stream, so the CLI passes a file and a future upload route passes a request body,
// both with a progress callback. Exports write through a callback, a page at a time.
import type { ChangeFeed } from '../cache/change-feed.js';
import type { Clock } from '../clock.js';
import { noteCommentInThread } from '../comments/comment-store.js';
import { type Db, withBulkWriteCache } from '../db/connect.js';
import type { MediaStorage, MediaWriter } from '../media/media-storage.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { applyImport } from './apply-import.js';
import { exportBackup, restoreBackup } from './backup.js';
import { addWarning, emptySummary, type ImportFormat, type ImportProgress, type ImportSummary, type Parser } from './batch.js';
import { parseDisqus } from './disqus.js';
import { threadsLeftOut } from './import-store.js';
import { issoParser } from './isso.js';
import { parseRemark42 } from './remark42.js';
import { parseWordpress } from './wordpress.js';
import { exportWordpress, type Write } from './wxr-export.js';
import { utf8Chunks } from './xml-stream.js';

export interface ImportOptions {
  /** Read and check everything, report what would change, write nothing. */
  dryRun?: boolean;
  /** The input's size in bytes, when known, for progress. */
  totalBytes?: number | null;
  onProgress?: (progress: ImportProgress) => void;
  /** The site an Isso export's paths are on (its origin). */
  site?: string | undefined;
}

export interface ImportService {
  importStream(format: ImportFormat, input: AsyncIterable<Uint8Array | string>, options?: ImportOptions): Promise<ImportSummary>;
  exportWordpress(write: Write): Promise<{ posts: number; comments: number }>;
  exportJson(write: Write): Promise<Record<string, number>>;
  /** Brings the threads an import left out of the inbox (its summary's `inbox.before`) back in; how many. */
  bringIntoInbox(leftOutBefore: number): Promise<number>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const parserFor = (format: Exclude<ImportFormat, 'json'>, site: string | undefined): Parser =>
  format === 'wordpress' ? parseWordpress : format === 'disqus' ? parseDisqus : format === 'remark42' ? parseRemark42 : issoParser(site);

export interface ImportServiceDeps {
  db: Db;
  clock: Clock;
  markdown: MarkdownRenderer;
  baseUrl: string;
  /** The site's title and tagline (description), which head the WXR export. */
  site: () => Promise<{ title: string; description: string }>;
  /** Told after an import commits (the page cache). */
  changes?: ChangeFeed;
  /** Imported reader words older than this many days await no answer (0: every one may). */
  importedWaitDays?: () => Promise<number>;
  /** Where uploaded images live: a JSON backup carries them out and back in. */
  media?: MediaStorage;
}

export function createImportService(deps: ImportServiceDeps): ImportService {
  const { db, clock, markdown } = deps;
  return {
    async importStream(format, input, options = {}) {
      const summary = emptySummary(format, options.dryRun ?? false);
      let bytesRead = 0;
      const progress = () =>
        options.onProgress?.({
          bytesRead,
          totalBytes: options.totalBytes ?? null,
          posts: summary.posts.total,
          comments: summary.comments.total,
        });
      const chunks = utf8Chunks(input, (n) => {
        bytesRead += n;
      });
      // Read before the transaction begins: SQLite's one connection is the transaction's then.
      const now = clock.now();
      const days = (await deps.importedWaitDays?.()) ?? 0;
      const leaveOutBefore = days > 0 ? now - days * DAY_MS : null;
      await withBulkWriteCache(db, async () => {
        const trx = await db.startTransaction().execute();
        const work = async (files?: MediaWriter) => {
          try {
            if (format === 'json') await restoreBackup(trx, chunks, summary, progress, files);
            else {
              const batch = parserFor(format, options.site)(chunks, (message) => addWarning(summary, message));
              await applyImport({ db: trx, now, leaveOutBefore, markdown, summary, onRecords: progress }, batch);
            }
          } catch (err) {
            await trx.rollback().execute();
            throw err;
          }
          if (summary.dryRun) await trx.rollback().execute();
          else {
            await trx.commit().execute();
            // Every page may show something new; other processes hear it too.
            await deps.changes?.publish({ scope: 'site' });
          }
        };
        // A backup's images are written in the same batch: into this transaction (database), or
        // into the folder and removed again if the import fails before it commits.
        if (format === 'json' && !summary.dryRun && deps.media) await deps.media.batch(trx, (files) => work(files));
        else await work();
      });
      progress();
      return summary;
    },

    async exportWordpress(write) {
      const { title, description } = await deps.site();
      return exportWordpress(db, { baseUrl: deps.baseUrl, title, description }, write);
    },

    async exportJson(write) {
      return exportBackup(db, clock.now(), write, deps.media);
    },

    async bringIntoInbox(leftOutBefore) {
      const threads = await db.transaction().execute(async (trx) => {
        const left = await threadsLeftOut(trx, leftOutBefore);
        for (const thread of left) {
          await trx.updateTable('threads').set({ dismissed_at: null }).where('root_id', '=', thread.root_id).execute();
          await noteCommentInThread(trx, thread);
        }
        return left.length;
      });
      if (threads > 0) await deps.changes?.publish({ scope: 'site' });
      return threads;
    },
  };
}
