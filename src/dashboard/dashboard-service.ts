// The dashboard's figures for one staff member: an author sees her own posts, the owner all of
// them. Subscribers are the site's, so only the owner sees them.
import type { Staff } from '../accounts/accounts-service.js';
import { type LastBackup, lastBackup } from '../backup/backup-record.js';
import type { Clock } from '../clock.js';
import type { CommentQueries } from '../comments/comment-queries.js';
import type { Db } from '../db/connect.js';
import {
  type DayCount,
  daysWindowStart,
  fillDays,
  type ReplyWeek,
  replyTimesByWeek,
  runningTotalByWeek,
  type WeekTotal,
  weeksWindowStart,
} from './dashboard-figures.js';
import * as store from './dashboard-store.js';

export const COMMENT_DAYS = 30;
export const REPLY_WEEKS = 12;
export const SUBSCRIBER_WEEKS = 12;
export const TOP_POSTS = 5;

export interface DashboardFigures {
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
  return {
    lastBackup: () => lastBackup(db),
    async figures(staff) {
      if (staff.role !== 'owner' && staff.role !== 'author') return undefined;
      const now = clock.now();
      const authorId = staff.role === 'author' ? staff.id : undefined;
      const until = now + 1;
      const daysFrom = daysWindowStart(now, COMMENT_DAYS);
      const weeksFrom = weeksWindowStart(now, REPLY_WEEKS);
      const subsFrom = weeksWindowStart(now, SUBSCRIBER_WEEKS);
      const [perDay, replies, top, subs] = await Promise.all([
        comments.commentsPerDay({ since: daysFrom, until, authorId }),
        comments.firstReplies({ since: weeksFrom, until, authorId }),
        comments.mostDiscussed({ since: daysFrom, until, authorId }, TOP_POSTS),
        staff.role === 'owner' ? store.newsletterMoves(db, subsFrom, until) : Promise.resolve(undefined),
      ]);
      return {
        commentsPerDay: fillDays(perDay, now, COMMENT_DAYS),
        replyTimes: replyTimesByWeek(replies, now, REPLY_WEEKS),
        mostDiscussed: top.map((p) => ({ id: p.id, slug: p.slug, title: p.title, count: p.n })),
        subscribers: subs ? runningTotalByWeek(subs.before, subs.arrivals, subs.departures, now, SUBSCRIBER_WEEKS) : undefined,
      };
    },
  };
}
