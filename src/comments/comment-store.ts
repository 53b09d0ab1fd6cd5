// Comment rows and the per-thread summary kept beside them. Callers own the transaction.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { CommentRow, NewComment } from '../db/tables.js';

export async function insertComment(db: Db, comment: NewComment): Promise<void> {
  await db.insertInto('comments').values(comment).execute();
}

export function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every published public comment of a post, oldest first: the thread readers see. */
export function listPublicComments(db: Db, postId: string): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('post_id', '=', postId)
    .where('status', '=', 'published')
    .where('visibility', '=', 'public')
    .orderBy('root_id')
    .orderBy('created_at')
    .execute();
}

/**
 * Records a newly published comment in its thread's summary: a staff reply answers the thread;
 * a reader's words start (or continue) its wait for an answer.
 */
export async function noteCommentInThread(
  db: Db,
  c: Pick<CommentRow, 'id' | 'post_id' | 'root_id' | 'created_at' | 'staff_user_id'>,
): Promise<void> {
  const isStaff = c.staff_user_id !== null;
  await db
    .insertInto('threads')
    .values({
      root_id: c.root_id,
      post_id: c.post_id,
      last_reader_at: isStaff ? null : c.created_at,
      last_staff_at: isStaff ? c.created_at : null,
      awaiting_since: isStaff ? null : c.created_at,
      awaiting_comment_id: isStaff ? null : c.id,
      reply_count: c.root_id === c.id ? 0 : 1,
    })
    .onConflict((oc) =>
      oc.column('root_id').doUpdateSet(
        isStaff
          ? { last_staff_at: c.created_at, awaiting_since: null, awaiting_comment_id: null, reply_count: sql`threads.reply_count + 1` }
          : {
              last_reader_at: c.created_at,
              awaiting_since: sql`coalesce(threads.awaiting_since, ${c.created_at})`,
              awaiting_comment_id: sql`coalesce(threads.awaiting_comment_id, ${c.id})`,
              reply_count: sql`threads.reply_count + 1`,
            },
      ),
    )
    .execute();
}

/** Adds `delta` to a post's count of published public comments. */
export async function bumpCommentCount(db: Db, postId: string, delta: number): Promise<void> {
  await db
    .updateTable('posts')
    .set({ comment_count: sql`comment_count + ${delta}` })
    .where('id', '=', postId)
    .execute();
}
