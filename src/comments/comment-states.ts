// The life of a comment: its states and every move between them, declared once.
import type { CommentStatus } from '../db/tables.js';

export type CommentAction = 'approve' | 'spam' | 'trash' | 'restore';

/** For each action: the states it may start from, and where it leads. */
export const TRANSITIONS: Readonly<Record<CommentAction, { from: readonly CommentStatus[]; to: CommentStatus }>> = {
  approve: { from: ['pending', 'spam'], to: 'published' },
  spam: { from: ['pending', 'published', 'trash'], to: 'spam' },
  trash: { from: ['pending', 'published', 'spam'], to: 'trash' },
  // A restored comment is one staff chose to bring back, so it is shown.
  restore: { from: ['trash', 'spam'], to: 'published' },
};

export const COMMENT_ACTIONS = Object.keys(TRANSITIONS) as CommentAction[];

export type TransitionResult = { kind: 'move'; to: CommentStatus } | { kind: 'same' } | { kind: 'refused' };

/**
 * Where `action` takes a comment now in `status`. Repeating an action is harmless ("same"), so a
 * double click or a retried request changes nothing.
 */
export function transition(status: CommentStatus, action: CommentAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (status === rule.to) return { kind: 'same' };
  return rule.from.includes(status) ? { kind: 'move', to: rule.to } : { kind: 'refused' };
}

/** Whether a comment in this state and visibility counts in the post's public comment count. */
export function countsPublicly(c: { status: CommentStatus; visibility: string }): boolean {
  return c.status === 'published' && c.visibility === 'public';
}
