import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkReplyToken, makeReplyToken, normalizeAddress, REPLY_TOKEN_DAYS, replyAddressFor, tokenInAddress } from './reply-address.js';

const SECRET = 'a-secret-of-some-length-for-the-tests';
const COMMENT = '019ca8a0-3e80-707f-913f-4463984df8d3';
const NOW = Date.parse('2026-03-01T09:00:00Z');

describe('reply addresses', () => {
  it('names the comment and the recipient, fits in an address part, and survives case folding', () => {
    const token = makeReplyToken(SECRET, 'maya@example.org', 'reader', COMMENT, NOW);
    const address = replyAddressFor('reply@mail.example.com', token);
    assert.ok(address.split('@')[0]!.length <= 64, 'an address part is at most 64 characters');
    assert.equal(tokenInAddress('reply@mail.example.com', address.toUpperCase()), token);
    const check = checkReplyToken(SECRET, token.toUpperCase(), 'maya@example.org', NOW);
    assert.ok(check.ok);
    assert.equal(check.token.commentId, COMMENT);
    assert.equal(check.token.role, 'reader');
  });

  it('matches the sender case-insensitively and with plus-addressing, and nobody else', () => {
    const token = makeReplyToken(SECRET, 'Maya@Example.org', 'staff', COMMENT, NOW);
    assert.ok(checkReplyToken(SECRET, token, 'maya+blog@EXAMPLE.org', NOW).ok);
    assert.deepEqual(checkReplyToken(SECRET, token, 'mallory@example.net', NOW).ok, false);
    assert.equal((checkReplyToken(SECRET, token, 'mallory@example.net', NOW) as { problem: string }).problem, 'not-theirs');
    assert.equal(normalizeAddress(' Ann+x@B.c '), 'ann@b.c');
  });

  it('expires, and a token changed by one letter or signed with another secret is refused', () => {
    const token = makeReplyToken(SECRET, 'maya@example.org', 'reader', COMMENT, NOW);
    const later = NOW + (REPLY_TOKEN_DAYS + 2) * 86_400_000;
    assert.equal((checkReplyToken(SECRET, token, 'maya@example.org', later) as { problem: string }).problem, 'expired');
    const flipped = `${token.slice(0, 10)}${token[10] === 'a' ? 'b' : 'a'}${token.slice(11)}`;
    assert.equal(checkReplyToken(SECRET, flipped, 'maya@example.org', NOW).ok, false);
    assert.equal(checkReplyToken('another-secret-another-secret-xx', token, 'maya@example.org', NOW).ok, false);
    assert.equal((checkReplyToken(SECRET, 'abc', 'maya@example.org', NOW) as { problem: string }).problem, 'malformed');
  });

  it('only reads tokens at the configured reply address', () => {
    assert.equal(tokenInAddress('reply@mail.example.com', 'reply+abc@other.example.com'), undefined);
    assert.equal(tokenInAddress('reply@mail.example.com', 'other+abc@mail.example.com'), undefined);
  });
});
