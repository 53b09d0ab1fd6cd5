// The pure parts of programs: the card step over sanitized HTML, sources, and CSV fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField, toCsv } from './csv.js';
import { directiveSlugs, programCards } from './program-cards.js';
import { parseSource } from './program-source.js';

const ID = '0190f3a0-0000-7000-8000-000000000001';
const programs = new Map([['calm', { slug: 'calm', title: 'Calm & "Clear"', excerpt: 'Four <weeks>.' }]]);

describe('program cards', () => {
  it('replaces only a paragraph that holds the directive alone', () => {
    const html = '<p>Intro {{program calm}} inline</p>\n<p>{{program calm}}</p>\n<blockquote>\n<p>{{ program calm }}</p>\n</blockquote>\n';
    const out = programCards(html, programs, { kind: 'post', id: ID });
    assert.equal(out.match(/class="program-card"/g)?.length, 2);
    assert.match(out, /<p>Intro \{\{program calm\}\} inline<\/p>/);
    assert.ok(out.includes(`href="/go/program/calm?from=post:${ID}"`));
  });

  it('escapes what the program says and drops a directive naming no program', () => {
    const out = programCards('<p>{{program calm}}</p>\n<p>{{program gone}}</p>\n', programs, { kind: 'comment', id: ID });
    assert.ok(out.includes('<p class="program-card-title">Calm &amp; &quot;Clear&quot;</p>'));
    assert.ok(out.includes('<p class="program-card-excerpt">Four &lt;weeks&gt;.</p>'));
    assert.ok(out.includes(`from=comment:${ID}`));
    assert.doesNotMatch(out, /gone/);
  });

  it('lists each asked-for slug once and leaves text without directives untouched', () => {
    assert.deepEqual(directiveSlugs('<p>{{program a}}</p><p>{{program b-2}}</p><p>{{program a}}</p><p>{{program Bad}}</p>'), ['a', 'b-2']);
    const plain = '<p>No {{ cards }} here</p>';
    assert.equal(programCards(plain, programs, { kind: 'post', id: ID }), plain);
  });

  it('trusts only a well-formed source', () => {
    assert.deepEqual(parseSource(`post:${ID}`), { kind: 'post', id: ID });
    assert.deepEqual(parseSource(`comment:${ID}`), { kind: 'comment', id: ID });
    for (const bad of ['', 'post:', `user:${ID}`, `post:${ID}x`, 'post:../../admin', undefined, null])
      assert.equal(parseSource(bad), undefined);
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes, line breaks or edge spaces, and doubles quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(' padded'), '" padded"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(42), '42');
  });

  it('keeps what a spreadsheet would run as a formula as text', () => {
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('+33 6 12'), "'+33 6 12");
    assert.equal(csvField('-2'), "'-2");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField('=HYPERLINK("u","x")'), `"'=HYPERLINK(""u"",""x"")"`);
    assert.equal(csvField('a=b'), 'a=b');
  });

  it('writes a byte-order mark, a header and CRLF rows', () => {
    assert.equal(toCsv(['a', 'b'], [['1', 'x,y']]), '\uFEFFa,b\r\n1,"x,y"\r\n');
  });
});
