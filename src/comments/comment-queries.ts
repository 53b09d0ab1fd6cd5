// The one surface through which the workspace reads comments: the moderation queue, a commenter's
// history, the inbox's waiting threads and their count, a thread's rows, staff names and roles,
// and the dashboard's figures of readers' comments. The inbox, the moderation pages and the
// dashboard ask here instead of writing SQL on comments;
// changes go through the staff comment service. Each read stays within the staff member's scope.
import type { Staff } from '../accounts/accounts-service.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus, StaffRole } from '../db/tables.js';
import * as figures from './comment-figures-store.js';
import * as store from './comment-store.js';
import { scopeOf } from './staff-comment-service.js';

export const QUEUE_TABS = ['pending', 'private', 'spam', 'trash', 'all'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/** "All" is everything but the trash, like the admin API without a status. */
const ALL: readonly CommentStatus[] = ['pending', 'published', 'spam'];

export interface CommentQueries {
  /** One tab of the moderation queue within the staff member's scope, newest first; the total up to COUNT_CAP + 1. */
  queuePage(
    staff: Staff,
    q: { tab: QueueTab; limit: number; before: [number, string] | undefined },
  ): Promise<{ rows: CommentRow[]; total: number }>;
  /** Every comment a reader wrote under one email, within the scope, newest first. */
  commenterComments(staff: Staff, email: string, limit: number): Promise<CommentRow[]>;
  /** Threads awaiting an answer within the staff member's scope, up to COUNT_CAP + 1: the inbox's badge. */
  countAwaiting(staff: Staff): Promise<number>;
  /** Every comment of these threads, in any state (callers filter by what the viewer may see). */
  threadsComments(rootIds: readonly string[]): Promise<CommentRow[]>;
  findComments(ids: readonly string[]): Promise<CommentRow[]>;
  /** The roles of these staff members, for badges. */
  rolesOf(staffIds: readonly string[]): Promise<Map<string, StaffRole>>;
  /** The names of these staff members, for "edited by". */
  staffNames(staffIds: readonly string[]): Promise<Map<string, string>>;
  /** Readers' published comments by day (epoch ms / day) and post in the range: the dashboard. */
  commentsByDayAndPost(scope: figures.FiguresScope): Promise<{ day: number; post_id: string; n: number }[]>;
  /** Each reader's top-level comment in the range, with the time of the first staff reply in its thread. */
  firstReplies(scope: figures.FiguresScope): Promise<{ created_at: number; first_reply: number | null }[]>;
}

export function createCommentQueries(db: Db): CommentQueries {
  return {
    async queuePage(staff, q) {
      let base = store.scopedComments(db, scopeOf(staff));
      if (q.tab === 'private')
        base = base.where('comments.visibility', '=', 'private').where('comments.status', 'in', ['pending', 'published']);
      else if (q.tab === 'all') base = base.where('comments.status', 'in', ALL);
      else base = base.where('comments.status', '=', q.tab);
      let page = base.selectAll('comments');
      if (q.before) page = page.where(store.olderThan(q.before));
      // The tab's count beside its page's read.
      const [total, rows] = await Promise.all([
        store.countUpTo(db, base.orderBy('comments.created_at', 'desc')),
        page.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(q.limit).execute(),
      ]);
      return { rows, total };
    },

    // The author_email index.
    commenterComments: (staff, email, limit) =>
      store
        .scopedComments(db, scopeOf(staff))
        .selectAll('comments')
        .where('comments.author_email', '=', email)
        .where('comments.staff_user_id', 'is', null)
        .orderBy('comments.created_at', 'desc')
        .orderBy('comments.id', 'desc')
        .limit(limit)
        .execute(),

    countAwaiting: (staff) => store.countAwaiting(db, scopeOf(staff)),
    threadsComments: (rootIds) => store.commentsOfRoots(db, rootIds),
    findComments: (ids) => store.findComments(db, ids),
    rolesOf: (ids) => store.rolesOf(db, ids),
    staffNames: (ids) => store.staffNames(db, ids),
    commentsByDayAndPost: (scope) => figures.commentsByDayAndPost(db, scope),
    firstReplies: (scope) => figures.firstReplies(db, scope),
  };
}
