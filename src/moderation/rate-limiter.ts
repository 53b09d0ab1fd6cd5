// Rate limits as an interface: the database implementation works for one process or many; a Redis
// one can take its place (REDIS_URL) without its callers knowing.
import type { Db } from '../db/connect.js';
import { countHit, deleteMarksBefore, deleteWindowsBefore, markOnce } from './rate-limit-store.js';

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one hit in `bucket` and says whether it stays within `max` per window. */
  hit(bucket: string, max: number, windowSeconds: number, now: number): Promise<RateVerdict>;
  /**
   * True when `key` was not let through in the last `windowSeconds` (at most a day), and lets it
   * through now; false, leaving the window where it was, when it was. Of parallel calls, one wins.
   */
  once(key: string, windowSeconds: number, now: number): Promise<boolean>;
}

const DAY = 24 * 60 * 60 * 1000;

export function createDbRateLimiter(db: Db): RateLimiter {
  let lastSweep = 0;
  // Old windows and marks are swept now and then, so the tables stay small without a job.
  const sweep = async (now: number) => {
    if (now - lastSweep <= 60 * 60 * 1000) return;
    lastSweep = now;
    await deleteWindowsBefore(db, now - DAY);
    await deleteMarksBefore(db, now - DAY);
  };
  return {
    async hit(bucket, max, windowSeconds, now) {
      const windowMs = windowSeconds * 1000;
      const windowStart = now - (now % windowMs);
      const hits = await countHit(db, bucket, windowStart);
      await sweep(now);
      if (hits <= max) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
    },
    async once(key, windowSeconds, now) {
      const first = await markOnce(db, key, now, windowSeconds * 1000);
      await sweep(now);
      return first;
    },
  };
}
