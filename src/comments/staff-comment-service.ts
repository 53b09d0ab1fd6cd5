// Comments as staff handle them: moderation, replies, edits with history, the inbox.
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus, StaffRole } from '../db/tables.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { canModerateComment, canStaffEditComment, type StaffActor } from './comment-policy.js';
import { type CommentAction, transition } from './comment-states.js';
import * as store from './comment-store.js';
import type { Origin } from './comment-types.js';
import { changeComment, insertNewComment, type RenderThread } from './comment-writes.js';
import { type EditMark, editMarkOf, editorIds } from './edit-mark.js';

export interface StaffComment {
  comment: CommentRow;
  role: StaffRole | null;
  /** Who last changed its words and when; null while never edited. */
  edit: EditMark | null;
}

export interface InboxItem {
  comment: StaffComment;
  post: { id: string; slug: string; title: string };
  waitingSince: number;
}

export interface StaffList<T> {
  items: T[];
  total: number;
  /** The sort key of the last item, when more may follow. */
  last: [number, string] | null;
}

export interface StaffCommentService {
  list(
    staff: Staff,
    q: { statuses: readonly CommentStatus[]; limit: number; after: [number, string] | undefined; capped?: boolean },
  ): Promise<StaffList<StaffComment>>;
  get(staff: Staff, id: string): Promise<StaffComment>;
  act(staff: Staff, id: string, action: CommentAction): Promise<StaffComment>;
  /** `origin`: where the staff member wrote it, when not on the site (her mail app). */
  reply(staff: Staff, id: string, markdown: string, origin?: Origin): Promise<StaffComment>;
  /** The comment, when this staff member may change its words (canStaffEditComment); else Forbidden. */
  forEditing(staff: Staff, id: string): Promise<StaffComment>;
  edit(staff: Staff, id: string, markdown: string): Promise<StaffComment>;
  revisions(staff: Staff, id: string): Promise<{ markdown: string; editedAt: number; editedBy: string }[]>;
  inbox(staff: Staff, q: { limit: number; after: [number, string] | undefined }): Promise<StaffList<InboxItem>>;
  /**
   * "No reply needed" for the thread, up to and including this comment (the reader's latest words
   * the author saw): it leaves the inbox until a reader writes in it again.
   */
  dismiss(staff: Staff, id: string): Promise<void>;
}

/** The part of all comments each role works on. */
export function scopeOf(staff: Staff): store.StaffScope {
  if (staff.role === 'owner') return { kind: 'all' };
  if (staff.role === 'moderator') return { kind: 'public-or-posts-of', authorId: staff.id };
  return { kind: 'posts-of', authorId: staff.id };
}

const actor = (s: Staff): StaffActor => ({ kind: 'staff', id: s.id, role: s.role });

export function createStaffCommentService(deps: {
  db: Db;
  clock: Clock;
  renderHtml: (row: Pick<CommentRow, 'staff_user_id'>, markdown: string) => string;
  /** Program cards (src/programs) in a staff reply: `{{program slug}}` paragraphs become cards naming the reply. */
  programCards?: ((html: string, from: { kind: 'comment'; id: string }, trx: Db) => Promise<string>) | undefined;
  onPublished: (row: CommentRow) => void;
  /** Renders a changed thread's kept HTML in the write's transaction; made before it begins. */
  threadRenderer: () => Promise<RenderThread>;
  windowMs: () => Promise<number>;
}): StaffCommentService {
  const { db, clock } = deps;

  async function withRole(rows: CommentRow[]): Promise<StaffComment[]> {
    const [roles, names] = await Promise.all([
      store.rolesOf(db, [...new Set(rows.flatMap((r) => (r.staff_user_id ? [r.staff_user_id] : [])))]),
      store.staffNames(db, editorIds(rows)),
    ]);
    return rows.map((comment) => ({
      comment,
      role: comment.staff_user_id ? (roles.get(comment.staff_user_id) ?? null) : null,
      edit: editMarkOf(comment, names),
    }));
  }
  const one = async (row: CommentRow) => (await withRole([row]))[0] as StaffComment;
  /** A staff member's words as HTML, with program cards; a reader's words never get cards. */
  const staffHtml = async (trx: Db, row: Pick<CommentRow, 'id' | 'staff_user_id'>, text: string) => {
    const html = deps.renderHtml(row, text);
    return row.staff_user_id && deps.programCards ? deps.programCards(html, { kind: 'comment', id: row.id }, trx) : html;
  };

  /** The comment, if this staff member may act on it. Others' private questions are not found. */
  async function load(db: Db, staff: Staff, id: string): Promise<{ row: CommentRow; authorId: string }> {
    const row = await store.findComment(db, id);
    const post = row ? await store.findPostOfComment(db, row.post_id) : undefined;
    if (!row || !post) throw new NotFoundError('There is no such comment.');
    if (!canModerateComment(actor(staff), row, post)) {
      // A moderator is not even told that a private question exists.
      if (row.visibility === 'private') throw new NotFoundError('There is no such comment.');
      throw new ForbiddenError('You may act only on comments on your own posts.');
    }
    return { row, authorId: post.author_id };
  }

  /** The comment, if this staff member may change its words: a colleague's reply stays hers and the owner's. */
  async function loadForEditing(db: Db, staff: Staff, id: string): Promise<CommentRow> {
    const { row, authorId } = await load(db, staff, id);
    if (!canStaffEditComment(actor(staff), row, { author_id: authorId })) {
      throw new ForbiddenError(`This reply is ${row.author_name}’s words: only she and the owner may change it.`);
    }
    return row;
  }

  return {
    async list(staff, q) {
      const { rows, total } = await store.adminList(db, {
        statuses: q.statuses,
        scope: scopeOf(staff),
        limit: q.limit,
        after: q.after,
        capped: q.capped === true,
      });
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return { items: await withRole(rows), total, last: last ? [last.created_at, last.id] : null };
    },

    async get(staff, id) {
      return one((await load(db, staff, id)).row);
    },

    async dismiss(staff, id) {
      // Who may act on the thread is decided as for every staff action (others' private words stay hidden).
      const { row } = await load(db, staff, id);
      // Up to what she read: a follow-up that came while the page was open still waits.
      await db.transaction().execute(async (trx) => {
        await store.markDismissed(trx, row.root_id, row.created_at);
        await store.noteCommentInThread(trx, row);
      });
    },

    async act(staff, id, action) {
      const now = clock.now();
      const render = await deps.threadRenderer();
      const row = await db.transaction().execute(async (trx) => {
        const { row } = await load(trx, staff, id);
        const t = transition(row.status, action);
        if (t.kind === 'same') return row;
        if (t.kind === 'refused') throw new ConflictError(`A comment in ${row.status} cannot be sent to ${action}; restore it first.`);
        return changeComment(trx, row, { status: t.to }, now, render);
      });
      deps.onPublished(row);
      return one(row);
    },

    async reply(staff, id, text, origin) {
      const now = clock.now();
      const render = await deps.threadRenderer();
      const reply = await db.transaction().execute(async (trx) => {
        const { row: parent } = await load(trx, staff, id);
        if (parent.status === 'spam' || parent.status === 'trash') throw new ConflictError('Restore this comment before answering it.');
        // Answering a held comment approves it: the author has read it.
        if (parent.status === 'pending') await changeComment(trx, parent, { status: 'published' }, now);
        const rid = newId(now);
        const reply: CommentRow = {
          id: rid,
          post_id: parent.post_id,
          parent_id: parent.id,
          root_id: parent.root_id,
          depth: parent.depth + 1,
          status: 'published',
          visibility: parent.visibility,
          author_name: staff.name,
          author_email: staff.email,
          author_url: null,
          staff_user_id: staff.id,
          markdown: text,
          html: await staffHtml(trx, { id: rid, staff_user_id: staff.id }, text),
          edit_token_hash: null,
          notify: 0,
          ip: null,
          user_agent: null,
          kind: 'comment',
          source: null,
          source_id: null,
          created_at: now,
          edited_at: null,
          origin: origin?.kind ?? 'site',
          origin_url: origin?.url ?? null,
        };
        await insertNewComment(trx, reply, now, render);
        return reply;
      });
      deps.onPublished(reply);
      return one(reply);
    },

    async forEditing(staff, id) {
      return one(await loadForEditing(db, staff, id));
    },

    async edit(staff, id, text) {
      const now = clock.now();
      const render = await deps.threadRenderer();
      const row = await db.transaction().execute(async (trx) => {
        const row = await loadForEditing(trx, staff, id);
        if (row.markdown === text) return row;
        await store.insertRevision(trx, {
          id: newId(now),
          comment_id: row.id,
          // An imported comment's source is unsanitized HTML: its history keeps what readers saw.
          markdown: row.source_format === 'html' ? row.html : row.markdown,
          edited_at: now,
          edited_by: staff.id,
        });
        // The edit is Markdown now, whatever the comment was written in.
        const patch = {
          markdown: text,
          html: await staffHtml(trx, row, text),
          source_format: 'markdown' as const,
          edited_at: now,
          edited_by: staff.id,
        };
        return changeComment(trx, row, patch, now, render);
      });
      deps.onPublished(row);
      return one(row);
    },

    async revisions(staff, id) {
      await load(db, staff, id);
      const revs = await store.listRevisions(db, id);
      return revs.map((r) => ({ markdown: r.markdown, editedAt: r.edited_at, editedBy: r.edited_by }));
    },

    async inbox(staff, q) {
      const { rows, total } = await store.inboxList(db, { scope: scopeOf(staff), limit: q.limit, after: q.after });
      const comments = new Map(
        (
          await withRole(
            await store.findComments(
              db,
              rows.map((r) => r.awaiting_comment_id),
            ),
          )
        ).map((c) => [c.comment.id, c]),
      );
      const items: InboxItem[] = [];
      for (const r of rows) {
        const comment = comments.get(r.awaiting_comment_id);
        if (comment)
          items.push({ comment, post: { id: r.post_id, slug: r.post_slug, title: r.post_title }, waitingSince: r.awaiting_since });
      }
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return { items, total, last: last ? [last.awaiting_since, last.root_id] : null };
    },
  };
}
