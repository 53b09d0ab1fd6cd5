// The pause between rounds of a background loop (the outbox worker, the mailbox poller, the
// Webmention worker): it ends when its time is up, or at once when the loop is told to stop.

export interface Nap {
  sleep(ms: number): Promise<void>;
  /** Ends the pause in progress, if any. */
  wake(): void;
}

export function createNap(): Nap {
  let wake: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    wake: () => wake?.(),
  };
}
