import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS } from './catalogs/index.js';
import { LOCALES } from './locales.js';
import { dateFormatsFor, messagesFor } from './messages.js';

type MessageFormatElement = ReturnType<IntlMessageFormat['getAst']>[number];
// The parser's element kinds (@formatjs/icu-messageformat-parser's TYPE).
const TYPE = { literal: 0, argument: 1, number: 2, date: 3, time: 4, select: 5, plural: 6, pound: 7, tag: 8 } as const;
/** Parses an ICU message as intl-messageformat does; throws on a malformed one. */
const parse = (text: string, locale = 'en') => new IntlMessageFormat(text, locale).getAst();

/** The argument names a message uses, with the plural categories of each plural. */
function shape(elements: MessageFormatElement[], out = new Map<string, string>()): Map<string, string> {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) out.set(el.value, 'value');
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      out.set(el.value, el.type === TYPE.plural ? 'plural' : 'select');
      for (const option of Object.values(el.options)) shape(option.value, out);
    }
    if (el.type === TYPE.tag) shape(el.children, out);
  }
  return out;
}

const plurals = (elements: MessageFormatElement[]): { value: string; options: string[] }[] =>
  elements.flatMap((el) =>
    el.type === TYPE.plural
      ? [{ value: el.value, options: Object.keys(el.options) }, ...Object.values(el.options).flatMap((o) => plurals(o.value))]
      : [],
  );

describe('message catalogs', () => {
  const reference = CATALOGS.en;
  const keys = Object.keys(reference).sort();

  for (const locale of LOCALES) {
    const catalog: Record<string, string> = CATALOGS[locale];

    it(`${locale} has exactly the keys of the English catalog`, () => {
      const mine = Object.keys(catalog).sort();
      assert.deepEqual(
        keys.filter((k) => !mine.includes(k)),
        [],
        'missing keys',
      );
      assert.deepEqual(
        mine.filter((k) => !keys.includes(k)),
        [],
        'keys English does not have',
      );
    });

    it(`${locale}: every message is well-formed ICU, with English's arguments and every plural form the language needs`, () => {
      // The forms whole numbers of comments and posts take (CLDR's "many" of French and Spanish is for millions).
      const rules = new Intl.PluralRules(locale);
      const categories = [...new Set(Array.from({ length: 1001 }, (_, n) => rules.select(n)))];
      for (const key of keys) {
        const text = catalog[key];
        assert.equal(typeof text, 'string', key);
        let ast: MessageFormatElement[];
        try {
          ast = parse(text as string, locale);
        } catch (err) {
          assert.fail(`${locale} ${key} is not a valid ICU message: ${(err as Error).message}`);
        }
        assert.deepEqual(shape(ast), shape(parse(reference[key as keyof typeof reference])), `${locale} ${key}: arguments`);
        for (const p of plurals(ast)) {
          const missing = categories.filter((c) => !p.options.includes(c));
          assert.deepEqual(missing, [], `${locale} ${key}: plural forms of {${p.value}}`);
        }
        // Formatting with sample values never throws.
        const values = Object.fromEntries([...shape(ast).keys()].map((name) => [name, 3]));
        assert.equal(typeof messagesFor(locale).t(key as keyof typeof reference, values), 'string');
      }
    });
  }

  it('fails on a message that is not ICU', () => {
    assert.throws(() => parse('{count, plural, one {# post}'));
  });

  it('picks the plural form by the language: Arabic has six', () => {
    const ar = messagesFor('ar');
    assert.equal(ar.t('comments.heading', { count: 1 }), 'تعليق واحد');
    assert.equal(ar.t('comments.heading', { count: 2 }), 'تعليقان');
    assert.match(ar.t('comments.heading', { count: 5 }), /تعليقات$/);
    assert.match(ar.t('comments.heading', { count: 11 }), /تعليقًا$/);
    assert.equal(messagesFor('en').t('comments.heading', { count: 0 }), 'No comments yet');
    assert.equal(messagesFor('es').t('comments.heading', { count: 1 }), '1 comentario');
    assert.equal(messagesFor('de').t('posts.count', { count: 2 }), '2 Beiträge');
  });

  it('formats every message exactly as intl-messageformat does, for counts of every plural form', () => {
    for (const locale of LOCALES) {
      const m = messagesFor(locale);
      for (const [key, source] of Object.entries(CATALOGS[locale])) {
        const reference = new IntlMessageFormat(source, locale);
        const names = [...shape(parse(source, locale)).keys()];
        for (const n of [0, 1, 2, 3, 5, 11, 21, 100, 102, 1000, 12345]) {
          const values = Object.fromEntries(
            names.map((name) => [name, ['name', 'title', 'site', 'query', 'url', 'tag'].includes(name) ? `«${name}»` : n]),
          );
          assert.equal(m.t(key as keyof typeof CATALOGS.en, values), String(reference.format(values)), `${locale} ${key} with ${n}`);
        }
      }
    }
  });

  it('writes English dates exactly as Intl en-US does, and other languages through Intl', () => {
    const intl = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    for (const at of [Date.UTC(2026, 2, 1, 9, 5), Date.UTC(1999, 11, 31, 23, 59), Date.UTC(2030, 6, 4)]) {
      assert.equal(messagesFor('en').date(at), intl.format(at));
      assert.equal(messagesFor('fr').date(at), new Intl.DateTimeFormat('fr', { dateStyle: 'long', timeZone: 'UTC' }).format(at));
    }
    assert.equal(messagesFor('en').dateTime(Date.UTC(2026, 2, 1, 9, 5)), 'March 1, 2026, 9:05 AM UTC');
    assert.match(messagesFor('ar').date(Date.UTC(2026, 2, 1)), /مارس/);
    assert.equal(dateFormatsFor('de-CH').date(Date.UTC(2026, 2, 1)), '1. März 2026');
    assert.equal(dateFormatsFor('not a tag').date(Date.UTC(2026, 2, 1)), 'March 1, 2026');
  });
});
