// Runs the Webmention jobs of the outbox (verify a received one, plan a post's sends, send one):
// claimed under a lease like the mail worker's rows, retried with backoff when the other side
// could not be reached or failed, parked after too many tries.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { createNap } from '../nap.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../notify/backoff.js';
import { claimDue, markDone, markFailed } from '../notify/outbox-store.js';
import { WEBMENTION_JOBS, type WebmentionService } from './webmention-service.js';

export interface WebmentionWorker {
  start(): void;
  stop(): Promise<void>;
  /** Runs what is due until nothing is (tests, scripts); returns how many jobs ran. */
  drainUntilIdle(): Promise<number>;
}

const MAX_ATTEMPTS = 6;
const LEASE_MS = 60_000;

export function createWebmentionWorker(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  webmentions: WebmentionService;
  pollMs?: number;
}): WebmentionWorker {
  const { db, clock, log } = deps;
  const id = `wm-${randomBytes(6).toString('hex')}`;
  let stopping = false;
  let running: Promise<void> | undefined;
  const nap = createNap();

  async function drainOnce(): Promise<number> {
    const rows = await claimDue(db, { workerId: id, now: clock.now(), leaseMs: LEASE_MS, limit: 10, kinds: WEBMENTION_JOBS });
    for (const row of rows) {
      try {
        const note = await deps.webmentions.run(row.kind, JSON.parse(row.payload) as Record<string, unknown>);
        await markDone(db, row.id, 'sent', clock.now(), note ?? null);
      } catch (err) {
        const attempts = row.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        await markFailed(db, row.id, {
          attempts,
          parked: attempts >= MAX_ATTEMPTS,
          nextAttemptAt: clock.now() + backoffDelay(attempts, DEFAULT_BACKOFF, Math.random),
          error: message,
        });
        log.warn({ outboxId: row.id, kind: row.kind, attempts, err: message }, 'webmention job failed');
      }
    }
    return rows.length;
  }

  return {
    start() {
      running ??= (async () => {
        while (!stopping) {
          const n = await drainOnce().catch((err: unknown) => {
            log.error({ err }, 'webmention worker could not reach the database');
            return 0;
          });
          if (n === 0 && !stopping) await nap.sleep(deps.pollMs ?? 2000);
        }
      })();
    },
    async stop() {
      stopping = true;
      nap.wake();
      await running;
    },
    async drainUntilIdle() {
      let total = 0;
      for (let n = await drainOnce(); n > 0; n = await drainOnce()) total += n;
      return total;
    },
  };
}
