// Drains the outbox: claims due rows under a lease, fans events out into emails, renders and sends
// emails, and records each outcome. At-least-once: a row is marked sent only after the server took
// it, and its Message-ID never changes, so a rare repeat is recognisable. A process that dies
// (kill -9) leaves its claims to expire; a graceful stop finishes the message in hand and gives
// the rest of its batch back.

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { OutboxRow } from '../db/tables.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { createNap } from '../nap.js';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { composeMail } from './compose-mail.js';
import { FANOUT_KINDS, fanOut, isFanoutKind, scheduleDailyDigest } from './fanout.js';
import { MAIL_KIND } from './mail-payloads.js';
import type { MailTransport } from './mailer.js';
import { claimDue, markAllSent, markDone, markFailed, releaseClaims } from './outbox-store.js';

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  transport: MailTransport;
  baseUrl: string;
  from: string;
  secret: () => Promise<string>;
  siteTitle: () => Promise<string>;
  /** The language emails to readers speak, unless their post has its own. */
  siteLocale?: () => Promise<Locale>;
  workerId?: string;
  batchSize?: number;
  /** A claim older than this is presumed dead and taken again. */
  leaseMs?: number;
  /** Failures before a row is parked for a person to look at. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Real time between polls when the queue is empty. */
  pollMs?: number;
}

export interface OutboxWorker {
  readonly id: string;
  start(): void;
  /** Finishes the message in hand, releases the rest of the batch, and resolves when idle. */
  stop(): Promise<void>;
  /** Claims and handles one batch; returns how many rows it claimed. */
  drainOnce(): Promise<number>;
  /** Drains until nothing is due (tests, scripts). */
  drainUntilIdle(): Promise<number>;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** Errors of a connection that never reached a mail server (nodemailer's codes, and the socket's). */
const UNREACHABLE_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function serverUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}
export const DEFAULT_LEASE_MS = 5 * 60_000;
const HANDLED_KINDS = [MAIL_KIND, ...FANOUT_KINDS];

export function createOutboxWorker(deps: WorkerDeps): OutboxWorker {
  const { db, clock, log, transport } = deps;
  const id = deps.workerId ?? `w-${randomBytes(6).toString('hex')}`;
  const batchSize = deps.batchSize ?? 20;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const random = deps.random ?? Math.random;
  const pollMs = deps.pollMs ?? 1000;

  let stopping = false;
  let running: Promise<void> | undefined;
  const nap = createNap();
  let lastScheduleCheck = Number.NEGATIVE_INFINITY;

  async function handle(row: OutboxRow): Promise<void> {
    const now = clock.now();
    try {
      if (isFanoutKind(row.kind)) {
        // The emails and the event's "done" commit together: a crash in between repeats nothing.
        await db.transaction().execute(async (trx) => {
          await fanOut(trx, [row], now);
          await markDone(trx, row.id, 'sent', now);
        });
        return;
      }
      const composed = await composeMail(row, {
        db,
        now,
        baseUrl: deps.baseUrl,
        from: deps.from,
        secret: await deps.secret(),
        siteTitle: await deps.siteTitle(),
        siteLocale: deps.siteLocale ? await deps.siteLocale() : DEFAULT_LOCALE,
      });
      if ('skip' in composed) {
        await markDone(db, row.id, 'skipped', now, composed.skip);
        return;
      }
      await transport.send(composed.send);
      await markDone(db, row.id, 'sent', clock.now());
    } catch (err) {
      const failures = row.attempts + 1;
      // A mail server that cannot be reached is no fault of the message: it keeps its place in the
      // queue (tried again at the longest step of the backoff) for as long as the outage lasts.
      const parked = failures >= maxAttempts && !serverUnreachable(err);
      const message = err instanceof Error ? err.message : String(err);
      await markFailed(db, row.id, {
        attempts: failures,
        parked,
        nextAttemptAt: now + backoffDelay(failures, backoff, random),
        error: message,
      });
      log.warn(
        { outboxId: row.id, kind: row.kind, attempts: failures, parked, err: message },
        parked ? 'outbox row parked' : 'outbox delivery failed',
      );
    }
  }

  /**
   * The claimed events fanned out together, in one transaction (one commit for the lot). If any of them
   * fails, nothing of it stays and each is handled on its own, so only the failing one is retried.
   */
  async function fanOutTogether(events: OutboxRow[]): Promise<boolean> {
    if (events.length < 2) return false;
    const now = clock.now();
    try {
      await db.transaction().execute(async (trx) => {
        await fanOut(trx, events, now);
        await markAllSent(
          trx,
          events.map((row) => row.id),
          now,
        );
      });
      return true;
    } catch {
      return false;
    }
  }

  async function drainOnce(): Promise<number> {
    const now = clock.now();
    if (now - lastScheduleCheck >= 60_000) {
      lastScheduleCheck = now;
      await scheduleDailyDigest(db, now);
    }
    const claimed = await claimDue(db, { workerId: id, now, leaseMs, limit: batchSize, kinds: HANDLED_KINDS });
    const events = claimed.filter((row) => isFanoutKind(row.kind));
    const rows = !stopping && (await fanOutTogether(events)) ? claimed.filter((row) => !isFanoutKind(row.kind)) : claimed;
    for (let i = 0; i < rows.length; i++) {
      if (stopping) {
        await releaseClaims(
          db,
          rows.slice(i).map((r) => r.id),
          id,
        );
        break;
      }
      await handle(rows[i] as OutboxRow);
    }
    return claimed.length;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await drainOnce();
      } catch (err) {
        log.error({ err }, 'outbox worker could not reach the database');
      }
      if (claimed === 0 && !stopping) {
        await nap.sleep(pollMs);
      }
    }
  }

  return {
    id,
    start() {
      stopping = false;
      running ??= loop().finally(() => {
        running = undefined;
      });
    },
    async stop() {
      stopping = true;
      nap.wake();
      await running;
    },
    drainOnce,
    async drainUntilIdle() {
      let total = 0;
      for (;;) {
        const n = await drainOnce();
        if (n === 0) return total;
        total += n;
      }
    },
  };
}
