// The comment pager's short list of page numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageWindow } from './comment-views.js';

describe('pageWindow', () => {
  it('lists every page of a short conversation', () => {
    assert.deepEqual(pageWindow(1, 3), [1, 2, 3]);
    assert.deepEqual(pageWindow(4, 7), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps the first, the last and two on each side of the current page, with gaps between', () => {
    assert.deepEqual(pageWindow(1, 10), [1, 2, 3, null, 10]);
    assert.deepEqual(pageWindow(6, 10), [1, null, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(pageWindow(50, 100), [1, null, 48, 49, 50, 51, 52, null, 100]);
    assert.deepEqual(pageWindow(100, 100), [1, null, 98, 99, 100]);
  });

  it('shows a lone left-out number rather than a gap', () => {
    assert.deepEqual(pageWindow(5, 10), [1, 2, 3, 4, 5, 6, 7, null, 10]);
  });

  it('always shows the current, first and last pages in order, and never two gaps together', () => {
    for (let pages = 1; pages <= 40; pages++) {
      for (let current = 1; current <= pages; current++) {
        const shown = pageWindow(current, pages);
        const numbers = shown.filter((p) => p !== null);
        assert.ok(numbers.includes(current) && numbers.includes(1) && numbers.includes(pages), `${current} of ${pages}`);
        assert.deepEqual(
          numbers,
          [...numbers].sort((a, b) => a - b),
        );
        for (let i = 1; i < shown.length; i++) {
          assert.ok(!(shown[i] === null && shown[i - 1] === null), `${current} of ${pages}: two gaps together`);
          const [a, b] = [shown[i - 1] ?? null, shown[i] ?? null];
          // Numbers side by side follow each other.
          if (a !== null && b !== null) assert.equal(b, a + 1, `${current} of ${pages}`);
        }
        for (let i = 1; i < shown.length - 1; i++) {
          const [a, b] = [shown[i - 1] ?? null, shown[i + 1] ?? null];
          // A gap stands for two numbers or more.
          if (shown[i] === null && a !== null && b !== null) assert.ok(b - a > 2, `${current} of ${pages}: a gap of one number`);
        }
      }
    }
  });
});
