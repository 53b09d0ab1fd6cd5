// Where the site keeps word of its last backup (a setting), and the lease by which one process of
// many takes the scheduled backup: whoever moves the lease's time forward first takes it.
import type { Db } from '../db/connect.js';
import { readSetting, writeSetting } from '../settings/settings-store.js';

const LAST = 'backup.last';
const LEASE = 'backup.lease';

export interface LastBackup {
  at: number;
  folder: string;
  comments: number;
}

export async function lastBackup(db: Db): Promise<LastBackup | null> {
  const value = (await readSetting(db, LAST)) as Partial<LastBackup> | undefined | null;
  return value && typeof value.at === 'number' && typeof value.folder === 'string'
    ? { at: value.at, folder: value.folder, comments: Number(value.comments ?? 0) }
    : null;
}

export function recordBackup(db: Db, backup: LastBackup): Promise<void> {
  return writeSetting(db, LAST, backup, backup.at);
}

/** True when this process now holds the lease until `now + ms`; one statement, so only one process wins. */
export async function claimBackupLease(db: Db, now: number, ms: number): Promise<boolean> {
  await db
    .insertInto('settings')
    .values({ key: LEASE, value: '0', updated_at: 0 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const result = await db
    .updateTable('settings')
    .set({ value: String(now + ms), updated_at: now })
    .where('key', '=', LEASE)
    .where('updated_at', '<=', now - ms)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
