import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveSlugs } from '../programs/program-cards.js';
import { createMarkdownRenderer } from '../render/markdown.js';
import {
  markdownLink,
  namedPosts,
  plainWords,
  programDirective,
  rankSuggestions,
  significantWords,
  titleIndex,
} from './reading-to-share.js';
import { waitedFor } from './waiting.js';

const post = (id: string, title: string) => ({ id, slug: id, title });

describe('reading to share, the pure part', () => {
  it('keeps the words that say what a comment is about, most frequent first, and nothing a query could misread', () => {
    const words = significantWords('I am in LIMBO, limbo! Should he "pursue" me? OR* NEAR(x) 42 is, to, the');
    assert.deepEqual(words.slice(0, 1), ['limbo']);
    assert.ok(words.includes('pursue'));
    for (const w of words) assert.match(w, /^[\p{L}\p{N}]{3,}$/u);
    assert.ok(!words.includes('should') && !words.includes('the') && !words.includes('42'));
  });

  it('finds the posts a reader names, ignoring case, accents and punctuation, in the order she names them', () => {
    const posts = [post('a', 'Worthy from within'), post('b', 'How to let your crush know'), post('c', 'Café talk')];
    const text = 'After “HOW TO LET your crush... know?” I read worthy-from-within and then cafe talk.';
    assert.deepEqual(
      namedPosts(text, posts).map((p) => p.id),
      ['b', 'a', 'c'],
    );
    assert.deepEqual(namedPosts('A crushing blow.', [post('d', 'Crush')]), [], 'whole words only');
    assert.equal(plainWords('  Él—dijo: ¡NO!  '), 'el dijo no');
  });

  it('finds the same posts through an index of titles made once, among thousands, words in order only', () => {
    const many = Array.from({ length: 3000 }, (_, i) => post(`p${i}`, `Letters to my mother, part ${i}`));
    const index = titleIndex([...many, post('w', 'Worthy from within'), post('r', 'Within worthy')]);
    const text = 'Reading “letters to my mother, part 2041” and then Worthy from within, twice: worthy from within.';
    assert.deepEqual(
      namedPosts(text, index).map((p) => p.id),
      ['p2041', 'w'],
    );
    assert.deepEqual(
      namedPosts(text, index).map((p) => p.id),
      namedPosts(text, [...many, post('w', 'Worthy from within'), post('r', 'Within worthy')]).map((p) => p.id),
    );
  });

  it('puts named posts first, each post once, at most five', () => {
    const ranked = rankSuggestions(
      [post('n', 'N')],
      ['a', 'n', 'b', 'c', 'd', 'e'].map((id) => post(id, id)),
    );
    assert.deepEqual(
      ranked.map((p) => p.id),
      ['n', 'a', 'b', 'c', 'd'],
    );
  });

  it('writes a link that stays one Markdown link, and a program directive src/programs understands', () => {
    const link = markdownLink('Brackets [and] more', 'https://example.com/x/');
    assert.equal(link, '[Brackets \\[and\\] more](https://example.com/x/)');
    assert.match(createMarkdownRenderer().post(link), /<a href="https:\/\/example.com\/x\/">Brackets \[and\] more<\/a>/);
    assert.deepEqual(directiveSlugs(createMarkdownRenderer().post(programDirective('worthy-from-within'))), ['worthy-from-within']);
  });

  it('says how long a reader has waited the way a person would', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    assert.equal(waitedFor(now - 5 * 24 * 3600_000 - 60_000, now), '5 days');
    assert.equal(waitedFor(now - 24 * 3600_000, now), '1 day');
    assert.equal(waitedFor(now - 3 * 3600_000, now), '3 hours');
    assert.equal(waitedFor(now - 20 * 60_000, now), '20 minutes');
    assert.equal(waitedFor(now - 60_000, now), 'a few minutes');
  });
});
