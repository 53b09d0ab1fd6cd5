import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SummaryRow, summarizeThread } from './thread-summary.js';

const row = (id: string, at: number, over: Partial<SummaryRow> = {}): SummaryRow => ({
  id,
  root_id: 'r',
  status: 'published',
  visibility: 'public',
  staff_user_id: null,
  kind: 'comment',
  created_at: at,
  ...over,
});

describe('the thread summary', () => {
  it('waits from the oldest reader comment after the last staff reply', () => {
    const s = summarizeThread([row('r', 1), row('a', 2, { staff_user_id: 'k' }), row('b', 3), row('c', 4)]);
    assert.deepEqual(s, {
      last_reader_at: 4,
      last_staff_at: 2,
      awaiting_since: 3,
      awaiting_comment_id: 'b',
      reply_count: 3,
      public_count: 4,
    });
  });

  it('is answered when a staff reply is the latest', () => {
    const s = summarizeThread([row('r', 1), row('a', 2, { staff_user_id: 'k' })]);
    assert.equal(s.awaiting_since, null);
    assert.equal(s.awaiting_comment_id, null);
  });

  it('counts a held question as waiting, ignores spam and deleted comments, and counts private ones as waiting but not as public', () => {
    const s = summarizeThread([
      row('r', 1, { status: 'pending' }),
      row('a', 2, { status: 'spam' }),
      row('b', 3, { status: 'trash' }),
      row('c', 4, { visibility: 'private' }),
    ]);
    assert.equal(s.awaiting_comment_id, 'r', 'a first-time reader held for approval waits from when she wrote');
    assert.equal(s.public_count, 0);
    assert.equal(s.reply_count, 1);
    assert.equal(s.last_reader_at, 4, "only published words are the thread's last");
    const spamOnly = summarizeThread([row('r', 1, { status: 'spam' }), row('b', 3, { status: 'trash' })]);
    assert.equal(spamOnly.awaiting_comment_id, null);
  });

  it('never waits on a mention, and a staff reply answers a held question before it', () => {
    assert.equal(summarizeThread([row('r', 1, { kind: 'mention' })]).awaiting_comment_id, null);
    const answered = summarizeThread([row('r', 1, { status: 'pending' }), row('a', 2, { staff_user_id: 'k' })]);
    assert.equal(answered.awaiting_comment_id, null);
    const later = summarizeThread([row('r', 1), row('a', 2, { staff_user_id: 'k' }), row('h', 3, { status: 'pending' })]);
    assert.equal(later.awaiting_comment_id, 'h');
  });

  it('does not care about the order of its rows', () => {
    const rows = [row('c', 4), row('r', 1), row('a', 2, { staff_user_id: 'k' })];
    assert.equal(summarizeThread(rows).awaiting_comment_id, 'c');
  });
});
