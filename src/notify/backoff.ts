// When to try a failed delivery again: exponential steps, capped, with jitter so that many
// messages failing together (a mail server down) do not all come back in the same second.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 60 * 60_000 };

/** Delay before attempt `failures + 1`: "equal jitter", between half and all of the capped step. */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
