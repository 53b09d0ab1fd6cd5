// The two rules the inbox and the commenter page add to shared logic: a dismissal in the thread
// summary, and trusted readers in the hold decision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SummaryRow, summarizeThread } from '../comments/thread-summary.js';
import { conversationSettingsSchema } from '../moderation/conversation-settings.js';
import { receive } from '../moderation/moderation-rules.js';

const row = (id: string, at: number, staff = false): SummaryRow => ({
  id,
  root_id: 'r',
  status: 'published',
  visibility: 'public',
  staff_user_id: staff ? 'staff' : null,
  kind: 'comment',
  created_at: at,
});

describe('a dismissed thread', () => {
  it('awaits nothing for words written up to the dismissal, and awaits a later follow-up', () => {
    const rows = [row('r', 10), row('b', 20)];
    assert.equal(summarizeThread(rows).awaiting_comment_id, 'r');
    assert.equal(summarizeThread(rows, 20).awaiting_since, null);
    const later = summarizeThread([...rows, row('c', 30)], 20);
    assert.equal(later.awaiting_comment_id, 'c');
    assert.equal(later.awaiting_since, 30);
    assert.equal(summarizeThread([...rows, row('s', 40, true), row('d', 50)], 20).awaiting_comment_id, 'd');
  });
});

describe('a trusted reader', () => {
  const s = conversationSettingsSchema.parse({ trustedEmails: ['Maya@Example.com'], blockedWords: ['casino'] });
  const comment = {
    name: 'Maya',
    email: 'maya@example.com',
    url: null,
    markdown: 'First words, with https://a.example https://b.example https://c.example',
    ip: null,
    honeypotFilled: false,
    firstTime: true,
    spamVerdict: 'unsure' as const,
  };
  it('is never held, whatever the hold rules say', () => {
    assert.equal(receive(comment, { ...s, hold: 'hold_all' }).status, 'published');
    assert.equal(receive({ ...comment, email: 'someone@example.com' }, s).status, 'pending');
  });
  it('still meets the spam traps and blocklists', () => {
    assert.equal(receive({ ...comment, honeypotFilled: true }, s).status, 'spam');
    assert.equal(receive({ ...comment, markdown: 'casino' }, s).status, 'spam');
  });
});
