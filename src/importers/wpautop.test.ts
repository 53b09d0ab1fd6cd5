// WordPress's paragraph logic, as WordPress shows stored text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wpautop, wpautopFully } from './wpautop.js';

describe('wpautop', () => {
  it('makes a paragraph of each blank-line block and a <br /> of each single line break', () => {
    assert.equal(wpautop('One\ntwo\n\nThree'), '<p>One<br />\ntwo</p>\n<p>Three</p>\n');
    assert.equal(wpautop('a\r\n\r\n\r\nb'), '<p>a</p>\n<p>b</p>\n');
    assert.equal(wpautop('   \n  '), '');
  });

  it('gives text with inline tags the same paragraphs as plain text', () => {
    assert.equal(wpautop('<em>One</em>\ntwo\n\nThree'), '<p><em>One</em><br />\ntwo</p>\n<p>Three</p>\n');
  });

  it('leaves block-level HTML alone and does not wrap it in paragraphs', () => {
    assert.equal(wpautop('<h2>Title</h2>\nText under it'), '<h2>Title</h2>\n<p>Text under it</p>\n');
    assert.equal(wpautop('<ul>\n<li>a</li>\n<li>b</li>\n</ul>'), '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
    assert.equal(wpautop('<blockquote>Quoted\n\nTwice</blockquote>'), '<blockquote><p>Quoted</p>\n<p>Twice</p></blockquote>\n');
  });

  it('keeps line breaks inside <pre> and inside a tag', () => {
    assert.equal(wpautop('<pre>a\n\nb</pre>'), '<pre>a\n\nb</pre>\n');
    assert.equal(wpautop('<a\nhref="x">link</a>'), '<p><a\nhref="x">link</a></p>\n');
  });

  // Not on every block (WordPress's own is not either): Hearth's exports say their text is shaped.
  it('is stable on the paragraphs and line breaks it made itself', () => {
    for (const text of ['One\ntwo\n\nThree', '<h2>T</h2>\nx\n\ny', '<p>a</p>\n<p>b<br />\nc</p>']) {
      const once = wpautop(text);
      assert.equal(wpautop(once), once, text);
    }
  });
});

describe('plain comment text', () => {
  it('makes paragraphs the sanitizer leaves as they are, so imports may skip it for text without markup', async () => {
    const { sanitizeReaderHtml } = await import('../render/sanitize.js');
    for (const text of [
      'Hello there\nsecond line\n\nA new paragraph, isn’t it?',
      '  spaced   words  \n\n\n third ',
      'émoji 🎉 ü\nx',
      'a\r\nb\r\n\r\nc',
      "it's a 'quote' — and a dash",
    ]) {
      const html = wpautop(text);
      assert.equal(sanitizeReaderHtml(html), html, text);
    }
  });
});

describe('text whose only markup is inline', () => {
  it('gets what the whole paragraph logic gives it', () => {
    let state = 7;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const pieces = [
      'word',
      ' ',
      '  ',
      '\t',
      '\n',
      '\n\n',
      '\n \n',
      '\r\n',
      '\r',
      '<a href="https://example.com/">',
      '</a>',
      '<em>',
      '</em>',
      '<strong>',
      '</strong>',
      '<code>',
      '</code>',
      '<span class="x">',
      '</span>',
      '<s>',
      '</s>',
      '<del>',
      '<sup>',
      '<a\nhref="x">',
      '<p>',
      '</p>',
      '<br />',
      '<div>',
      '<pre>',
      '<blockquote>',
      '<param>',
      '<picture>',
      '<!-- x -->',
      '<',
      '>',
      '&amp;',
    ];
    let checked = 0;
    for (let n = 0; n < 40_000; n++) {
      let text = '';
      const length = 1 + Math.floor(next() * 12);
      for (let k = 0; k < length; k++) text += pieces[Math.floor(next() * pieces.length)];
      if (!text.includes('<')) continue;
      checked++;
      assert.equal(wpautop(text), wpautopFully(text), JSON.stringify(text));
    }
    assert.ok(checked > 20_000);
  });
});
