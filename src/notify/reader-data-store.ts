// A reader's own comments, found by her address: to export them, or to erase what identifies her.
// Keeps the post's count and the thread summary in step with what it removes.
import { sql } from 'kysely';
import { noteCommentInThread, removeThread } from '../comments/comment-store.js';
import type { Db } from '../db/connect.js';

export const ANONYMOUS_NAME = 'A reader';
export const REMOVED_HTML = '<p><em>This comment was removed by its writer.</em></p>';

export function readerComments(db: Db, email: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('posts as p', 'p.id', 'c.post_id')
    .select([
      'c.id',
      'c.parent_id',
      'c.status',
      'c.visibility',
      'c.author_name',
      'c.author_email',
      'c.author_url',
      'c.markdown',
      'c.created_at',
      'c.edited_at',
      'p.slug as post_slug',
      'p.title as post_title',
    ])
    .where('c.author_email', '=', email)
    .where('c.staff_user_id', 'is', null)
    .orderBy('c.created_at')
    .execute();
}

export async function countReaderComments(db: Db, email: string): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('author_email', '=', email)
    .where('staff_user_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const anonymous = {
  author_name: ANONYMOUS_NAME,
  author_email: '',
  author_url: null,
  ip: null,
  user_agent: null,
  edit_token_hash: null,
  notify: 0,
};

/** Keeps her words, removes who she is. */
export async function anonymizeReaderComments(db: Db, email: string): Promise<number> {
  const result = await db
    .updateTable('comments')
    .set(anonymous)
    .where('author_email', '=', email)
    .where('staff_user_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Removes her comments. One that others answered stays as an anonymous "removed" marker so the
 * answers keep their place; the others are deleted.
 */
export async function removeReaderComments(db: Db, email: string): Promise<number> {
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'post_id', 'root_id', 'status', 'visibility'])
    .where('author_email', '=', email)
    .where('staff_user_id', 'is', null)
    .orderBy('depth', 'desc')
    .execute();
  for (const c of rows) {
    const answered = await db.selectFrom('comments').select('id').where('parent_id', '=', c.id).limit(1).executeTakeFirst();
    if (answered) {
      await db
        .updateTable('comments')
        .set({ ...anonymous, markdown: '', html: REMOVED_HTML })
        .where('id', '=', c.id)
        .execute();
      continue;
    }
    await db.deleteFrom('comments').where('id', '=', c.id).execute();
    const shown = c.status === 'published' && c.visibility === 'public';
    if (shown) {
      await db.updateTable('posts').set({ comment_count: sql`comment_count - 1` }).where('id', '=', c.post_id).execute();
    }
    // The thread goes with its first comment; otherwise its summary is counted again without hers.
    if (c.root_id === c.id) await removeThread(db, c);
    else await noteCommentInThread(db, c);
  }
  return rows.length;
}
