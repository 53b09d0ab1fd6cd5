// The new words of real-shaped replies from Gmail, Apple Mail, Outlook, Thunderbird, phones and
// webmail, HTML-only included, each read by mailparser as Hearth reads them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readIncoming } from './incoming.js';
import { replyCorpus } from './test-support/reply-corpus.js';

describe('the new words of an emailed reply', () => {
  it('has a corpus of at least 30 replies', () => {
    assert.ok(replyCorpus.length >= 30, `${replyCorpus.length} replies`);
  });
  for (const reply of replyCorpus) {
    it(`finds her words: ${reply.name}`, async () => {
      const mail = await readIncoming(Buffer.from(reply.raw));
      assert.equal(mail.words, reply.expected);
    });
  }
});
