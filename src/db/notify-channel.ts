// How processes sharing one database hear each other, in each dialect: on PostgreSQL one pooled
// connection LISTENs on a channel and messages go out with NOTIFY; SQLite has no messages (one
// machine, usually one process), so a process notices another's commits by polling PRAGMA
// data_version. src/cache/change-feed.ts says what the messages mean; this file only carries them.
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Connection } from './connect.js';

export interface NotifyHandlers {
  /** A message another process (or this one) sent on the channel. */
  message(payload: string): void;
  /** Another connection committed a write (SQLite, found by poll()): what changed is unknown. */
  othersWrote(): void;
  /** The channel was lost (the database dropped its connection): messages sent now are missed. */
  deaf(): void;
  /** The channel listens again after being deaf since `deafSince` (epoch ms). */
  heard(deafSince: number): void;
  error(err: Error): void;
}

export interface NotifyChannel {
  /** Sends to every process listening, this one included; on SQLite nobody listens, and nothing is sent. */
  send(payload: string): Promise<void>;
  /** Looks for commits by other connections (SQLite); where messages arrive by themselves, does nothing. */
  poll(): void;
  close(): Promise<void>;
}

const CHANNEL = 'hearth_changes';

/** Waits between attempts to listen again: 0.25 s doubling to 5 s, forever (a deaf process may keep stale pages). */
export function relistenDelay(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
}

/** The channel of this connection's database: NOTIFY on PostgreSQL, data_version polling on SQLite. */
export function openNotifyChannel(conn: Connection, on: NotifyHandlers): Promise<NotifyChannel> {
  if (conn.pool) return listenOnPostgres(conn.pool, on);
  return Promise.resolve(watchSqlite(conn.sqlite, on));
}

/**
 * No channel on SQLite: `data_version` moves only when another connection commits (our own writes
 * leave it alone), so poll() tells of writes by another process, a CLI import say. Without a raw
 * handle (a test's feed) there is nothing to watch.
 */
export function watchSqlite(sqlite: Pick<SQLite.Database, 'pragma'> | undefined, on: Pick<NotifyHandlers, 'othersWrote'>): NotifyChannel {
  let version = sqlite?.pragma('data_version', { simple: true });
  return {
    async send() {},
    poll() {
      if (!sqlite) return;
      const now = sqlite.pragma('data_version', { simple: true });
      if (now !== version) {
        version = now;
        on.othersWrote();
      }
    },
    async close() {},
  };
}

/**
 * One connection of the pool LISTENs for the site's life: when the database drops it (a restart,
 * a failover), it listens again with backoff for as long as it takes, saying when it went deaf and
 * when it hears again.
 */
async function listenOnPostgres(pool: pg.Pool, on: NotifyHandlers): Promise<NotifyChannel> {
  // Notifications are database-wide: a site in its own schema listens on a channel of its own.
  const schema = String((await pool.query('select current_schema() as s')).rows[0]?.s ?? 'public');
  const channel = schema === 'public' ? CHANNEL : `${CHANNEL}_${schema.toLowerCase().replace(/\W/g, '_')}`.slice(0, 63);
  let client: pg.PoolClient | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  function hear(message: pg.Notification): void {
    if (message.channel !== channel || !message.payload) return;
    on.message(message.payload);
  }

  async function listen(): Promise<void> {
    const next = await pool.connect();
    let lost = false;
    const loseIt = (err: Error) => {
      if (lost) return;
      lost = true;
      if (client === next) client = undefined;
      next.release(err);
      if (closed) return;
      on.error(err);
      const deafSince = Date.now();
      on.deaf();
      relisten(0, deafSince);
    };
    next.on('notification', hear);
    next.on('error', loseIt);
    try {
      await next.query(`listen ${channel}`);
    } catch (err) {
      loseIt(err as Error);
      throw err;
    }
    if (closed) {
      next.release();
      return;
    }
    client = next;
  }

  function relisten(attempt: number, deafSince: number): void {
    if (closed) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (closed) return;
      listen().then(
        () => on.heard(deafSince),
        () => {
          // listen() that failed after connecting has already scheduled the next try itself.
          if (!client && retry === undefined) relisten(attempt + 1, deafSince);
        },
      );
    }, relistenDelay(attempt));
    retry.unref();
  }

  await listen();

  return {
    async send(payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    poll() {},
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const listening = client;
      client = undefined;
      if (listening) {
        await listening.query(`unlisten ${channel}`).catch(() => {});
        listening.release();
      }
    },
  };
}
