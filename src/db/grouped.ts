// Statements that arrive together go to PostgreSQL together. On a busy post every new thread
// takes its turn on the post's row for a statement and its commit: a lone PostgreSQL on two cores,
// one new thread a statement, commits about 1,200 a second on one post with a third of its CPU
// idle, waiting; eight to a statement, about 5,000. And each round trip, read or write, costs both
// sides a wake-up and system calls that cost more than the small statements themselves. So a call
// that finds a group on its way waits for the next: every call that arrives meanwhile goes with
// it, in one statement (for writes, one commit: each writer is answered once it is acknowledged,
// durable as before). A quiet site's call goes at once, alone.
import { type Db, isPostgres } from './connect.js';

export interface Grouped<T, R> {
  /** Runs all of them as one statement, giving each its answer in the same order. */
  together(items: readonly T[]): Promise<R[]>;
  /** Runs one alone: when a group fails, each of its calls is run alone, so only a bad one fails. */
  alone(item: T): Promise<R>;
  /** How many groups may be on their way at once (IN_FLIGHT unless given). */
  inFlight?: number;
  /** How many calls a group holds at most (MOST unless given). */
  most?: number;
}

/**
 * One group on its way at a time: the calls that arrive meanwhile make the next one larger, and
 * each group saved is a round trip and, for writes, a commit. Measured under the benchmark's
 * posting, alternating, CPU per comment (Hearth and PostgreSQL): one in flight 1,652 to 2,033 µs,
 * two 1,980 to 2,219, three 2,416 to 2,601; and comments/s, one against two: 915, 997, 642
 * against 757, 979, 726.
 */
const IN_FLIGHT = 1;
/** A group's JSON stays under a few megabytes even when every comment is as long as allowed. */
const MOST = 64;

interface Waiting<T, R> {
  item: T;
  resolve(answer: R): void;
  reject(err: unknown): void;
}

/**
 * Calls on `db` grouped where they cross to another process (PostgreSQL); on SQLite, in the
 * process, each runs alone, as it is.
 */
export function groupedOn<T, R>(db: Db, calls: Grouped<T, R>): (item: T) => Promise<R> {
  return isPostgres(db) ? grouped(calls) : (item) => calls.alone(item);
}

/**
 * A value as a JSON parameter, its strings well-formed: a lone surrogate (`\ud800`) reaches
 * PostgreSQL as U+FFFD in a text parameter (the driver's UTF-8 replaces it) but as an escape its
 * json type refuses; so it is replaced here too, and both ways store the same words.
 */
export function jsonParameter(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v));
}

type Utf16 = { isWellFormed(): boolean; toWellFormed(): string };
const wellFormed = (s: string): string => ((s as unknown as Utf16).isWellFormed() ? s : (s as unknown as Utf16).toWellFormed());

/** One call's answer; it goes with whatever others wait when its turn comes. */
export function grouped<T, R>(calls: Grouped<T, R>): (item: T) => Promise<R> {
  const { inFlight = IN_FLIGHT, most = MOST } = calls;
  const waiting: Waiting<T, R>[] = [];
  let running = 0;

  async function run(group: Waiting<T, R>[]): Promise<void> {
    let answers: R[];
    try {
      answers = await calls.together(group.map((w) => w.item));
    } catch (err) {
      if (group.length === 1) {
        group[0]?.reject(err);
        return;
      }
      // Nothing of the group was written (one statement): each is run, and answered or refused, on its own.
      await Promise.all(group.map((w) => calls.alone(w.item).then(w.resolve, w.reject)));
      return;
    }
    for (const [i, w] of group.entries()) w.resolve(answers[i] as R);
  }

  function next(): void {
    while (running < inFlight && waiting.length > 0) {
      running++;
      void run(waiting.splice(0, most)).finally(() => {
        running--;
        next();
      });
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      next();
    });
}
