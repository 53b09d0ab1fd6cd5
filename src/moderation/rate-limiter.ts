// Rate limits as an interface: the database implementation works for one process or many; a Redis
// one can take its place (REDIS_URL) without its callers knowing.
import type { Db } from '../db/connect.js';
import { countHit, deleteWindowsBefore } from './rate-limit-store.js';

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one hit in `bucket` and says whether it stays within `max` per window. */
  hit(bucket: string, max: number, windowSeconds: number, now: number): Promise<RateVerdict>;
}

const DAY = 24 * 60 * 60 * 1000;

export function createDbRateLimiter(db: Db): RateLimiter {
  let lastSweep = 0;
  return {
    async hit(bucket, max, windowSeconds, now) {
      const windowMs = windowSeconds * 1000;
      const windowStart = now - (now % windowMs);
      const hits = await countHit(db, bucket, windowStart);
      // Old windows are swept now and then, so the table stays small without a job.
      if (now - lastSweep > 60 * 60 * 1000) {
        lastSweep = now;
        await deleteWindowsBefore(db, now - DAY);
      }
      if (hits <= max) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
    },
  };
}
