// Fedify's message queue on the outbox table (kind 'fedify'): activities to deliver and received
// activities to handle are rows, claimed under a lease by whichever process polls first (on
// PostgreSQL, FOR UPDATE SKIP LOCKED), so they survive a restart and spread across processes.
// Fedify retries a failed delivery itself by queueing it again with a delay (its retry policy);
// a handler that throws is tried again here with the outbox's backoff, and parked after a few.
import { randomBytes } from 'node:crypto';
import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from '@fedify/fedify';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../notify/backoff.js';
import { claimDue, insertOutbox, markDone, markFailed } from '../notify/outbox-store.js';

export const FEDIFY_KIND = 'fedify';
const MAX_ATTEMPTS = 5;

export interface DeliveryQueue extends MessageQueue {
  /** Wakes a waiting listener in this process (something was just queued). */
  poke(): void;
}

export function createDeliveryQueue(deps: { db: Db; now: () => number; log: Logger; pollMs?: number }): DeliveryQueue {
  const { db, now, log } = deps;
  const pollMs = deps.pollMs ?? 500;
  const workerId = `fed-${randomBytes(6).toString('hex')}`;
  let wake: (() => void) | undefined;

  const delayOf = (options?: MessageQueueEnqueueOptions) => Math.max(0, options?.delay?.total({ unit: 'millisecond' }) ?? 0);

  async function enqueueMany(messages: unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const at = now();
    for (const message of messages) {
      await insertOutbox(db, {
        kind: FEDIFY_KIND,
        payload: message,
        dedupeKey: `fedify:${randomBytes(12).toString('hex')}`,
        now: at,
        notBefore: at + delayOf(options),
      });
    }
    wake?.();
  }

  return {
    enqueue: (message, options) => enqueueMany([message], options),
    enqueueMany,
    poke: () => wake?.(),
    async listen(handler, options?: MessageQueueListenOptions) {
      const signal = options?.signal;
      while (!signal?.aborted) {
        let claimed = 0;
        try {
          const rows = await claimDue(db, { workerId, now: now(), leaseMs: 5 * 60_000, limit: 10, kinds: [FEDIFY_KIND] });
          claimed = rows.length;
          for (const row of rows) {
            try {
              await handler(JSON.parse(row.payload));
              await markDone(db, row.id, 'sent', now());
            } catch (err) {
              const attempts = row.attempts + 1;
              const error = err instanceof Error ? err.message : String(err);
              await markFailed(db, row.id, {
                attempts,
                parked: attempts >= MAX_ATTEMPTS,
                nextAttemptAt: now() + backoffDelay(attempts, DEFAULT_BACKOFF, Math.random),
                error,
              });
              log.warn({ outboxId: row.id, attempts, err: error }, 'federation message failed');
            }
          }
        } catch (err) {
          log.error({ err }, 'federation queue could not reach the database');
        }
        if (claimed === 0 && !signal?.aborted) {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              signal?.removeEventListener('abort', done);
              resolve();
            };
            const timer = setTimeout(done, pollMs);
            wake = done;
            signal?.addEventListener('abort', done, { once: true });
          });
          wake = undefined;
        }
      }
    },
  };
}
