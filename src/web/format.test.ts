import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longDate } from './format.js';

describe('longDate', () => {
  it('writes every day from 1970 to 2100 as Intl’s en-US long date in UTC does', () => {
    const intl = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    for (let t = Date.UTC(1970, 0, 1, 23, 59); t < Date.UTC(2100, 0, 1); t += 86_400_000) assert.equal(longDate(t), intl.format(t));
  });
});
