// The writes every comment change shares, so the post's count, the thread summary, the thread's
// kept HTML and the outbox move together with the row, in the caller's transaction.
import type { Db } from '../db/connect.js';
import { groupedOn } from '../db/grouped.js';
import type { CommentRow, CommentStatus } from '../db/tables.js';
import { newId } from '../ids.js';
import { enqueueEvent, type OutboxEvent } from '../notify/outbox.js';
import { countsPublicly } from './comment-states.js';
import * as store from './comment-store.js';
import { summarizeThread } from './thread-summary.js';

/** The event of a comment that just reached its status, with its dedupe key, if that status has one. */
function eventOf(row: CommentRow): { event: OutboxEvent; key: string } | null {
  // Dedupe keys make each announcement happen once, however often the comment comes back.
  if (row.status === 'published')
    return { event: { kind: 'comment.published', payload: { commentId: row.id } }, key: `comment.published:${row.id}` };
  if (row.status === 'pending') return { event: { kind: 'comment.held', payload: { commentId: row.id } }, key: `comment.held:${row.id}` };
  return null;
}

/** Events for a comment that just reached `status` from `before` (undefined: it is new). */
async function announce(trx: Db, row: CommentRow, before: CommentStatus | undefined, now: number): Promise<void> {
  if (row.status === before) return;
  const told = eventOf(row);
  if (told) await enqueueEvent(trx, told.event, told.key, now);
}

/**
 * Renders a thread's kept HTML again in the write's transaction (src/comments/kept-html/thread-html.ts).
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

/** Where a new thread's writer is sent: between how many of its post's public threads come before it. */
type Started = { threadsBefore: store.ThreadsBefore | null };

/**
 * A reader's comment that starts a thread: the comment, its thread's summary and kept HTML, the
 * post's counts and its event in one write (one round trip to PostgreSQL), nothing read back.
 * `kept` is the thread's HTML rendered from the comment (KeptThreads.renderFirst).
 */
export function startNewThread(db: Db, row: CommentRow, now: number, kept: { html: string | null; key: string }): Promise<Started> {
  return store.startThread(db, newThreadOf(row, now, kept));
}

/**
 * `startNewThread` for a site's readers: on PostgreSQL, threads started while others are being
 * written go together, in one statement and one commit (src/db/grouped.ts).
 */
export function threadStarter(db: Db): (row: CommentRow, now: number, kept: { html: string | null; key: string }) => Promise<Started> {
  const start = groupedOn<store.NewThread, Started>(db, {
    together: (list) => store.startThreads(db, list),
    alone: (t) => store.startThread(db, t),
  });
  return (row, now, kept) => start(newThreadOf(row, now, kept));
}

/** What `startThread` writes for a reader's comment that starts a thread. */
export function newThreadOf(row: CommentRow, now: number, kept: { html: string | null; key: string }): store.NewThread {
  if (row.parent_id !== null || row.root_id !== row.id) throw new Error('a reply joins a thread; it does not start one');
  const summary = summarizeThread([row], null);
  const told = eventOf(row);
  return {
    comment: row,
    summary,
    html: kept.html,
    htmlKey: kept.key,
    counts: { comments: Number(countsPublicly(row)), threads: Number(summary.public_count > 0) },
    event: told && {
      id: newId(now),
      kind: told.event.kind,
      payload: JSON.stringify(told.event.payload),
      dedupe_key: told.key,
      next_attempt_at: now,
      created_at: now,
    },
  };
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
