import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSearchQuery, snippetHtml, toFts5 } from './search-query.js';

describe('search queries', () => {
  it('reads phrases, prefixes and words', () => {
    assert.deepEqual(parseSearchQuery('"same page" partner* trust'), {
      phrases: [['same', 'page']],
      words: ['trust'],
      prefixes: ['partner'],
    });
  });

  it('turns query syntax into plain terms, so nothing a reader types is an error', () => {
    for (const input of ['"', 'NEAR(a b)', 'title:foo', 'a AND OR NOT', '*', '(((', "'; drop table posts; --", '^x', '-foo', '""""']) {
      const terms = parseSearchQuery(input);
      const fts = toFts5(terms);
      assert.doesNotMatch(fts.replace(/"[^"]*"\*?/g, ''), /\S/, `only quoted terms remain for ${input}`);
    }
  });

  it('keeps letters of every script and folds case', () => {
    assert.deepEqual(parseSearchQuery('Café ΑΘΗΝΑ').words, ['café', 'αθηνα']);
  });

  it('escapes snippet text and marks the matches', () => {
    assert.equal(snippetHtml('a <img \u0001kind\u0002 & **word** "x"'), 'a &lt;img <mark>kind</mark> &amp; word &quot;x&quot;');
  });
});
