// The comment form's rules (comment-form.ts), which every door a reader's words come in by parses
// through: what they accept and how they tidy it, and what a refusal says, in English for programs
// and through the catalogs for the form, which speaks the post's language.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidError, TooLargeError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import { saidIn } from '../i18n/said.js';
import { checkEditedWords, checkReaderWords } from './comment-form.js';

const LIMITS = { nameMaxChars: 20, bodyMaxChars: 200 };
const words = (o: Partial<Record<'name' | 'email' | 'website' | 'body', string>>) => ({
  name: 'Maya',
  email: 'maya@example.org',
  website: '',
  body: 'Thank you.',
  ...o,
});

function refusal(fn: () => unknown): InvalidError | TooLargeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidError || err instanceof TooLargeError) return err;
    throw err;
  }
  assert.fail('the words were taken');
}

describe('the comment form’s rules', () => {
  it('take a reader’s words, trimmed, her email lowercased, her website a full address, line ends as \\n', () => {
    const checked = checkReaderWords(
      { name: '  Maya ', email: ' Maya@Example.ORG ', website: 'maya.example.org/blog', body: '\r\nFirst line.\r\nSecond line.\r\n' },
      LIMITS,
    );
    assert.deepEqual(
      { ...checked },
      { name: 'Maya', email: 'maya@example.org', url: 'https://maya.example.org/blog', body: 'First line.\nSecond line.' },
    );
    assert.equal(checkReaderWords(words({ website: '  ' }), LIMITS).url, null);
  });

  it('name every field to fix, in English for programs and in the post’s language for the form', () => {
    const err = refusal(() => checkReaderWords({ name: ' ', email: 'not-an-email', website: 'javascript:alert(1)', body: ' ' }, LIMITS));
    assert.ok(err instanceof InvalidError);
    assert.equal(err.status, 422);
    assert.equal(err.message, 'Some fields need attention.');
    assert.deepEqual(err.fields, {
      body: 'Write your comment.',
      name: 'Tell us your name.',
      email: 'Give an email address like name@example.com (it is never shown).',
      website: 'Give a web address like https://example.com, or leave it empty.',
    });
    const fr = saidIn(err, messagesFor('fr'));
    assert.equal(fr.message, messagesFor('fr').t('form.attention'));
    assert.equal(fr.errors.name, messagesFor('fr').t('form.errorName'));
    assert.notEqual(fr.errors.name, err.fields.name, 'the form speaks French');
    for (const field of ['body', 'name', 'email', 'website']) assert.ok(fr.errors[field], field);
  });

  it('hold names and addresses to their lengths, the address’s before its pattern', () => {
    const err = refusal(() => checkReaderWords(words({ name: 'n'.repeat(21), email: `${'a'.repeat(250)}@example.org` }), LIMITS));
    assert.ok(err instanceof InvalidError);
    assert.deepEqual(err.fields, {
      name: 'Your name can be at most 20 characters.',
      email: 'An email address has at most 254 characters.',
    });
    assert.equal(saidIn(err, messagesFor('de')).errors.name, messagesFor('de').t('form.errorNameLong', { max: 20 }));
  });

  it('answer words over the limit with 413 alone, before any other field', () => {
    const err = refusal(() => checkReaderWords(words({ name: '', body: 'x'.repeat(1_201) }), { ...LIMITS, bodyMaxChars: 1_200 }));
    assert.ok(err instanceof TooLargeError);
    assert.equal(err.message, 'Your comment is 1,201 characters long; the limit is 1,200.');
    assert.deepEqual(err.said?.message, { key: 'form.tooLong', values: { length: 1_201, max: 1_200 } });
    // Exactly at the limit is taken.
    assert.equal(checkReaderWords(words({ body: 'x'.repeat(200) }), LIMITS).body.length, 200);
  });

  it('take an edit’s words tidied, and refuse empty ones', () => {
    assert.equal(checkEditedWords('  Better words.\r\n'), 'Better words.');
    const err = refusal(() => checkEditedWords(' \r\n '));
    assert.ok(err instanceof InvalidError);
    assert.deepEqual(err.fields, { body: 'Write your comment.' });
  });
});
