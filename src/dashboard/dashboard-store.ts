// The dashboard's queries: bounded time ranges over indexed columns, grouped in the database into
// a few dozen rows. Day and week numbers are integer division of epoch ms, the same on SQLite and
// PostgreSQL (both divide integers as integers).
import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/tables.js';
import { DAY_MS, WEEK_MS } from './dashboard-figures.js';

/** Whose posts count: one author's, or everyone's. */
export interface Scope {
  since: number;
  until: number;
  authorId?: string | undefined;
}

const WEEK_SHIFT = 3 * DAY_MS;
// Constants written into the SQL (not bound), so GROUP BY sees the very expression SELECT has.
const DAY = sql.lit(DAY_MS);
const WEEK = sql.lit(WEEK_MS);
const SHIFT = sql.lit(WEEK_SHIFT);

/** Readers' published comments in the range, on the scope's posts. */
function readerComments(db: Db, scope: Scope) {
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

export async function commentsPerDay(db: Db, scope: Scope): Promise<{ day: number; n: number }[]> {
  const day = sql<number>`comments.created_at / ${DAY}`;
  const rows = await readerComments(db, scope)
    .select([day.as('day'), (eb) => eb.fn.countAll().as('n')])
    .groupBy(day)
    .execute();
  return rows.map((r) => ({ day: Number(r.day), n: Number(r.n) }));
}

/** Each reader's top-level comment in the range, with the time of the first staff reply in its thread. */
export async function firstReplies(db: Db, scope: Scope): Promise<{ created_at: number; first_reply: number | null }[]> {
  const rows = await readerComments(db, scope)
    .where('comments.parent_id', 'is', null)
    .leftJoin('comments as r', (join) =>
      join
        .onRef('r.root_id', '=', 'comments.id')
        .on('r.staff_user_id', 'is not', null)
        .on('r.status', '=', 'published')
        .onRef('r.created_at', '>=', 'comments.created_at'),
    )
    .select(['comments.id', 'comments.created_at', (eb) => eb.fn.min('r.created_at').as('first_reply')])
    .groupBy(['comments.id', 'comments.created_at'])
    .execute();
  return rows.map((r) => ({ created_at: Number(r.created_at), first_reply: r.first_reply === null ? null : Number(r.first_reply) }));
}

export async function mostDiscussed(
  db: Db,
  scope: Scope,
  limit: number,
): Promise<{ id: string; slug: string; title: string; n: number }[]> {
  const rows = await readerComments(db, scope)
    .innerJoin('posts', 'posts.id', 'comments.post_id')
    .select(['posts.id', 'posts.slug', 'posts.title', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['posts.id', 'posts.slug', 'posts.title'])
    .orderBy('n', 'desc')
    .orderBy('posts.title')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, title: r.title, n: Number(r.n) }));
}

/** Confirmed newsletter subscribers: those still subscribed at `since`, then arrivals and departures by week. */
export async function newsletterMoves(db: Db, since: number, until: number) {
  const base = db.selectFrom('subscriptions').where('scope', '=', 'newsletter').where('confirmed_at', 'is not', null);
  const confirmedWeek = sql<number>`(subscriptions.confirmed_at + ${SHIFT}) / ${WEEK}`;
  const leftWeek = sql<number>`(subscriptions.unsubscribed_at + ${SHIFT}) / ${WEEK}`;
  const [before, arrivals, departures] = await Promise.all([
    base
      .select((eb) => eb.fn.countAll().as('n'))
      .where('confirmed_at', '<', since)
      .where((eb) => eb.or([eb('unsubscribed_at', 'is', null), eb('unsubscribed_at', '>=', since)]))
      .executeTakeFirstOrThrow(),
    base
      .select([confirmedWeek.as('week'), (eb) => eb.fn.countAll().as('n')])
      .where('confirmed_at', '>=', since)
      .where('confirmed_at', '<', until)
      .groupBy(confirmedWeek)
      .execute(),
    base
      .select([leftWeek.as('week'), (eb) => eb.fn.countAll().as('n')])
      .where('unsubscribed_at', '>=', since)
      .where('unsubscribed_at', '<', until)
      .groupBy(leftWeek)
      .execute(),
  ]);
  const rows = (list: { week: number; n: unknown }[]) => list.map((r) => ({ week: Number(r.week), n: Number(r.n) }));
  return { before: Number(before.n), arrivals: rows(arrivals), departures: rows(departures) };
}
