// The repairs made before the strict parser, across every chunk boundary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XmlRepair } from './xml-repair.js';

function repair(text: string, size: number): { out: string; warnings: string[] } {
  const warnings: string[] = [];
  const r = new XmlRepair((w) => warnings.push(w));
  let out = '';
  for (let i = 0; i < text.length; i += size) out += r.push(text.slice(i, i + size));
  return { out: out + r.end(), warnings };
}

const cases: [string, string, string, RegExp | null][] = [
  [
    'well-formed XML passes unchanged',
    '<a x="1"><b>t &amp; u</b><![CDATA[<p>]]></a>',
    '<a x="1"><b>t &amp; u</b><![CDATA[<p>]]></a>',
    null,
  ],
  ['a stray character before the first tag is dropped', '`<?xml version="1.0"?><a/>', '<?xml version="1.0"?><a/>', /before the first tag/],
  ['a bare & in a URL is escaped', '<link>http://x/?a=1&b=2</link>', '<link>http://x/?a=1&amp;b=2</link>', /bare "&"/],
  ['an HTML entity becomes a character reference', '<t>a&nbsp;b&hellip;</t>', '<t>a&#160;b&#8230;</t>', null],
  ['an unquoted attribute value is quoted', '<thread dsq:id=247937687/>', '<thread dsq:id="247937687"/>', /unquoted attribute/],
  [
    'a ]]> that does not end its CDATA section is kept as text',
    '<c><![CDATA[nested <![CDATA[ tags ]]> :)]]></c>',
    '<c><![CDATA[nested <![CDATA[ tags ]]]]><![CDATA[> :)]]></c>',
    /CDATA/,
  ],
  [
    'a CDATA section split WordPress’s way stays as it is',
    '<c><![CDATA[a]]]]><![CDATA[>b]]></c>',
    '<c><![CDATA[a]]]]><![CDATA[>b]]></c>',
    null,
  ],
  ['text after a CDATA section stays text', '<c><![CDATA[a]]> and b</c>', '<c><![CDATA[a]]> and b</c>', null],
];

describe('XmlRepair', () => {
  for (const [name, input, expected, warning] of cases) {
    it(name, () => {
      for (const size of [1, 2, 3, 5, 8, 13, 1000]) {
        const { out, warnings } = repair(input, size);
        assert.equal(out, expected, `chunks of ${size}`);
        if (warning)
          assert.ok(
            warnings.some((w) => warning.test(w)),
            `chunks of ${size}: ${warnings.join(' | ')}`,
          );
        else assert.deepEqual(warnings, [], `chunks of ${size}`);
      }
    });
  }
});
