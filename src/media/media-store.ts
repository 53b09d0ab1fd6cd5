// Rows of uploaded images. Plain functions of (db, args); callers own transactions.
import type { Db } from '../db/connect.js';
import type { MediaRow } from '../db/tables.js';

export async function insertMedia(db: Db, row: MediaRow): Promise<void> {
  await db.insertInto('media').values(row).execute();
}

export async function mediaByIds(db: Db, ids: readonly string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
}
