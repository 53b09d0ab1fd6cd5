import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneAtATime } from './one-at-a-time.js';

/** A task that records when it starts and ends, and finishes only when told. */
function controlled(name: string, log: string[]) {
  let finish: (ok: boolean) => void = () => {};
  const task = () =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`);
      finish = (ok) => {
        log.push(`end ${name}`);
        if (ok) resolve(name);
        else reject(new Error(`${name} failed`));
      };
    });
  return { task, finish: (ok = true) => finish(ok) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('image work one task at a time', () => {
  it('starts each task only after the one before it has finished, in the order they came', async () => {
    const queue = oneAtATime();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => controlled(n, log)) as [
      ReturnType<typeof controlled>,
      ReturnType<typeof controlled>,
      ReturnType<typeof controlled>,
    ];
    const results = [queue.run(a.task), queue.run(b.task), queue.run(c.task)];
    await tick();
    assert.deepEqual(log, ['start a'], 'b and c wait while a runs');
    a.finish();
    await tick();
    assert.deepEqual(log, ['start a', 'end a', 'start b']);
    b.finish();
    await tick();
    c.finish();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c']);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('never runs two tasks at once, however many arrive together', async () => {
    const queue = oneAtATime();
    let running = 0;
    let most = 0;
    const task = async (i: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.run(() => task(i))));
    assert.equal(most, 1);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it('gives a failed task’s error to its caller and goes on with the next', async () => {
    const queue = oneAtATime();
    const log: string[] = [];
    const bad = controlled('bad', log);
    const good = controlled('good', log);
    const failed = queue.run(bad.task);
    const next = queue.run(good.task);
    await tick();
    bad.finish(false);
    await assert.rejects(failed, /bad failed/);
    await tick();
    good.finish();
    assert.equal(await next, 'good');
  });
});
