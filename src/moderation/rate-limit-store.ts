// Fixed-window counters and once-per-window marks in the database, so every process of a site
// counts together.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

/** Adds one hit to the bucket's window and returns the window's count after it. */
export async function countHit(db: Db, bucket: string, windowStart: number): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return Number(row.hits);
}

export async function deleteWindowsBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
}

/**
 * Marks `key` unless it was marked within the last `windowMs`; says whether it did. One statement:
 * of parallel callers, exactly one gets true. A refused call does not move the mark.
 */
export async function markOnce(db: Db, key: string, now: number, windowMs: number): Promise<boolean> {
  const row = await db
    .insertInto('rate_marks')
    .values({ key, marked_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ marked_at: now })
        .where('rate_marks.marked_at', '<=', now - windowMs),
    )
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteMarksBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('rate_marks').where('marked_at', '<', before).execute();
}
