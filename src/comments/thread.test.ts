import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildThread, type PageRow, pageThreads, type ThreadNode, type ThreadRow } from './thread.js';

const row = (id: string, parent: string | null, at: number): ThreadRow => ({ id, parent_id: parent, created_at: at });
const shape = (nodes: ThreadNode<ThreadRow>[]): unknown =>
  nodes.map((n) => (n.replies.length ? { [n.comment.id]: shape(n.replies) } : n.comment.id));

describe('buildThread', () => {
  it('nests replies under their parents, oldest first', () => {
    const rows = [row('b', null, 2), row('a', null, 1), row('a2', 'a', 4), row('a1', 'a', 3), row('a1x', 'a1', 5)];
    assert.deepEqual(shape(buildThread(rows)), [{ a: [{ a1: ['a1x'] }, 'a2'] }, 'b']);
  });

  it('attaches replies deeper than the limit at the last level and names whom they answer', () => {
    const rows = [row('r', null, 1), row('d1', 'r', 2), row('d2', 'd1', 3), row('d3', 'd2', 4)];
    const tree = buildThread(rows, 2);
    assert.deepEqual(shape(tree), [{ r: [{ d1: ['d2', 'd3'] }] }]);
    const d1 = tree[0]?.replies[0];
    const d3 = d1?.replies[1];
    assert.equal(d3?.depth, 2);
    assert.equal(d3?.answers?.id, 'd2');
    assert.equal(d1?.replies[0]?.answers, undefined);
  });

  it('shows a reply whose parent is missing at the top level, so no words are lost', () => {
    const rows = [row('orphan', 'gone', 1), row('a', null, 2)];
    assert.deepEqual(shape(buildThread(rows)), ['orphan', 'a']);
  });

  it('with a depth limit of 0 shows a flat list where every reply names whom it answers', () => {
    const tree = buildThread([row('a', null, 1), row('b', 'a', 2)], 0);
    assert.deepEqual(shape(tree), ['a', 'b']);
    assert.equal(tree[1]?.answers?.id, 'a');
  });
});

describe('pageThreads', () => {
  const paged = (id: string, root: string, parent: string | null, at: number): PageRow => ({
    id,
    root_id: root,
    parent_id: parent,
    created_at: at,
  });

  it('lists threads newest first when asked, keeping replies in order', () => {
    const rows = [paged('a', 'a', null, 1), paged('b', 'b', null, 2), paged('a1', 'a', 'a', 3), paged('a2', 'a', 'a', 4)];
    assert.deepEqual(shape(pageThreads(rows, 5, 'newest').flat()), ['b', { a: ['a1', 'a2'] }]);
  });

  const rows = [
    paged('t2', 't2', null, 5),
    paged('t1', 't1', null, 1),
    // Its parent is held: it stays in its own thread, at that thread's top level.
    paged('t1-orphan', 't1', 't1-held', 3),
    paged('t1-a', 't1', 't1', 2),
    paged('t2-a', 't2', 't2', 6),
  ];

  it('orders threads by thread id and builds each on its own, oldest first inside', () => {
    assert.deepEqual(pageThreads(rows, 5, 'oldest').map(shape), [[{ t1: ['t1-a'] }, 't1-orphan'], [{ t2: ['t2-a'] }]]);
  });

  it('turns only the order of threads around for newest first', () => {
    assert.deepEqual(pageThreads(rows, 5, 'newest').map(shape), [[{ t2: ['t2-a'] }], [{ t1: ['t1-a'] }, 't1-orphan']]);
  });
});
