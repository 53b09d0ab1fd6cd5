// The moderation queue's reads: comments by tab within a staff member's scope, newest first, the
// posts they sit under, and one commenter's history. Changes to comments never happen here: they go
// through the staff comment service.
import { olderThan, type StaffScope, scopedComments } from '../comments/comment-store.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus } from '../db/tables.js';

export const QUEUE_TABS = ['pending', 'private', 'spam', 'trash', 'all'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/** "All" is everything but the trash, like the admin API without a status. */
const ALL: readonly CommentStatus[] = ['pending', 'published', 'spam'];

export async function queuePage(
  db: Db,
  q: { tab: QueueTab; scope: StaffScope; limit: number; before: [number, string] | undefined },
): Promise<{ rows: CommentRow[]; total: number }> {
  let base = scopedComments(db, q.scope);
  if (q.tab === 'private')
    base = base.where('comments.visibility', '=', 'private').where('comments.status', 'in', ['pending', 'published']);
  else if (q.tab === 'all') base = base.where('comments.status', 'in', ALL);
  else base = base.where('comments.status', '=', q.tab);
  const total = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  let page = base.selectAll('comments');
  if (q.before) page = page.where(olderThan(q.before));
  const rows = await page.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(q.limit).execute();
  return { rows, total: Number(total.n) };
}

/** Every comment written under one email, within the scope, newest first (the author_email index). */
export function commenterComments(db: Db, email: string, scope: StaffScope, limit: number): Promise<CommentRow[]> {
  return scopedComments(db, scope)
    .selectAll('comments')
    .where('comments.author_email', '=', email)
    .where('comments.staff_user_id', 'is', null)
    .orderBy('comments.created_at', 'desc')
    .orderBy('comments.id', 'desc')
    .limit(limit)
    .execute();
}

export interface QueuePost {
  id: string;
  slug: string;
  title: string;
  author_id: string;
}

export async function postsById(db: Db, ids: readonly string[]): Promise<Map<string, QueuePost>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('posts').select(['id', 'slug', 'title', 'author_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((p) => [p.id, p]));
}
