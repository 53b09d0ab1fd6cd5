// The dashboard's own query: newsletter subscribers by week (its comment figures are read through
// CommentQueries, src/comments/comment-figures-store.ts). Week numbers are integer division of
// epoch ms, the same on SQLite and PostgreSQL (both divide integers as integers).
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { DAY_MS, WEEK_MS } from './dashboard-figures.js';

const WEEK_SHIFT = 3 * DAY_MS;
// Constants written into the SQL (not bound), so GROUP BY sees the very expression SELECT has.
const WEEK = sql.lit(WEEK_MS);
const SHIFT = sql.lit(WEEK_SHIFT);

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

/** The slug and title of each of these posts (the most discussed). */
export function postHeadings(db: Db, ids: readonly string[]): Promise<{ id: string; slug: string; title: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('posts').select(['id', 'slug', 'title']).where('id', 'in', ids).execute();
}
