// The dashboard's figures of whole days, kept once computed (migration 028): a day's figures
// change only when a write marks the day (triggers move comment_day_marks), so a kept row is good
// while the mark it was computed under is still the day's. Reading the marks before computing
// makes a race harmless: a write that lands meanwhile moves the mark past the one kept, and the
// day is computed again on the next view.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { DayFigures } from './dashboard-figures.js';

/** '' for every post; an author's id for hers. */
export const scopeKey = (authorId: string | undefined): string => authorId ?? '';

/** The kept figures of the days from `from` to `to` (day numbers) that are still good. */
export async function keptDays(db: Db, scope: string, from: number, to: number): Promise<Map<number, DayFigures>> {
  if (to < from) return new Map();
  const { rows } = await sql<{ day: number; figures: string }>`
    select k.day, k.figures from comment_days k
    left join comment_day_marks m on m.day = k.day
    left join comment_day_marks every_day on every_day.day = -1
    where k.scope = ${scope} and k.day >= ${from} and k.day <= ${to}
      and k.mark = coalesce(m.mark, 0) + coalesce(every_day.mark, 0)`.execute(db);
  return new Map(rows.map((r) => [Number(r.day), JSON.parse(r.figures) as DayFigures]));
}

/** Each day's mark as a kept row must record it: its own changes plus every day's. */
export async function dayMarks(db: Db, days: readonly number[]): Promise<Map<number, number>> {
  if (days.length === 0) return new Map();
  const rows = await db
    .selectFrom('comment_day_marks')
    .select(['day', 'mark'])
    .where('day', 'in', [-1, ...days])
    .execute();
  const of = new Map(rows.map((r) => [Number(r.day), Number(r.mark)]));
  const everyDay = of.get(-1) ?? 0;
  return new Map(days.map((d) => [d, (of.get(d) ?? 0) + everyDay]));
}

/**
 * Keeps these days' figures under the marks read before they were computed, and forgets the
 * scope's days before `oldest`, which no view shows any more.
 */
export async function keepDays(
  db: Db,
  scope: string,
  figures: ReadonlyMap<number, DayFigures>,
  marks: ReadonlyMap<number, number>,
  oldest: number,
): Promise<void> {
  const rows = [...figures].map(([day, f]) => ({ scope, day, figures: JSON.stringify(f), mark: marks.get(day) ?? 0 }));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('comment_days').where('scope', '=', scope).where('day', '<', oldest).execute();
    // A few hundred rows a statement keeps every statement's parameters well within both databases' limits.
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('comment_days')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) =>
          oc.columns(['scope', 'day']).doUpdateSet((eb) => ({ figures: eb.ref('excluded.figures'), mark: eb.ref('excluded.mark') })),
        )
        .execute();
    }
  });
}
