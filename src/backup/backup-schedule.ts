// The backups `hearth serve` takes by itself: every HEARTH_BACKUP_HOURS, the newest
// HEARTH_BACKUP_KEEP kept. With many processes on one PostgreSQL, the one that claims the lease
// takes the backup and the others skip that turn.
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Connection } from '../db/connect.js';
import { claimBackupLease, lastBackup, recordBackup } from './backup-record.js';
import { pruneBackups, takeBackup } from './site-backup.js';

const HOUR = 3_600_000;
/** How often a process looks whether a backup is due. */
const CHECK_EVERY_MS = 10 * 60_000;

export interface BackupScheduleDeps {
  conn: Connection;
  dataDir: string;
  clock: Clock;
  log: Logger;
  dir: string;
  everyHours: number;
  keep: number;
  databaseUrl?: string | undefined;
}

/** Takes a backup now if one is due and this process wins the lease; the folder, or null. */
export async function backupIfDue(deps: BackupScheduleDeps): Promise<string | null> {
  if (deps.everyHours <= 0) return null;
  const now = deps.clock.now();
  const last = await lastBackup(deps.conn.db);
  if (last && now - last.at < deps.everyHours * HOUR) return null;
  if (!(await claimBackupLease(deps.conn.db, now, HOUR))) return null;
  const taken = await takeBackup(deps, deps.dir);
  await recordBackup(deps.conn.db, { at: now, folder: taken.folder, comments: taken.manifest.check.counts.comments ?? 0 });
  const removed = pruneBackups(deps.dir, deps.keep);
  deps.log.info({ folder: taken.folder, removed: removed.length, notes: taken.notes }, 'backup taken');
  return taken.folder;
}

export function startBackupSchedule(deps: BackupScheduleDeps): { stop(): Promise<void> } {
  if (deps.everyHours <= 0) return { stop: async () => {} };
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = backupIfDue(deps).catch((err) => deps.log.error({ err }, 'scheduled backup failed'));
  };
  const first = setTimeout(tick, 30_000);
  const timer = setInterval(tick, Math.min(CHECK_EVERY_MS, deps.everyHours * HOUR));
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
