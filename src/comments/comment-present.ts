// Comments as JSON: the shape of CONTRACT.md, never raw rows.
import type { CommentRow, StaffRole } from '../db/tables.js';
import { isoTime } from '../web/format.js';
import type { EditMark } from './edit-mark.js';

export interface CommentJson {
  id: string;
  postId: string;
  parentId: string | null;
  status: CommentRow['status'];
  visibility: CommentRow['visibility'];
  authorName: string;
  authorRole: 'reader' | StaffRole;
  /** The Markdown the comment was written in; null for a comment imported as HTML (its source stays here). */
  markdown: string | null;
  /** What pages show: sanitized on write. */
  html: string;
  createdAt: string;
  editedAt: string | null;
}

export interface AdminCommentJson extends CommentJson {
  authorEmail: string;
  /** Who last changed the words: a staff member (staffId) or the writer (staffId null); null when never edited or unknown. */
  editedBy: { name: string; staffId: string | null } | null;
}

export function presentComment(row: CommentRow, role: StaffRole | null | undefined): CommentJson {
  return {
    id: row.id,
    postId: row.post_id,
    parentId: row.parent_id,
    status: row.status,
    visibility: row.visibility,
    authorName: row.author_name,
    authorRole: row.staff_user_id ? (role ?? 'author') : 'reader',
    // An imported comment's source is the old site's HTML, unsanitized: a client must never take
    // it for something to show, so only its sanitized `html` leaves.
    markdown: row.source_format === 'html' ? null : row.markdown,
    html: row.html,
    createdAt: isoTime(row.created_at),
    editedAt: row.edited_at === null ? null : isoTime(row.edited_at),
  };
}

/** Admin endpoints also carry the writer's email, which is never public, and who edited the words. */
export function presentAdminComment(row: CommentRow, role: StaffRole | null | undefined, edit: EditMark | null): AdminCommentJson {
  return {
    ...presentComment(row, role),
    authorEmail: row.author_email,
    editedBy: edit?.by ? { name: edit.by, staffId: edit.staffId } : null,
  };
}
