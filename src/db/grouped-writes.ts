// Group commit for writes that arrive together. On PostgreSQL a busy post's comments each take
// their turn on the post's row, and every turn lasts a statement and its commit: one at a time, a
// lone PostgreSQL on two cores commits about 1,200 new threads a second on one post with a third
// of its CPU idle. Written as one statement, eight of them commit in little more than the time of
// one. So a write that finds enough writes already on their way waits for the next group: every
// write that arrives meanwhile goes with it, in one statement and one commit, and each writer is
// answered once that commit is acknowledged (durable as before). A quiet site's write goes at once.

export interface GroupedWrites<T, R> {
  /** Writes all of them in one statement, giving each its answer in the same order. */
  together(items: readonly T[]): Promise<R[]>;
  /** Writes one alone: when a group fails, each of its writes is tried alone, so only a bad one fails. */
  alone(item: T): Promise<R>;
  /** How many groups may be on their way at once. */
  inFlight: number;
  /** How many writes a group holds at most. */
  most: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(answer: R): void;
  reject(err: unknown): void;
}

/** One write's answer; it goes with whatever others wait when its turn comes. */
export function groupedWrites<T, R>(writes: GroupedWrites<T, R>): (item: T) => Promise<R> {
  const waiting: Waiting<T, R>[] = [];
  let running = 0;

  async function write(group: Waiting<T, R>[]): Promise<void> {
    let answers: R[];
    try {
      answers = await writes.together(group.map((w) => w.item));
    } catch (err) {
      if (group.length === 1) {
        group[0]?.reject(err);
        return;
      }
      // Nothing of the group was written (one statement): each is written or refused on its own.
      await Promise.all(group.map((w) => writes.alone(w.item).then(w.resolve, w.reject)));
      return;
    }
    for (const [i, w] of group.entries()) w.resolve(answers[i] as R);
  }

  function next(): void {
    while (running < writes.inFlight && waiting.length > 0) {
      running++;
      void write(waiting.splice(0, writes.most)).finally(() => {
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
