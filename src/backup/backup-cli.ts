// `hearth backup [--to DIR]` and `hearth restore DIR`. The folder's path goes to stdout; what it
// holds, and the comparison a restore makes, to stderr as one line each.
import type { Command } from 'commander';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Connection } from '../db/connect.js';
import type { ImportService } from '../importers/import-service.js';
import { recordBackup } from './backup-record.js';
import { pruneBackups, restoreSite, takeBackup } from './site-backup.js';

export interface BackupCliDeps {
  config: () => Config;
  /** Opens the migrated database of the configured site for the work, with its import service. */
  withSite<T>(work: (site: { conn: Connection; imports: ImportService }) => Promise<T>): Promise<T>;
  say(line: string): void;
}

/** The restore did not give back what the backup holds: exit status 1 after the comparison. */
export class RestoreMismatch extends Error {}

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

export function registerBackupCommands(cli: Command, deps: BackupCliDeps): void {
  cli
    .command('backup')
    .description('take a consistent backup of the running site (database and uploads) into a new folder')
    .option('--to <dir>', 'where to put it (default HEARTH_BACKUP_DIR, or HEARTH_DATA/backups)')
    .action(async (opts: { to?: string }) => {
      const config = deps.config();
      const into = opts.to ?? config.backup.dir;
      const taken = await deps.withSite(async ({ conn }) => {
        const result = await takeBackup(
          {
            conn,
            dataDir: config.dataDir,
            clock: systemClock,
            ...(config.database.kind === 'postgres' ? { databaseUrl: config.database.url } : {}),
          },
          into,
        );
        await recordBackup(conn.db, {
          at: Date.parse(result.manifest.createdAt),
          folder: result.folder,
          comments: result.manifest.check.counts.comments ?? 0,
        });
        return result;
      });
      // Retention applies to the configured folder only, never to one named for this backup.
      if (opts.to === undefined) pruneBackups(into, config.backup.keep);
      const c = taken.manifest.check;
      process.stdout.write(`${taken.folder}\n`);
      for (const note of taken.notes) deps.say(`hearth: ${note}`);
      deps.say(
        `hearth: backed up ${plural(c.counts.posts ?? 0, 'post')}, ${plural(c.counts.comments ?? 0, 'comment')} (${c.commentsChecksum}) and ${plural(taken.manifest.media.files, 'uploaded file')} to ${taken.folder}`,
      );
    });

  cli
    .command('restore')
    .description('restore a backup folder into an empty site, then check every count and every comment against the backup')
    .argument('<dir>', 'a folder made by "hearth backup"')
    .action(async (dir: string) => {
      const config = deps.config();
      const result = await deps.withSite(({ conn, imports }) => restoreSite({ conn, dataDir: config.dataDir, imports }, dir));
      for (const [table, n] of Object.entries(result.manifest.check.counts)) {
        process.stdout.write(`${table}\tbackup ${n}\trestored ${result.restored.counts[table] ?? 0}\n`);
      }
      process.stdout.write(
        `comments checksum\tbackup ${result.manifest.check.commentsChecksum}\trestored ${result.restored.commentsChecksum}\n`,
      );
      if (result.differences.length > 0) {
        throw new RestoreMismatch(`the restored site differs from the backup: ${result.differences.join('; ')}`);
      }
      deps.say(
        `hearth: restored ${plural(result.restored.counts.posts ?? 0, 'post')} and ${plural(result.restored.counts.comments ?? 0, 'comment')} from ${dir}; every count and the comments checksum match the backup`,
      );
    });
}
