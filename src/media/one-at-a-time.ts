// Runs image work one task at a time, in the order it arrives. Decoding and encoding a large
// image takes a few hundred megabytes; three uploads at once would take them three times over.
// Each task waits for the one before it to settle (a failure does not stop the next), and none is
// ever dropped. One per media service, which main.ts makes once per process.

export interface OneAtATime {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function oneAtATime(): OneAtATime {
  // Settles when the last task queued has settled, whatever its outcome.
  let last: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = last.then(task);
      last = result.catch(() => {});
      return result;
    },
  };
}
