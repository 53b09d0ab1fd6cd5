import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editMarkOf, editorIds } from './edit-mark.js';

describe('the “edited by” mark staff see', () => {
  const names = new Map([['mo', 'Mo Derator']]);
  const row = (edited_at: number | null, edited_by: string | null | undefined) => ({ edited_at, edited_by, author_name: 'Nora' });

  it('has no mark for words never edited', () => {
    assert.equal(editMarkOf(row(null, null), names), null);
    assert.equal(editMarkOf(row(null, 'mo'), names), null);
  });

  it('names the staff member who edited, the writer by her own name, and someone since removed as a former staff member', () => {
    assert.deepEqual(editMarkOf(row(5, 'mo'), names), { at: 5, by: 'Mo Derator', staffId: 'mo' });
    assert.deepEqual(editMarkOf(row(5, 'writer'), names), { at: 5, by: 'Nora', staffId: null });
    assert.deepEqual(editMarkOf(row(5, 'gone'), names), { at: 5, by: 'a former staff member', staffId: 'gone' });
  });

  it('says only when, for an edit older than the record of who made it', () => {
    assert.deepEqual(editMarkOf(row(5, null), names), { at: 5, by: null, staffId: null });
    assert.deepEqual(editMarkOf(row(5, undefined), names), { at: 5, by: null, staffId: null });
  });

  it('asks for the names of staff editors only, once each', () => {
    assert.deepEqual(editorIds([row(1, 'mo'), row(2, 'mo'), row(3, 'writer'), row(null, 'ann'), row(4, null), row(5, 'bea')]), [
      'mo',
      'bea',
    ]);
  });
});
