// What the site memo keeps: a value made once for the requests that want it together, and made
// again after a site-wide change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../clock.js';
import { createLocalChangeFeed } from './change-feed.js';
import { createSiteMemo } from './site-memo.js';

describe('the site memo', () => {
  it('makes a value once for requests that want it at the same time, and again after a site change', async () => {
    const changes = createLocalChangeFeed();
    const memo = createSiteMemo<number>({ clock: systemClock, changes });
    let made = 0;
    let finish: (value: number) => void = () => {};
    const make = () => {
      made += 1;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const together = [memo.get('post-1', make), memo.get('post-1', make), memo.get('post-1', make)];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(made, 1, 'the requests that came together wait for one making');
    finish(7);
    assert.deepEqual(await Promise.all(together), [7, 7, 7]);
    assert.equal(await memo.get('post-1', make), 7, 'then it is kept');
    assert.equal(made, 1);

    await changes.publish({ scope: 'site' });
    const again = memo.get('post-1', make);
    await new Promise((resolve) => setImmediate(resolve));
    finish(8);
    assert.equal(await again, 8);
    assert.equal(made, 2, 'a site change makes it again');
  });

  it('lets a failed making fail every request that waited for it, and tries again on the next', async () => {
    const memo = createSiteMemo<number>({ clock: systemClock, changes: createLocalChangeFeed() });
    let made = 0;
    const failing = async () => {
      made += 1;
      throw new Error('the database went away');
    };
    const results = await Promise.allSettled([memo.get('post-1', failing), memo.get('post-1', failing)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(made, 1);
    assert.equal(await memo.get('post-1', async () => 3), 3);
  });
});
