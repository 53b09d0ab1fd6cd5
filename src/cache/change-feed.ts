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
  /** Anything else (posts, settings, an import): every page may be stale. */
  | { scope: 'site' };

export type ChangeListener = (change: SiteChange) => void;

export interface ChangeFeed {
  /** Tells every process, this one included. Call it after the change committed. */
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

/** A feed shared by every process on one PostgreSQL database. */
export async function createPostgresChangeFeed(pool: pg.Pool, onError: (err: Error) => void): Promise<ChangeFeed> {
  const subscribers = listeners();
  // Notifications are database-wide: a site in its own schema listens on a channel of its own.
  const schema = String((await pool.query('select current_schema() as s')).rows[0]?.s ?? 'public');
  const channel = schema === 'public' ? CHANNEL : `${CHANNEL}_${schema.toLowerCase().replace(/\W/g, '_')}`.slice(0, 63);
  // This process hears its own changes at once; its notifications come back and are skipped.
  const origin = randomUUID();
  let client: pg.PoolClient | undefined;
  let closed = false;

  async function listen(): Promise<void> {
    const next = await pool.connect();
    next.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      try {
        const { from, change } = JSON.parse(message.payload) as { from: string; change: SiteChange };
        if (from !== origin) subscribers.emit(change);
      } catch (err) {
        onError(err as Error);
      }
    });
    next.on('error', (err) => {
      onError(err);
      next.release(err);
      client = undefined;
      // Changes made while we were not listening are unknown: forget everything, then listen again.
      subscribers.emit({ scope: 'site' });
      if (!closed) setTimeout(() => listen().catch(onError), 1000).unref();
    });
    await next.query(`listen ${channel}`);
    client = next;
  }
  await listen();

  return {
    async publish(change) {
      subscribers.emit(change);
      await pool.query('select pg_notify($1, $2)', [channel, JSON.stringify({ from: origin, change })]);
    },
    subscribe: subscribers.add,
    poll() {},
    async close() {
      closed = true;
      if (client) {
        await client.query(`unlisten ${channel}`).catch(() => {});
        client.release();
        client = undefined;
      }
    },
  };
}

export function createChangeFeed(conn: Connection, onError: (err: Error) => void): Promise<ChangeFeed> {
  if (conn.kind === 'postgres' && conn.pool) return createPostgresChangeFeed(conn.pool, onError);
  return Promise.resolve(createLocalChangeFeed(conn.sqlite));
}
