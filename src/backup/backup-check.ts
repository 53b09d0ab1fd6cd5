// What a backup is checked by: the rows of each table it holds, and a checksum of every comment
// (its id, place, state, author and words). A restore is right when both come out the same.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { BACKUP_TABLES } from '../importers/backup.js';

export interface BackupCheck {
  counts: Record<string, number>;
  /** sha256 over every comment in id order. */
  commentsChecksum: string;
}

const PAGE = 1000;

export async function checkOf(db: Db): Promise<BackupCheck> {
  const counts: Record<string, number> = {};
  for (const { name } of BACKUP_TABLES) {
    const row = await db
      .selectFrom(name as 'comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[name] = Number(row.n);
  }
  const hash = createHash('sha256');
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('comments')
      .select([
        'id',
        'post_id',
        'parent_id',
        'root_id',
        'status',
        'visibility',
        'author_name',
        'author_email',
        'markdown',
        'created_at',
        'edited_at',
      ])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const r of rows) {
      hash.update(
        `${JSON.stringify([r.id, r.post_id, r.parent_id, r.root_id, r.status, r.visibility, r.author_name, r.author_email, r.markdown, Number(r.created_at), r.edited_at === null ? null : Number(r.edited_at)])}\n`,
      );
    }
    if (rows.length < PAGE) break;
    after = (rows[rows.length - 1] as { id: string }).id;
  }
  return { counts, commentsChecksum: `sha256:${hash.digest('hex')}` };
}

/** The differences between what a backup holds and what a restore made, as lines; empty when equal. */
export function differences(expected: BackupCheck, actual: BackupCheck): string[] {
  const out: string[] = [];
  for (const [table, n] of Object.entries(expected.counts)) {
    if (actual.counts[table] !== n) out.push(`${table}: the backup holds ${n}, the site has ${actual.counts[table] ?? 0}`);
  }
  if (expected.commentsChecksum !== actual.commentsChecksum)
    out.push(`comments checksum: backup ${expected.commentsChecksum}, site ${actual.commentsChecksum}`);
  return out;
}
