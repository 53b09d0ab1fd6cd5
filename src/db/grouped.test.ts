// Calls that arrive while groups are on their way go together, each caller gets her
// own answer, and a group that fails is run one by one so only a bad call fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grouped, jsonParameter } from './grouped.js';

/** A store whose groups stay open until `finish` is called, recording what each held. */
function heldStore() {
  const groups: number[][] = [];
  const alone: number[] = [];
  const open: (() => void)[] = [];
  const write = grouped<number, string>({
    together: (items) => {
      groups.push([...items]);
      return new Promise((resolve, reject) => {
        open.push(() => (items.includes(13) ? reject(new Error('thirteen')) : resolve(items.map((i) => `wrote ${i}`))));
      });
    },
    alone: async (item) => {
      alone.push(item);
      if (item === 13) throw new Error('thirteen alone');
      return `alone ${item}`;
    },
    inFlight: 2,
    most: 3,
  });
  const finish = async () => {
    for (const go of open.splice(0)) go();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { write, groups, alone, finish };
}

describe('grouped writes', () => {
  it('sends a write at once while fewer groups than allowed are on their way, the rest together after', async () => {
    const s = heldStore();
    const answers = [1, 2, 3, 4, 5, 6, 7].map((i) => s.write(i));
    // Two groups on their way, alone: the others wait for one of them to finish.
    assert.deepEqual(s.groups, [[1], [2]]);
    await s.finish();
    // Then they go in groups of at most three, two groups at a time.
    assert.deepEqual(s.groups, [[1], [2], [3, 4, 5], [6, 7]]);
    await s.finish();
    assert.deepEqual(
      await Promise.all(answers),
      [1, 2, 3, 4, 5, 6, 7].map((i) => `wrote ${i}`),
    );
  });

  it('writes a failed group one by one, so only the bad write fails', async () => {
    const s = heldStore();
    const answers = [1, 2, 3, 13, 5].map((i) => s.write(i).catch((err: Error) => err.message));
    await s.finish();
    assert.deepEqual(s.groups, [[1], [2], [3, 13, 5]]);
    await s.finish();
    assert.deepEqual(s.alone, [3, 13, 5]);
    assert.deepEqual(await Promise.all(answers), ['wrote 1', 'wrote 2', 'alone 3', 'thirteen alone', 'alone 5']);
  });

  it('gives a write that failed alone its own error, without writing it again', async () => {
    const s = heldStore();
    const answer = s.write(13).catch((err: Error) => err.message);
    await s.finish();
    assert.equal(await answer, 'thirteen');
    assert.deepEqual(s.alone, []);
  });
});

describe('a JSON parameter', () => {
  it('carries a lone surrogate as the replacement character, as a text parameter does', () => {
    assert.equal(jsonParameter({ body: 'a\ud800b', list: ['\udc00'], ok: 'é🙂' }), '{"body":"a\ufffdb","list":["\ufffd"],"ok":"é🙂"}');
  });
});
