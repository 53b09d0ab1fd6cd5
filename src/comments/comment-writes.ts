// The writes every comment change shares, so the post's count, the thread summary, the thread's
// kept HTML and the outbox move together with the row, in the caller's transaction.
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus } from '../db/tables.js';
import { enqueueEvent } from '../notify/outbox.js';
import { countsPublicly } from './comment-states.js';
import * as store from './comment-store.js';

/** Events for a comment that just reached `status` from `before` (undefined: it is new). */
async function announce(trx: Db, row: CommentRow, before: CommentStatus | undefined, now: number): Promise<void> {
  if (row.status === before) return;
  // Dedupe keys make each announcement happen once, however often the comment comes back.
  if (row.status === 'published')
    await enqueueEvent(trx, { kind: 'comment.published', payload: { commentId: row.id } }, `comment.published:${row.id}`, now);
  if (row.status === 'pending')
    await enqueueEvent(trx, { kind: 'comment.held', payload: { commentId: row.id } }, `comment.held:${row.id}`, now);
}

/**
 * Renders a thread's kept HTML again in the write's transaction (src/comments/thread-html.ts).
 * Without one, the triggers leave the thread's HTML empty until the keeper or a page renders it.
 */
export type RenderThread = (trx: Db, rootId: string) => Promise<void>;

export async function insertNewComment(trx: Db, row: CommentRow, now: number, render?: RenderThread): Promise<void> {
  await store.insertComment(trx, row);
  // Keeps the thread's summary and the post's counts (comments, threads) in step.
  await store.noteNewCommentInThread(trx, row);
  await announce(trx, row, undefined, now);
  await render?.(trx, row.root_id);
}

/** Moves a comment to new state and/or visibility; returns the row as it now is. */
export async function changeComment(
  trx: Db,
  before: CommentRow,
  patch: store.CommentPatch,
  now: number,
  render?: RenderThread,
): Promise<CommentRow> {
  const after: CommentRow = { ...before, ...patch };
  await store.updateComment(trx, before.id, patch);
  await store.bumpCommentCount(trx, before.post_id, Number(countsPublicly(after)) - Number(countsPublicly(before)));
  if (after.status !== before.status || after.visibility !== before.visibility || after.created_at !== before.created_at) {
    await store.noteCommentInThread(trx, after);
  }
  await announce(trx, after, before.status, now);
  await render?.(trx, after.root_id);
  return after;
}
