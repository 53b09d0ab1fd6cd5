// Writing and reading comments. Every write keeps the thread summary and the post's count in step,
// in the same transaction.
import type { Staff } from '../accounts/accounts-service.js';
import { rolesOfUsers } from '../accounts/user-store.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus, StaffRole, Visibility } from '../db/tables.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import * as store from './comment-store.js';
import { buildThread, type ThreadNode } from './thread.js';

export interface CommentInput {
  postId: string;
  parentId?: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl?: string | null;
  staff?: Staff | undefined;
  markdown: string;
  status: CommentStatus;
  visibility?: Visibility;
  /** When it was written, if not now (demo content, imports). */
  createdAt?: number;
}

/** A comment as pages show it: the row plus the role of its staff author, if any. */
export interface ShownComment extends CommentRow {
  author_role: StaffRole | null;
}

export interface CommentService {
  add(input: CommentInput): Promise<CommentRow>;
  /** The published public thread of a post, nested. */
  publicThread(postId: string, maxDepth?: number): Promise<ThreadNode<ShownComment>[]>;
}

export function createCommentService(deps: { db: Db; clock: Clock; markdown: MarkdownRenderer }): CommentService {
  const { db, clock, markdown } = deps;
  return {
    async add(input) {
      const now = input.createdAt ?? clock.now();
      return db.transaction().execute(async (trx) => {
        const parent = input.parentId ? await store.findComment(trx, input.parentId) : undefined;
        if (input.parentId && (!parent || parent.post_id !== input.postId)) throw new NotFoundError('The comment you answered is gone.');
        const id = newId(now);
        const row: CommentRow = {
          id,
          post_id: input.postId,
          parent_id: parent?.id ?? null,
          root_id: parent?.root_id ?? id,
          depth: parent ? parent.depth + 1 : 0,
          status: input.status,
          visibility: input.visibility ?? 'public',
          author_name: input.authorName,
          author_email: input.authorEmail.toLowerCase(),
          author_url: input.authorUrl ?? null,
          staff_user_id: input.staff?.id ?? null,
          markdown: input.markdown,
          html: input.staff ? markdown.post(input.markdown) : markdown.comment(input.markdown),
          edit_token_hash: null,
          notify: 0,
          ip: null,
          user_agent: null,
          kind: 'comment',
          source: null,
          source_id: null,
          created_at: now,
          edited_at: null,
        };
        await store.insertComment(trx, row);
        if (row.status === 'published') {
          await store.noteCommentInThread(trx, row);
          if (row.visibility === 'public') await store.bumpCommentCount(trx, row.post_id, 1);
        }
        return row;
      });
    },

    async publicThread(postId, maxDepth = 5) {
      const rows = await store.listPublicComments(db, postId);
      const staffIds = [...new Set(rows.map((r) => r.staff_user_id).filter((id): id is string => id !== null))];
      const roles = await rolesOfUsers(db, staffIds);
      const shown = rows.map((r) => ({ ...r, author_role: r.staff_user_id ? (roles.get(r.staff_user_id) ?? null) : null }));
      return buildThread(shown, maxDepth);
    },
  };
}
