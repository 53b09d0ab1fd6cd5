// The dashboard's arithmetic, kept pure: days and weeks in UTC from epoch milliseconds, medians,
// running totals. The store hands over small grouped rows; these shape them for the charts.

export const DAY_MS = 24 * 60 * 60 * 1000;
export const WEEK_MS = 7 * DAY_MS;
// 1970-01-01 was a Thursday: three days on, weeks start on Monday.
const WEEK_SHIFT_MS = 3 * DAY_MS;

/** The UTC day number of a time (days since 1970-01-01). */
export const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);
/** The week number of a time, weeks starting on Monday 00:00 UTC. */
export const weekNumber = (ms: number) => Math.floor((ms + WEEK_SHIFT_MS) / WEEK_MS);
/** When a week (by number) starts. */
export const weekStartOf = (week: number) => week * WEEK_MS - WEEK_SHIFT_MS;

/** The first moment of the `days` UTC days that end with today. */
export const daysWindowStart = (now: number, days: number) => (dayNumber(now) - days + 1) * DAY_MS;
/** The first moment of the `weeks` weeks that end with this one. */
export const weeksWindowStart = (now: number, weeks: number) => weekStartOf(weekNumber(now) - weeks + 1);

/** One whole day's figures for one part of the site, as the dashboard keeps them (kept-days.ts). */
export interface DayFigures {
  /** Readers' published comments of the day, by post id. */
  posts: [postId: string, count: number][];
  /** For each of the day's answered questions (readers' top-level comments), the wait for the first staff reply, ms. */
  waits: number[];
  /** The day's questions with no staff reply yet. */
  waiting: number;
}

/** The days from `from` to `to` (day numbers) that `have` lacks, as runs of consecutive days. */
export function missingRuns(from: number, to: number, have: { has(day: number): boolean }): [first: number, last: number][] {
  const runs: [number, number][] = [];
  for (let d = from; d <= to; d++) {
    if (have.has(d)) continue;
    const last = runs.at(-1);
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

/** Each day's figures, from the grouped rows of a span: every day from `from` to `to` has one. */
export function figuresOfDays(
  from: number,
  to: number,
  counts: readonly { day: number; post_id: string; n: number }[],
  replies: readonly { created_at: number; first_reply: number | null }[],
): Map<number, DayFigures> {
  const days = new Map<number, DayFigures>();
  for (let d = from; d <= to; d++) days.set(d, { posts: [], waits: [], waiting: 0 });
  for (const r of counts) days.get(Number(r.day))?.posts.push([r.post_id, Number(r.n)]);
  for (const r of replies) {
    const day = days.get(dayNumber(Number(r.created_at)));
    if (!day) continue;
    if (r.first_reply === null || r.first_reply === undefined) day.waiting += 1;
    else day.waits.push(Number(r.first_reply) - Number(r.created_at));
  }
  return days;
}

/** Readers' comments per day, as fillDays reads them. */
export const commentsPerDayOf = (days: ReadonlyMap<number, DayFigures>): { day: number; n: number }[] =>
  [...days].map(([day, f]) => ({ day, n: f.posts.reduce((sum, [, n]) => sum + n, 0) }));

/**
 * For each week, the median wait for a first staff reply to the questions of its days (whole days
 * make whole weeks: both start at midnight UTC), grouped by the week the question came.
 */
export function replyTimesOfDays(days: ReadonlyMap<number, DayFigures>, now: number, weeks: number): ReplyWeek[] {
  const byWeek = new Map<number, DayFigures[]>();
  for (const [day, f] of days) {
    const w = weekNumber(day * DAY_MS);
    const list = byWeek.get(w) ?? [];
    if (list.length === 0) byWeek.set(w, list);
    list.push(f);
  }
  const current = weekNumber(now);
  return Array.from({ length: weeks }, (_, i) => {
    const w = current - weeks + 1 + i;
    const list = byWeek.get(w) ?? [];
    const waits = new Float64Array(list.reduce((n, f) => n + f.waits.length, 0));
    let at = 0;
    for (const f of list) {
      waits.set(f.waits, at);
      at += f.waits.length;
    }
    const waiting = list.reduce((n, f) => n + f.waiting, 0);
    return { weekStart: weekStartOf(w), medianMs: median(waits), answered: waits.length, waiting };
  });
}

/** Readers' comments by post over the days from `from` on, most first. */
export function commentsByPostSince(days: ReadonlyMap<number, DayFigures>, from: number): [postId: string, count: number][] {
  const byPost = new Map<string, number>();
  for (const [day, f] of days) {
    if (day < from) continue;
    for (const [id, n] of f.posts) byPost.set(id, (byPost.get(id) ?? 0) + n);
  }
  return [...byPost].sort((a, b) => b[1] - a[1]);
}

export interface DayCount {
  /** The day's first moment (epoch ms, UTC). */
  day: number;
  count: number;
}

/** One entry per day of the window, oldest first, days without rows counted as 0. */
export function fillDays(rows: readonly { day: number; n: number }[], now: number, days: number): DayCount[] {
  const byDay = new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
  const today = dayNumber(now);
  return Array.from({ length: days }, (_, i) => {
    const d = today - days + 1 + i;
    return { day: d * DAY_MS, count: byDay.get(d) ?? 0 };
  });
}

export function median(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  // A typed array sorts numbers as numbers, several times faster than a compare function: a week of
  // a large site holds tens of thousands of waits.
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface ReplyWeek {
  weekStart: number;
  /** The median wait for an author's first reply, of the week's answered questions; null if none. */
  medianMs: number | null;
  answered: number;
  /** Questions of that week with no staff reply yet. */
  waiting: number;
}

export interface WeekTotal {
  weekStart: number;
  /** At the end of the week (or now, for this week). */
  count: number;
}

/** A running total by week: those counted before the window, plus each week's arrivals, less its departures. */
export function runningTotalByWeek(
  before: number,
  arrivals: readonly { week: number; n: number }[],
  departures: readonly { week: number; n: number }[],
  now: number,
  weeks: number,
): WeekTotal[] {
  const plus = new Map(arrivals.map((r) => [Number(r.week), Number(r.n)]));
  const minus = new Map(departures.map((r) => [Number(r.week), Number(r.n)]));
  const current = weekNumber(now);
  let total = before;
  return Array.from({ length: weeks }, (_, i) => {
    const w = current - weeks + 1 + i;
    total += (plus.get(w) ?? 0) - (minus.get(w) ?? 0);
    return { weekStart: weekStartOf(w), count: total };
  });
}

/** A wait in words: minutes under two hours, hours under two days, then days. */
export function waitText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = ms / 3_600_000;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}
