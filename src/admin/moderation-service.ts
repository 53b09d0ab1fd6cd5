// The moderation queue and a commenter's history, for the workspace pages. Reading happens here;
// every change to a comment goes through the staff comment service, which holds the permissions
// and keeps counts and thread summaries right. Trust and block live in the conversation settings,
// where the hold decision (src/moderation/moderation-rules.ts) reads them.
import type { Staff } from '../accounts/accounts-service.js';
import { canStaffEditComment } from '../comments/comment-policy.js';
import type { CommentQueries } from '../comments/comment-queries.js';
import type { CommentAction } from '../comments/comment-states.js';
import { editMarkOf, editorIds } from '../comments/edit-mark.js';
import type { StaffComment, StaffCommentService } from '../comments/staff-comment-service.js';
import type { Db } from '../db/connect.js';
import type { CommentRow } from '../db/tables.js';
import { ForbiddenError, HearthError } from '../errors.js';
import type { ConversationSettingsService } from '../moderation/conversation-settings.js';
import { canBlockCommenter, canTrustCommenter } from './moderation-permissions.js';
import { postsById, type QueuePost, type QueueTab } from './moderation-store.js';

export interface QueueItem {
  comment: StaffComment;
  /** The comment it answers, when there is one. */
  parent: CommentRow | undefined;
  post: QueuePost;
  /** Whether this staff member may change its words (a colleague's reply is hers and the owner's). */
  editable: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  /** Continue after this (created_at, id), when more may follow. */
  last: [number, string] | null;
}

export type CommenterMark = 'trusted' | 'blocked' | 'none';

export interface Commenter {
  name: string;
  email: string;
  mark: CommenterMark;
  items: QueueItem[];
}

export interface BulkResult {
  done: number;
  /** Comments this staff member may not act on, or that cannot take the action, with why. */
  failed: { id: string; reason: string }[];
}

export interface ModerationService {
  queue(staff: Staff, q: { tab: QueueTab; limit: number; before: [number, string] | undefined }): Promise<QueuePage>;
  /** The writer of this comment and what she wrote, within what this staff member may see. */
  commenter(staff: Staff, commentId: string): Promise<Commenter>;
  mark(staff: Staff, commentId: string, mark: CommenterMark): Promise<CommenterMark>;
  bulk(staff: Staff, ids: readonly string[], action: CommentAction): Promise<BulkResult>;
}

/** How many of one commenter's comments her page shows. */
const HISTORY = 200;

export function createModerationService(deps: {
  db: Db;
  comments: StaffCommentService & CommentQueries;
  conversationSettings: ConversationSettingsService;
}): ModerationService {
  const { db, comments } = deps;

  async function itemsOf(staff: Staff, rows: CommentRow[]): Promise<QueueItem[]> {
    const actor = { kind: 'staff' as const, id: staff.id, role: staff.role };
    // The rows come from the staff member's scope already; roles are for the badges.
    const [roles, names, parents, posts] = await Promise.all([
      comments.rolesOf([...new Set(rows.flatMap((r) => (r.staff_user_id ? [r.staff_user_id] : [])))]),
      comments.staffNames(editorIds(rows)),
      comments.findComments([...new Set(rows.flatMap((r) => (r.parent_id ? [r.parent_id] : [])))]),
      postsById(db, [...new Set(rows.map((r) => r.post_id))]),
    ]);
    const parentOf = new Map(parents.map((p) => [p.id, p]));
    return rows.flatMap((row) => {
      const post = posts.get(row.post_id);
      if (!post) return [];
      const comment: StaffComment = {
        comment: row,
        role: row.staff_user_id ? (roles.get(row.staff_user_id) ?? null) : null,
        edit: editMarkOf(row, names),
      };
      const parent = row.parent_id ? parentOf.get(row.parent_id) : undefined;
      return [{ comment, parent, post, editable: canStaffEditComment(actor, row, post) }];
    });
  }

  async function markOf(email: string): Promise<CommenterMark> {
    const s = await deps.conversationSettings.get();
    if (s.blockedEmails.includes(email)) return 'blocked';
    if (s.trustedEmails.includes(email)) return 'trusted';
    return 'none';
  }

  return {
    async queue(staff, q) {
      const { rows, total } = await comments.queuePage(staff, { tab: q.tab, limit: q.limit, before: q.before });
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return { items: await itemsOf(staff, rows), total, last: last ? [last.created_at, last.id] : null };
    },

    async commenter(staff, commentId) {
      const { comment } = await comments.get(staff, commentId);
      const email = comment.author_email.toLowerCase();
      const rows = await comments.commenterComments(staff, email, HISTORY);
      return { name: comment.author_name, email, mark: await markOf(email), items: await itemsOf(staff, rows) };
    },

    async mark(staff, commentId, mark) {
      const { comment } = await comments.get(staff, commentId);
      if (comment.staff_user_id) throw new ForbiddenError('Staff are never held or blocked.');
      if (mark === 'blocked' && !canBlockCommenter(staff)) throw new ForbiddenError('Only the owner or a moderator may block a commenter.');
      if (!canTrustCommenter(staff)) throw new ForbiddenError('Your role may not do that.');
      // Blocking a commenter only the owner and moderators may undo: an author cannot lift a block.
      const email = comment.author_email.toLowerCase();
      const s = await deps.conversationSettings.get();
      if (s.blockedEmails.includes(email) && !canBlockCommenter(staff)) {
        throw new ForbiddenError('Only the owner or a moderator may lift a block.');
      }
      const without = (list: readonly string[]) => list.filter((e) => e !== email);
      await deps.conversationSettings.update({
        trustedEmails: mark === 'trusted' ? [...without(s.trustedEmails), email] : without(s.trustedEmails),
        blockedEmails: mark === 'blocked' ? [...without(s.blockedEmails), email] : without(s.blockedEmails),
      });
      return mark;
    },

    async bulk(staff, ids, action) {
      const result: BulkResult = { done: 0, failed: [] };
      for (const id of new Set(ids)) {
        try {
          await comments.act(staff, id, action);
          result.done += 1;
        } catch (err) {
          if (!(err instanceof HearthError)) throw err;
          result.failed.push({ id, reason: err.message });
        }
      }
      return result;
    },
  };
}
