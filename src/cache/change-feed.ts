// What changed on the site, told to every process that serves it: the page cache forgets what a
// change makes stale, and open pages hear of new comments. How processes hear each other is the
// database's (src/db/notify-channel.ts: NOTIFY on PostgreSQL; on SQLite, one process, whose feed
// is local, notices other writers such as a CLI import through data_version). This file says what
// the messages mean: a change, once, to every subscriber, and a whole-site change whenever the
// process may have missed some.
import { randomUUID } from 'node:crypto';
import type { Connection } from '../db/connect.js';
import { type NotifyChannel, openNotifyChannel, watchSqlite } from '../db/notify-channel.js';

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

/** NOTIFY's payload is at most 8,000 bytes; a message of many changes is cut below that. */
const MESSAGE_BYTES = 7_000;

/** The messages that carry these changes: one change as before, several as a list. */
export function messagesOf(origin: string, changes: readonly SiteChange[]): string[] {
  if (changes.length === 1) return [JSON.stringify({ from: origin, change: changes[0] })];
  const messages: string[] = [];
  let part: SiteChange[] = [];
  let bytes = 0;
  for (const change of changes) {
    const size = Buffer.byteLength(JSON.stringify(change)) + 1;
    if (part.length > 0 && bytes + size > MESSAGE_BYTES) {
      messages.push(JSON.stringify({ from: origin, changes: part }));
      part = [];
      bytes = 0;
    }
    part.push(change);
    bytes += size;
  }
  if (part.length > 0) messages.push(JSON.stringify({ from: origin, changes: part }));
  return messages;
}

/** The changes a message carries (one, or a list), and who sent it. */
export function changesOf(payload: string): { from: string; changes: SiteChange[] } {
  const message = JSON.parse(payload) as { from: string; change?: SiteChange; changes?: SiteChange[] };
  return { from: message.from, changes: message.changes ?? (message.change ? [message.change] : []) };
}

/**
 * A feed over a channel: this process hears its own changes at once, and its messages that come
 * back are skipped. One message is on its way at a time: the changes published while it travels,
 * and those of the turn it is sent in, go together in the next. Under a burst of comments one
 * NOTIFY (one round trip, one transaction, one wake-up of every listening process) carries the
 * changes of every write that finished meanwhile; a quiet site sends each change at once.
 */
export function feedOver(
  subscribers: ReturnType<typeof listeners>,
  channel: NotifyChannel,
  origin: string,
  onError: (err: Error) => void,
): ChangeFeed {
  let waiting: SiteChange[] = [];
  // The message that will carry `waiting`, sent once the one before it is.
  let next: Promise<void> | undefined;
  let last: Promise<void> = Promise.resolve();
  async function sendWaiting(): Promise<void> {
    const changes = waiting;
    waiting = [];
    next = undefined;
    for (const message of messagesOf(origin, changes)) {
      try {
        await channel.send(message);
      } catch (err) {
        // The change is committed; only the word to other processes is lost. They lost their
        // channel in the same outage and forget every kept page when they hear again.
        onError(err as Error);
      }
    }
  }
  return {
    publish(change) {
      subscribers.emit(change);
      waiting.push(change);
      if (!next) {
        next = last.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(sendWaiting);
        last = next;
      }
      return next;
    },
    subscribe: subscribers.add,
    poll: () => channel.poll(),
    close: () => channel.close(),
  };
}

/** A feed for one process; given a SQLite handle, it also notices other writers (data_version). */
export function createLocalChangeFeed(sqlite?: Connection['sqlite']): ChangeFeed {
  const subscribers = listeners();
  const channel = watchSqlite(sqlite, { othersWrote: () => subscribers.emit({ scope: 'site' }) });
  return feedOver(subscribers, channel, randomUUID(), () => {});
}

/**
 * The feed of every process on this database. Changes sent while a process was deaf (its
 * PostgreSQL connection dropped) are unknown, so every page kept is forgotten when it goes deaf and
 * again when it hears again, and the second time says since when it was deaf, so open live
 * streams can be told of comments they missed.
 */
export async function createChangeFeed(conn: Connection, onError: (err: Error) => void): Promise<ChangeFeed> {
  const subscribers = listeners();
  const origin = randomUUID();
  const channel = await openNotifyChannel(conn, {
    message(payload) {
      try {
        const { from, changes } = changesOf(payload);
        if (from !== origin) for (const change of changes) subscribers.emit(change);
      } catch (err) {
        onError(err as Error);
      }
    },
    othersWrote: () => subscribers.emit({ scope: 'site' }),
    deaf: () => subscribers.emit({ scope: 'site' }),
    heard: (deafSince) => subscribers.emit({ scope: 'site', missedSince: deafSince }),
    error: onError,
  });
  return feedOver(subscribers, channel, origin, onError);
}
