// The inbox's own rows: the "no reply needed" mark on a thread, the count behind the navigation
// badge, and the authors of the posts an inbox page shows. Callers own the transaction.
import type { StaffScope } from '../comments/comment-store.js';
import type { Db } from '../db/connect.js';

/**
 * Marks the thread as needing no reply up to `at` (never moving an earlier mark back); the caller
 * recounts the thread after it.
 */
export async function markDismissed(db: Db, rootId: string, at: number): Promise<void> {
  await db
    .updateTable('threads')
    .set({ dismissed_at: at })
    .where('root_id', '=', rootId)
    .where((eb) => eb.or([eb('dismissed_at', 'is', null), eb('dismissed_at', '<', at)]))
    .execute();
}

/**
 * Threads awaiting an answer within the staff member's scope: one range of the partial index on
 * awaiting_since (joined to posts for an author, to the waiting comment for a moderator).
 */
export async function countAwaiting(db: Db, scope: StaffScope): Promise<number> {
  let q = db.selectFrom('threads').where('threads.awaiting_since', 'is not', null);
  if (scope.kind === 'posts-of') {
    const authorId = scope.authorId;
    q = q.where('threads.post_id', 'in', (eb) => eb.selectFrom('posts').select('posts.id').where('posts.author_id', '=', authorId));
  }
  if (scope.kind === 'public' || scope.kind === 'public-or-posts-of') {
    const own = scope.kind === 'public-or-posts-of' ? scope.authorId : null;
    q = q
      .innerJoin('comments', 'comments.id', 'threads.awaiting_comment_id')
      .innerJoin('posts', 'posts.id', 'threads.post_id')
      .where((eb) =>
        own === null
          ? eb('comments.visibility', '=', 'public')
          : eb.or([eb('comments.visibility', '=', 'public'), eb('posts.author_id', '=', own)]),
      );
  }
  const row = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Who wrote each of these posts: whose older posts are suggested beside a reply. */
export async function postAuthors(db: Db, postIds: readonly string[]): Promise<Map<string, string>> {
  if (postIds.length === 0) return new Map();
  const rows = await db.selectFrom('posts').select(['id', 'author_id']).where('id', 'in', postIds).execute();
  return new Map(rows.map((r) => [r.id, r.author_id]));
}
