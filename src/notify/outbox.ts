// The transactional outbox: a service that must notify inserts a row here in the same transaction
// as its domain write; the worker delivers it later. Nothing is awaited in the request.
import type { Db } from '../db/connect.js';
import { insertOutbox } from './outbox-store.js';

/**
 * Events that domain services emit. Payloads carry ids only: the worker loads what it needs when
 * it delivers, so a message always reflects the latest state (an edit, an unsubscribe).
 */
export type OutboxEvent =
  /** A comment became visible to its audience (posted published, approved, or a private answer). */
  | { kind: 'comment.published'; payload: { commentId: string } }
  /** A comment is waiting for moderation. */
  | { kind: 'comment.held'; payload: { commentId: string } };

/**
 * Queues an event or message. `dedupeKey` makes it idempotent: the same key is queued once.
 * Pass the transaction of the domain write as `db`.
 */
/** Queues a job, to run from `notBefore` (now, unless it waits for a time such as a scheduled post's). */
export async function enqueue(
  db: Db,
  event: { kind: string; payload: unknown },
  dedupeKey: string,
  now: number,
  notBefore = now,
): Promise<void> {
  await insertOutbox(db, { kind: event.kind, payload: event.payload, dedupeKey, now, notBefore });
}

export function enqueueEvent(db: Db, event: OutboxEvent, dedupeKey: string, now: number): Promise<void> {
  return enqueue(db, event, dedupeKey, now);
}
