// Rate limits kept in Redis (REDIS_URL): every process of a site counts in the same windows, and
// the database is spared a write per comment. Fixed windows, as the database limiter keeps them.
import type { Redis } from 'ioredis';
import type { RateLimiter } from './rate-limiter.js';

export interface RedisRateLimiter extends RateLimiter {
  close(): Promise<void>;
}

export function createRedisRateLimiter(url: string, prefix = 'hearth:rate:'): RedisRateLimiter {
  // Commands wait while Redis reconnects instead of failing at once; a limiter that cannot answer
  // for 2 s lets the comment through rather than losing the reader's words.
  // Loaded here, not at start: most sites count in their database and need no Redis client.
  const connecting: Promise<Redis> = import('ioredis').then(({ Redis }) => {
    const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: 2000 });
    client.on('error', () => {});
    return client;
  });
  return {
    async hit(bucket, max, windowSeconds, now) {
      const windowMs = windowSeconds * 1000;
      const windowStart = now - (now % windowMs);
      const key = `${prefix}${bucket}:${windowStart}`;
      let hits: number;
      try {
        const result = await (await connecting)
          .multi()
          .incr(key)
          .pexpire(key, windowMs + 1000)
          .exec();
        hits = Number(result?.[0]?.[1] ?? 0);
      } catch {
        return { ok: true };
      }
      if (hits <= max) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
    },
    // SET NX with an expiry is the mark: it exists exactly while the window lasts, by Redis's clock.
    async once(key, windowSeconds) {
      if (windowSeconds <= 0) return true;
      try {
        return (await (await connecting).set(`${prefix}once:${key}`, '1', 'PX', Math.ceil(windowSeconds * 1000), 'NX')) === 'OK';
      } catch {
        return true;
      }
    },
    async close() {
      const redis = await connecting;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
