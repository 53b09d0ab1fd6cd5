// Who may see, write, edit and moderate comments: pure predicates, no database, no clock.
import type { CommentStatus, CommentsMode, StaffRole, Visibility } from '../db/tables.js';

const DAY = 24 * 60 * 60 * 1000;

export interface StaffActor {
  kind: 'staff';
  id: string;
  role: StaffRole;
}

/** A reader; `credentialHash` is the hash of the credential her browser holds, if any. */
export interface ReaderActor {
  kind: 'reader';
  credentialHash: string | null;
}

export type Actor = StaffActor | ReaderActor;

export interface CommentFacts {
  status: CommentStatus;
  visibility: Visibility;
  edit_token_hash: string | null;
  /** The staff member who wrote it; null for a reader's words. */
  staff_user_id: string | null;
  created_at: number;
}

export interface PostFacts {
  author_id: string;
  comments_mode: CommentsMode;
  comments_close_days: number | null;
  published_at: number | null;
  created_at: number;
}

/** Whether the post takes new comments at `now`. */
export function commentsOpen(post: PostFacts, now: number): boolean {
  if (post.comments_mode === 'closed') return false;
  if (post.comments_mode === 'open') return true;
  const days = post.comments_close_days;
  if (days === null) return true;
  return now < (post.published_at ?? post.created_at) + days * DAY;
}

/** The comment was written by the browser holding this credential. */
export function isWriter(actor: Actor, comment: Pick<CommentFacts, 'edit_token_hash'>): boolean {
  return actor.kind === 'reader' && actor.credentialHash !== null && comment.edit_token_hash === actor.credentialHash;
}

/**
 * Staff who may act on a comment: the owner on everything, a post's author on her post's comments,
 * a moderator on public comments only (private questions are for the author alone).
 */
export function canModerateComment(
  staff: StaffActor,
  comment: Pick<CommentFacts, 'visibility'>,
  post: Pick<PostFacts, 'author_id'>,
): boolean {
  if (staff.role === 'owner') return true;
  if (post.author_id === staff.id) return true;
  return staff.role === 'moderator' && comment.visibility === 'public';
}

/** Whether the actor may see the comment on the post page or through the API. */
export function canSeeComment(actor: Actor, comment: CommentFacts, post: Pick<PostFacts, 'author_id'>): boolean {
  if (actor.kind === 'staff') return canModerateComment(actor, comment, post);
  if (comment.status === 'published' && comment.visibility === 'public') return true;
  // Her own words, held or private, are shown to her; a deleted comment is gone for her too.
  return isWriter(actor, comment) && comment.status !== 'trash';
}

/**
 * Staff rewriting a comment's words, from any page or endpoint: a comment they may moderate, at any
 * time. A reply another staff member wrote is signed with her name, so it stays hers: only she
 * and the owner may change it.
 */
export function canStaffEditComment(
  staff: StaffActor,
  comment: Pick<CommentFacts, 'visibility' | 'staff_user_id'>,
  post: Pick<PostFacts, 'author_id'>,
): boolean {
  if (!canModerateComment(staff, comment, post)) return false;
  return comment.staff_user_id === null || comment.staff_user_id === staff.id || staff.role === 'owner';
}

/**
 * Editing or deleting: the writer within the window after posting, staff as canStaffEditComment
 * says. A reader never changes a staff member's words.
 */
export function canEditComment(
  actor: Actor,
  comment: CommentFacts,
  post: Pick<PostFacts, 'author_id'>,
  now: number,
  windowMs: number,
): boolean {
  if (actor.kind === 'staff') return canStaffEditComment(actor, comment, post);
  return (
    comment.staff_user_id === null &&
    isWriter(actor, comment) &&
    comment.status !== 'trash' &&
    now >= comment.created_at &&
    now - comment.created_at <= windowMs
  );
}

/** The moment the writer's edit window closes. */
export function editWindowEnds(comment: Pick<CommentFacts, 'created_at'>, windowMs: number): number {
  return comment.created_at + windowMs;
}
