// What changed on the site, told to every process that serves it: the page cache forgets what a
// change makes stale, and open pages hear of new comments. In one process on SQLite the feed is
// local, and writes by other processes (a CLI import) are noticed through PRAGMA data_version;
// on PostgreSQL every process LISTENs and every change is sent with NOTIFY.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Connection } from '../db/connect.js';

export type SiteChange =
  /** Comments of one post changed: its pages and the listings that show counts are stale. */
  | { scope: 'post'; postId: string; live?: { id: string; parentId: string | null } }
  /**
   * Anything else (posts, settings, an import): every page may be stale. `missedSince` (epoch ms)
   * says the process could not hear other processes from then until now.
   */
  | { scope: 'site'; missedSince?: number };

export type ChangeListener = (change: SiteChange) => void;

export interface ChangeFeed {
  /** Tells every process, this one included. Call it after the change committed; it never rejects. */
  publish(change: SiteChange): Promise<void>;
  subscribe(listener: ChangeListener): () => void;
  /** Notices writes made outside this process (SQLite only; PostgreSQL is told by NOTIFY). */
  poll(): void;
  close(): Promise<void>;
}

const CHANNEL = 'hearth_changes';

function listeners() {
  const set = new Set<ChangeListener>();
  return {
    add(listener: ChangeListener) {
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(change: SiteChange) {
      for (const listener of set) listener(change);
    },
  };
}

/** A feed for one process; on SQLite it also watches data_version for other writers. */
export function createLocalChangeFeed(sqlite?: { pragma(source: string, options: { simple: true }): unknown }): ChangeFeed {
  const subscribers = listeners();
  let version = sqlite ? sqlite.pragma('data_version', { simple: true }) : undefined;
  return {
    async publish(change) {
      subscribers.emit(change);
    },
    subscribe: subscribers.add,
    poll() {
      if (!sqlite) return;
      // data_version moves only when another connection commits: our own writes leave it alone.
      const now = sqlite.pragma('data_version', { simple: true });
      if (now !== version) {
        version = now;
        subscribers.emit({ scope: 'site' });
      }
    },
    async close() {},
  };
}

/** Waits between attempts to listen again: 0.25 s doubling to 5 s, forever (a deaf process may keep stale pages). */
export function relistenDelay(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
}

/**
 * A feed shared by every process on one PostgreSQL database. One connection of the pool LISTENs
 * for the site's life: when the database drops it (a restart, a failover), the feed listens again
 * with backoff for as long as it takes. Changes sent while it was deaf are unknown, so every page
 * kept is forgotten when it goes deaf and again when it hears again, and the second time says
 * since when it was deaf, so open live streams can be told of comments they missed.
 */
export async function createPostgresChangeFeed(pool: pg.Pool, onError: (err: Error) => void): Promise<ChangeFeed> {
  const subscribers = listeners();
  // Notifications are database-wide: a site in its own schema listens on a channel of its own.
  const schema = String((await pool.query('select current_schema() as s')).rows[0]?.s ?? 'public');
  const channel = schema === 'public' ? CHANNEL : `${CHANNEL}_${schema.toLowerCase().replace(/\W/g, '_')}`.slice(0, 63);
  // This process hears its own changes at once; its notifications come back and are skipped.
  const origin = randomUUID();
  let client: pg.PoolClient | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  function hear(message: pg.Notification): void {
    if (message.channel !== channel || !message.payload) return;
    try {
      const { from, change } = JSON.parse(message.payload) as { from: string; change: SiteChange };
      if (from !== origin) subscribers.emit(change);
    } catch (err) {
      onError(err as Error);
    }
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
      onError(err);
      const deafSince = Date.now();
      subscribers.emit({ scope: 'site' });
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
        () => subscribers.emit({ scope: 'site', missedSince: deafSince }),
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
    async publish(change) {
      subscribers.emit(change);
      try {
        await pool.query('select pg_notify($1, $2)', [channel, JSON.stringify({ from: origin, change })]);
      } catch (err) {
        // The change is committed; only the word to other processes is lost. They lost their
        // LISTEN in the same outage and forget every kept page when they listen again.
        onError(err as Error);
      }
    },
    subscribe: subscribers.add,
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

export function createChangeFeed(conn: Connection, onError: (err: Error) => void): Promise<ChangeFeed> {
  if (conn.kind === 'postgres' && conn.pool) return createPostgresChangeFeed(conn.pool, onError);
  return Promise.resolve(createLocalChangeFeed(conn.sqlite));
}
