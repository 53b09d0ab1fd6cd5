// Outbox rows: queueing, claiming with a lease, and recording how each delivery went.
// The claim is the one dialect branch: FOR UPDATE SKIP LOCKED lets many PostgreSQL processes take
// disjoint rows; on SQLite a single UPDATE ... RETURNING is already atomic.
import { type SelectQueryBuilder, sql } from 'kysely';
import { compiledStatement } from '../db/compiled-statement.js';
import type { Db } from '../db/connect.js';
import { idAmong, skippingLockedRows } from '../db/dialect.js';
import type { Database, OutboxRow, OutboxStatus } from '../db/tables.js';
import { newId } from '../ids.js';

export interface NewOutboxRow {
  kind: string;
  payload: unknown;
  dedupeKey: string;
  now: number;
  /** Not delivered before this time (batching windows, throttled newsletter batches). */
  notBefore: number;
}

type QueuedValues = Omit<OutboxRow, 'status' | 'attempts' | 'claimed_by' | 'claimed_at' | 'last_error' | 'sent_at'>;

/**
 * The insert of a queued row, unless its dedupe key is already queued, with each value standing
 * for the caller's: for statements that queue an event together with their own write.
 */
export function queueUnlessQueued(db: Db, value: <K extends keyof QueuedValues>(name: K) => QueuedValues[K]) {
  return db
    .insertInto('outbox')
    .values(queuedRow(value))
    .onConflict((oc) => oc.column('dedupe_key').doNothing());
}

/** A new row of the queue, each given value standing for the caller's. */
function queuedRow(value: <K extends keyof QueuedValues>(name: K) => QueuedValues[K]) {
  return {
    id: value('id'),
    kind: value('kind'),
    payload: value('payload'),
    dedupe_key: value('dedupe_key'),
    status: 'queued' as const,
    attempts: 0,
    next_attempt_at: value('next_attempt_at'),
    claimed_by: null,
    claimed_at: null,
    last_error: null,
    created_at: value('created_at'),
    sent_at: null,
  };
}

const insertUnlessQueued = compiledStatement<QueuedValues, { id: string }>((db, value) => queueUnlessQueued(db, value).returning('id'));

const queuedValues = (row: NewOutboxRow): QueuedValues => ({
  id: newId(row.now),
  kind: row.kind,
  payload: JSON.stringify(row.payload),
  dedupe_key: row.dedupeKey,
  next_attempt_at: row.notBefore,
  created_at: row.now,
});

/** Inserts a row unless its dedupe key is already queued; true when this call inserted it. */
export async function insertOutbox(db: Db, row: NewOutboxRow): Promise<boolean> {
  const inserted = await insertUnlessQueued(db, queuedValues(row));
  return inserted.rows.length > 0;
}

/** Rows per INSERT of `insertOutboxRows`: well within either database's limit on parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Inserts many rows, each unless its dedupe key is already queued (or comes earlier in the list),
 * a few hundred to a statement: a fan-out's emails for a whole batch of events.
 */
export async function insertOutboxRows(db: Db, rows: readonly NewOutboxRow[]): Promise<void> {
  const keys = new Set<string>();
  const values = rows.filter((row) => !keys.has(row.dedupeKey) && keys.add(row.dedupeKey)).map(queuedValues);
  for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
    const part = values.slice(i, i + ROWS_PER_INSERT).map((v) => queuedRow((name) => v[name]));
    await db
      .insertInto('outbox')
      .values(part)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

interface ClaimArgs {
  workerId: string;
  now: number;
  leaseMs: number;
  limit: number;
  kinds: readonly string[];
}

/**
 * Claims the rows `pick` selects (its ids, at most `limit`, in its order) for the worker. The pick
 * is a materialized WITH part, run once: as `id in (pick)`, PostgreSQL may run it again for every
 * row it compares (a plan made while the table was small), each run skipping the rows the last
 * one locked, so one claim took a thousand rows and a quarter of a second.
 */
function claim(db: Db, args: ClaimArgs, pick: SelectQueryBuilder<Database, 'outbox', { id: string }>): Promise<OutboxRow[]> {
  // Only kinds this worker knows: other features may queue rows of their own.
  const ids = skippingLockedRows(db, pick.where('kind', 'in', args.kinds).limit(args.limit));
  return db
    .with(
      (w) => w('picked').materialized(),
      () => ids,
    )
    .updateTable('outbox')
    .set({ status: 'sending', claimed_by: args.workerId, claimed_at: args.now })
    .where(idAmong(db, 'picked'))
    .returningAll()
    .execute();
}

/**
 * Takes up to `limit` rows whose lease ran out (their process died), then rows that are due, oldest
 * first, for `workerId`. Two claims, each a short walk of an index on the status (few rows are ever
 * being sent; due rows come in time order): one query for both would read and sort the whole
 * backlog on every claim, which under a burst of comments grows by the second.
 */
export async function claimDue(db: Db, args: ClaimArgs): Promise<OutboxRow[]> {
  const expired = await claim(
    db,
    args,
    db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'sending')
      .where('claimed_at', '<', args.now - args.leaseMs)
      .orderBy('claimed_at'),
  );
  if (expired.length >= args.limit) return expired;
  const due = await claim(
    db,
    { ...args, limit: args.limit - expired.length },
    db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'queued')
      // The time hidden from the planner: known, it is past the newest row the statistics saw, and
      // PostgreSQL, expecting a handful of due rows, read every due row and sorted them (5 to 14 ms
      // a claim under a backlog of 8,000 events) instead of walking the index to the twentieth.
      .where('next_attempt_at', '<=', sql<number>`(select cast(${args.now} as bigint))`)
      .orderBy('next_attempt_at')
      .orderBy('id'),
  );
  return [...expired, ...due];
}

const markOutcome = compiledStatement<{ id: string; status: 'sent' | 'skipped'; now: number; note: string | null }, unknown>((db, value) =>
  db
    .updateTable('outbox')
    .set({ status: value('status'), sent_at: value('now'), claimed_by: null, claimed_at: null, last_error: value('note') })
    .where('id', '=', value('id'))
    .where('status', '=', 'sending'),
);

export async function markDone(db: Db, id: string, status: 'sent' | 'skipped', now: number, note: string | null = null): Promise<void> {
  await markOutcome(db, { id, status, now, note });
}

/** Marks many claimed rows sent in one statement (a batch of events fanned out together). */
export async function markAllSent(db: Db, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, claimed_by: null, claimed_at: null, last_error: null })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute();
}

/** Records a failed attempt: back to the queue for later, or parked for a person to look at. */
export async function markFailed(
  db: Db,
  id: string,
  args: { attempts: number; parked: boolean; nextAttemptAt: number; error: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: args.parked ? 'parked' : 'queued',
      attempts: args.attempts,
      next_attempt_at: args.nextAttemptAt,
      claimed_by: null,
      claimed_at: null,
      last_error: args.error.slice(0, 1000),
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Gives back rows a stopping worker claimed but did not start: due again at once, attempt not counted. */
export async function releaseClaims(db: Db, ids: readonly string[], workerId: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ status: 'queued', claimed_by: null, claimed_at: null })
    .where('id', 'in', ids)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'sending')
    .execute();
}

export function findOutboxRow(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of rows with one status, newest first, keyed by id (UUIDv7 sorts by time). */
export async function listOutbox(
  db: Db,
  args: { status: OutboxStatus; limit: number; before?: string | undefined },
): Promise<{ rows: OutboxRow[]; total: number }> {
  let q = db.selectFrom('outbox').selectAll().where('status', '=', args.status);
  if (args.before) q = q.where('id', '<', args.before);
  const rows = await q.orderBy('id', 'desc').limit(args.limit).execute();
  const count = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', args.status)
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** Puts a parked row back in the queue with a fresh count of attempts. */
export async function requeueParked(db: Db, id: string, now: number): Promise<OutboxRow | undefined> {
  return db
    .updateTable('outbox')
    .set({ status: 'queued', attempts: 0, next_attempt_at: now, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'parked')
    .returningAll()
    .executeTakeFirst();
}

/** How many rows (of one kind) are in each status (the worker's health, and tests). */
export async function countByStatus(db: Db, kind?: string): Promise<Record<string, number>> {
  let q = db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll().as('n')]);
  if (kind) q = q.where('kind', '=', kind);
  const rows = await q.groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
