// The Redis limiter against the Redis server the machine runs (REDIS_URL's usual address).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRedisRateLimiter, type RedisRateLimiter } from './redis-rate-limiter.js';

describe('rate limits in Redis', () => {
  let one: RedisRateLimiter;
  let two: RedisRateLimiter;
  const prefix = `hearth-test:${randomUUID()}:`;
  before(() => {
    // Two limiters stand for two processes of one site.
    one = createRedisRateLimiter('redis://127.0.0.1:6379', prefix);
    two = createRedisRateLimiter('redis://127.0.0.1:6379', prefix);
  });
  after(async () => {
    await one.close();
    await two.close();
  });

  it('counts hits from every process in one window and says when to come back', async () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 10);
    for (let i = 0; i < 3; i++) assert.deepEqual(await (i % 2 ? two : one).hit('email:a@example.com', 3, 60, now), { ok: true });
    assert.deepEqual(await two.hit('email:a@example.com', 3, 60, now), { ok: false, retryAfterSeconds: 50 });
    assert.deepEqual(await one.hit('email:b@example.com', 3, 60, now), { ok: true }, 'buckets are separate');
    assert.deepEqual(await one.hit('email:a@example.com', 3, 60, now + 60_000), { ok: true }, 'a new window starts afresh');
  });

  it('lets a key through once per window, whichever process asks, even when both ask at once', async () => {
    const key = `click:${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? two : one).once(key, 1, Date.now())));
    assert.equal(answers.filter(Boolean).length, 1);
    assert.equal(await one.once(`other:${key}`, 1, Date.now()), true, 'keys are separate');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await two.once(key, 1, Date.now()), true, 'the window has passed');
  });

  it('lets a comment through when Redis cannot be reached, rather than losing it', async () => {
    const nowhere = createRedisRateLimiter('redis://127.0.0.1:1', prefix);
    try {
      assert.deepEqual(await nowhere.hit('email:c@example.com', 1, 60, Date.now()), { ok: true });
    } finally {
      await nowhere.close();
    }
  });
});
