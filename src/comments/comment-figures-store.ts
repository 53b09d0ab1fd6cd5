// Figures of readers' comments for the dashboard: bounded time ranges over indexed columns,
// grouped in the database into a few rows a day. The dashboard keeps whole days' figures
// (src/dashboard/kept-days.ts), so these read only days not kept yet. Day numbers are integer
// division of epoch ms, the same on SQLite and PostgreSQL (both divide integers as integers).
// Read through CommentQueries.
import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/tables.js';

/** A time range, on one author's posts or everyone's. */
export interface FiguresScope {
  since: number;
  until: number;
  authorId?: string | undefined;
}

// A day in ms, as the dashboard counts days (DAY_MS), written into the SQL (not bound), so GROUP BY
// sees the very expression SELECT has.
const DAY = sql.lit(86_400_000);

/** Readers' published comments in the range, on the scope's posts. */
function readerComments(db: Db, scope: FiguresScope) {
  let q = db
    .selectFrom('comments')
    .where('comments.status', '=', 'published')
    .where('comments.staff_user_id', 'is', null)
    .where('comments.created_at', '>=', scope.since)
    .where('comments.created_at', '<', scope.until);
  if (scope.authorId) {
    const authorId = scope.authorId;
    q = q.where('comments.post_id', 'in', (eb: ExpressionBuilder<Database, 'comments'>) =>
      eb.selectFrom('posts').select('posts.id').where('posts.author_id', '=', authorId),
    );
  }
  return q;
}

/** Readers' published comments in the range, by day and post. */
export async function commentsByDayAndPost(db: Db, scope: FiguresScope): Promise<{ day: number; post_id: string; n: number }[]> {
  const day = sql<number>`comments.created_at / ${DAY}`;
  const rows = await readerComments(db, scope)
    .select([day.as('day'), 'comments.post_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy([day, 'comments.post_id'])
    .execute();
  return rows.map((r) => ({ day: Number(r.day), post_id: r.post_id, n: Number(r.n) }));
}

/**
 * Each reader's top-level comment in the range, with the time of the first staff reply in its
 * thread: one short range of comments_root_idx per comment. (A join grouped by comment let
 * PostgreSQL hash every staff reply ever written: 6 s at 10 million comments, bench/SCALE.md.)
 */
export async function firstReplies(db: Db, scope: FiguresScope): Promise<{ created_at: number; first_reply: number | null }[]> {
  const rows = await readerComments(db, scope)
    .where('comments.parent_id', 'is', null)
    .select([
      'comments.id',
      'comments.created_at',
      (eb) =>
        eb
          .selectFrom('comments as r')
          .select((r) => r.fn.min('r.created_at').as('first'))
          .whereRef('r.root_id', '=', 'comments.id')
          .where('r.staff_user_id', 'is not', null)
          .where('r.status', '=', 'published')
          .whereRef('r.created_at', '>=', 'comments.created_at')
          .as('first_reply'),
    ])
    .execute();
  return rows.map((r) => ({ created_at: Number(r.created_at), first_reply: r.first_reply === null ? null : Number(r.first_reply) }));
}
