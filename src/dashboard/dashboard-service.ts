// The dashboard's figures for one staff member: an author sees her own posts, the owner all of
// them. Subscribers are the site's, so only the owner sees them.
import type { Staff } from '../accounts/accounts-service.js';
import { type LastBackup, lastBackup } from '../backup/backup-record.js';
import type { Clock } from '../clock.js';
import type { CommentQueries } from '../comments/comment-queries.js';
import type { Db } from '../db/connect.js';
import {
  commentsByPostSince,
  commentsPerDayOf,
  DAY_MS,
  type DayCount,
  type DayFigures,
  dayNumber,
  daysWindowStart,
  figuresOfDays,
  fillDays,
  missingRuns,
  type ReplyWeek,
  replyTimesOfDays,
  runningTotalByWeek,
  type WeekTotal,
  weeksWindowStart,
} from './dashboard-figures.js';
import * as store from './dashboard-store.js';
import { dayMarks, keepDays, keptDays, scopeKey } from './kept-days.js';

export const COMMENT_DAYS = 30;
export const REPLY_WEEKS = 12;
export const SUBSCRIBER_WEEKS = 12;
export const TOP_POSTS = 5;
/**
 * A day is kept once it ended this long ago: a reader's comment written within the hour marks no
 * day (migration 028), so the hot path of posting writes no shared row, and a day still taking
 * such comments is read afresh.
 */
const KEEP_AFTER_MS = 3_600_000;
/** Posts tied for the last place among the most discussed are ordered by title, among at most these. */
const TIED_POSTS = 1000;

export interface DashboardFigures {
  /** Threads awaiting this staff member's reply, up to COUNT_CAP + 1. */
  awaiting: number;
  commentsPerDay: DayCount[];
  replyTimes: ReplyWeek[];
  mostDiscussed: { id: string; slug: string; title: string; count: number }[];
  /** Confirmed newsletter subscribers by week; undefined when this viewer does not see them. */
  subscribers: WeekTotal[] | undefined;
}

export interface DashboardService {
  /** Undefined for a role that has no posts to measure (moderators). */
  figures(staff: Staff): Promise<DashboardFigures | undefined>;
  /** The last backup taken (by `hearth backup` or the schedule), or null when none is recorded. */
  lastBackup(): Promise<LastBackup | null>;
}

export function createDashboardService(deps: { db: Db; clock: Clock; comments: CommentQueries }): DashboardService {
  const { db, clock, comments } = deps;

  /** Each day's figures from `from` to `to` (day numbers), read from the comments. */
  async function readDays(from: number, to: number, authorId: string | undefined, until: number): Promise<Map<number, DayFigures>> {
    const scope = { since: from * DAY_MS, until: Math.min((to + 1) * DAY_MS, until), authorId };
    const [counts, replies] = await Promise.all([comments.commentsByDayAndPost(scope), comments.firstReplies(scope)]);
    return figuresOfDays(from, to, counts, replies);
  }

  /** Every day's figures from `from` to today: whole days kept, the others read and kept, the latest read. */
  async function daysFrom(from: number, authorId: string | undefined, now: number, until: number): Promise<Map<number, DayFigures>> {
    const scope = scopeKey(authorId);
    const lastKept = dayNumber(now - KEEP_AFTER_MS) - 1;
    const kept = await keptDays(db, scope, from, lastKept);
    const runs = missingRuns(from, lastKept, kept);
    // The marks first: a write landing while the days are read moves its day's mark past the one kept.
    const marks = await dayMarks(
      db,
      runs.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)),
    );
    const [fresh, latest] = await Promise.all([
      Promise.all(runs.map(([a, b]) => readDays(a, b, authorId, until))),
      readDays(Math.max(from, lastKept + 1), dayNumber(now), authorId, until),
    ]);
    const read = new Map(fresh.flatMap((m) => [...m]));
    if (read.size > 0) await keepDays(db, scope, read, marks, from);
    return new Map([...kept, ...read, ...latest].sort((x, y) => x[0] - y[0]));
  }

  /** The posts with the most readers' comments, ties by title, as the chart lists them. */
  async function mostDiscussed(byPost: [string, number][]): Promise<DashboardFigures['mostDiscussed']> {
    const last = byPost[TOP_POSTS - 1]?.[1] ?? 0;
    const candidates = byPost.filter(([, n]) => n >= last).slice(0, TIED_POSTS);
    const count = new Map(candidates);
    const headings = await store.postHeadings(
      db,
      candidates.map(([id]) => id),
    );
    return headings
      .map((p) => ({ id: p.id, slug: p.slug, title: p.title, count: count.get(p.id) ?? 0 }))
      .sort((a, b) => b.count - a.count || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0))
      .slice(0, TOP_POSTS);
  }

  return {
    lastBackup: () => lastBackup(db),
    async figures(staff) {
      if (staff.role !== 'owner' && staff.role !== 'author') return undefined;
      const now = clock.now();
      const authorId = staff.role === 'author' ? staff.id : undefined;
      const until = now + 1;
      const commentsFrom = daysWindowStart(now, COMMENT_DAYS);
      const weeksFrom = weeksWindowStart(now, REPLY_WEEKS);
      const subsFrom = weeksWindowStart(now, SUBSCRIBER_WEEKS);
      const [days, subs, awaiting] = await Promise.all([
        daysFrom(dayNumber(Math.min(commentsFrom, weeksFrom)), authorId, now, until),
        staff.role === 'owner' ? store.newsletterMoves(db, subsFrom, until) : Promise.resolve(undefined),
        comments.countAwaiting(staff),
      ]);
      const commentDays = new Map([...days].filter(([day]) => day >= dayNumber(commentsFrom)));
      const replyDays = new Map([...days].filter(([day]) => day >= dayNumber(weeksFrom)));
      return {
        awaiting,
        commentsPerDay: fillDays(commentsPerDayOf(commentDays), now, COMMENT_DAYS),
        replyTimes: replyTimesOfDays(replyDays, now, REPLY_WEEKS),
        mostDiscussed: await mostDiscussed(commentsByPostSince(days, dayNumber(commentsFrom))),
        subscribers: subs ? runningTotalByWeek(subs.before, subs.arrivals, subs.departures, now, SUBSCRIBER_WEEKS) : undefined,
      };
    },
  };
}
