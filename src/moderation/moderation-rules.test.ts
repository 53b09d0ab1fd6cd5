import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conversationSettingsSchema } from './conversation-settings.js';
import { afterEdit, blocklistMatch, countLinks, type ReceivedComment, receive } from './moderation-rules.js';

const defaults = conversationSettingsSchema.parse({});
const comment = (over: Partial<ReceivedComment> = {}): ReceivedComment => ({
  name: 'Maya',
  email: 'maya@example.com',
  url: null,
  markdown: 'A kind comment.',
  ip: '203.0.113.9',
  honeypotFilled: false,
  firstTime: false,
  spamVerdict: 'ham',
  ...over,
});

describe('receiving a comment', () => {
  it('holds first-time commenters by default and publishes returning ones', () => {
    assert.equal(receive(comment({ firstTime: true }), defaults).status, 'pending');
    assert.equal(receive(comment(), defaults).status, 'published');
  });

  it('follows the hold policy', () => {
    assert.equal(receive(comment(), { ...defaults, hold: 'hold_all' }).status, 'pending');
    assert.equal(receive(comment({ firstTime: true }), { ...defaults, hold: 'none' }).status, 'published');
  });

  it('holds more links than allowed', () => {
    assert.equal(receive(comment({ markdown: 'https://a.example and www.b.example' }), defaults).status, 'published');
    assert.equal(receive(comment({ markdown: 'https://a.example www.b.example [c](https://c.example)' }), defaults).status, 'pending');
  });

  it('sends honeypots, blocklist matches and spam verdicts to spam, even when relaxed', () => {
    const s = { ...defaults, blockedWords: ['viagra'] };
    assert.equal(receive(comment({ honeypotFilled: true }), s, true).status, 'spam');
    assert.equal(receive(comment({ markdown: 'cheap Viagra here' }), s, true).status, 'spam');
    assert.equal(receive(comment({ spamVerdict: 'spam' }), s, true).status, 'spam');
    assert.equal(receive(comment({ spamVerdict: 'unsure' }), s).status, 'pending');
    assert.equal(receive(comment({ firstTime: true, spamVerdict: 'unsure' }), { ...s, hold: 'hold_all' }, true).status, 'published');
  });
});

describe('blocklists', () => {
  const s = {
    ...defaults,
    blockedWords: ['casino', 'free money'],
    blockedEmails: ['x@bad.example'],
    blockedIps: ['198.51.100.7', '192.0.2.'],
    blockedDomains: ['spam.example'],
  };
  it('match whole words and phrases, case-insensitively, not parts of words', () => {
    assert.match(blocklistMatch(comment({ markdown: 'Visit the CASINO.' }), s) ?? '', /casino/);
    assert.match(blocklistMatch(comment({ markdown: 'get free money now' }), s) ?? '', /free money/);
    assert.equal(blocklistMatch(comment({ markdown: 'occasional casinos-free talk' }), s), null);
  });
  it('match emails, addresses and address prefixes', () => {
    assert.ok(blocklistMatch(comment({ email: 'X@bad.example' }), s));
    assert.ok(blocklistMatch(comment({ ip: '198.51.100.7' }), s));
    assert.ok(blocklistMatch(comment({ ip: '192.0.2.44' }), s));
    assert.equal(blocklistMatch(comment({ ip: '198.51.100.70' }), s), null);
  });
  it('match domains and their subdomains in the email, the website and links', () => {
    assert.ok(blocklistMatch(comment({ email: 'a@mail.spam.example' }), s));
    assert.ok(blocklistMatch(comment({ url: 'https://www.spam.example/x' }), s));
    assert.ok(blocklistMatch(comment({ markdown: 'see http://spam.example:8080/a' }), s));
    assert.equal(blocklistMatch(comment({ markdown: 'see https://notspam.example' }), s), null);
  });
});

describe('after an edit', () => {
  it('applies the content rules again', () => {
    const s = { ...defaults, blockedWords: ['casino'] };
    assert.equal(afterEdit(comment({ markdown: 'now with casino' }), s), 'spam');
    assert.equal(afterEdit(comment({ markdown: 'https://a.x https://b.x https://c.x' }), s), 'pending');
    assert.equal(afterEdit(comment({ markdown: 'still kind' }), s), null);
  });
  it('counts links', () => {
    assert.equal(countLinks('no links'), 0);
    assert.equal(countLinks('[a](https://x) https://y www.z'), 3);
  });
});
