// The inbound_mail table, and the two facts about a comment that placing a reply needs.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { InboundMailTable, PostRow } from '../db/tables.js';

export type InboundRow = Selectable<InboundMailTable>;
export type NewInbound = InboundRow;

/** Outcomes listed as "mail we could not place". */
export const UNPLACED = ['refused', 'ignored'] as const;

export async function insertInbound(db: Db, row: NewInbound): Promise<boolean> {
  try {
    await db.insertInto('inbound_mail').values(row).execute();
    return true;
  } catch (err) {
    // The unique placed_key: the same message is being (or was) placed already.
    if (row.placed_key !== null && (await findPlaced(db, row.placed_key))) return false;
    throw err;
  }
}

export function findPlaced(db: Db, messageId: string): Promise<InboundRow | undefined> {
  return db.selectFrom('inbound_mail').selectAll().where('placed_key', '=', messageId).executeTakeFirst();
}

/** The newest message received, whatever became of it. */
export function lastReceived(db: Db): Promise<Pick<InboundRow, 'received_at' | 'via'> | undefined> {
  return db.selectFrom('inbound_mail').select(['received_at', 'via']).orderBy('received_at', 'desc').limit(1).executeTakeFirst();
}

export function findInbound(db: Db, id: string): Promise<InboundRow | undefined> {
  return db.selectFrom('inbound_mail').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateInbound(db: Db, id: string, patch: Partial<Omit<InboundRow, 'id'>>): Promise<void> {
  await db.updateTable('inbound_mail').set(patch).where('id', '=', id).execute();
}

export async function listUnplaced(db: Db, limit: number): Promise<{ rows: InboundRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('inbound_mail')
      .selectAll()
      .where('outcome', 'in', UNPLACED)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('inbound_mail')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('outcome', 'in', UNPLACED)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface ReplyTarget {
  comment: { id: string; post_id: string; status: string; visibility: string; author_email: string; staff_user_id: string | null };
}

export function findTargetComment(db: Db, id: string) {
  return db
    .selectFrom('comments')
    .select(['id', 'post_id', 'status', 'visibility', 'author_email', 'staff_user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findPost(db: Db, id: string): Promise<PostRow | undefined> {
  return db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst() as Promise<PostRow | undefined>;
}

/** Whether the site has queued mail to this address (a bounce about any other is not ours to believe). */
export async function wasMailed(db: Db, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('outbox')
    .select('id')
    .where('payload', 'like', `%${JSON.stringify({ to: address }).slice(1, -1)}%`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these spellings of her address, the one she has written comments with before. */
export async function knownReaderAddress(db: Db, candidates: string[]): Promise<string | undefined> {
  for (const email of candidates) {
    const row = await db.selectFrom('comments').select('id').where('author_email', '=', email).limit(1).executeTakeFirst();
    if (row) return email;
  }
  return undefined;
}

/** The name she signed her last comment with, to sign this one the same way. */
export async function lastNameUsed(db: Db, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('comments')
    .select('author_name')
    .where('author_email', '=', email)
    .where('staff_user_id', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.author_name;
}
