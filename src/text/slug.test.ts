// Slugs readers can recognise, in any script.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugify, uniqueSlug } from './slug.js';

describe('slugify', () => {
  it('folds accents off Latin letters and spells the letters NFKD leaves whole', () => {
    assert.equal(slugify('Café au lait'), 'cafe-au-lait');
    assert.equal(slugify('Straße in Łódź, Ærø'), 'strasse-in-lodz-aero');
    assert.equal(slugify("It's Ünïcödé’s ﬁx"), 'its-unicodes-fix');
  });

  it('spells Cyrillic and Greek in Latin letters, й, ё and ї included', () => {
    assert.equal(slugify('Привет, мир!'), 'privet-mir');
    assert.equal(slugify('Ёжик и чай'), 'yozhik-i-chay');
    assert.equal(slugify('Щастя і їжак'), 'shchastya-i-yizhak');
    assert.equal(slugify('Ελληνικά γράμματα'), 'ellinika-grammata');
  });

  it('keeps the letters of other scripts, whole words with their vowel signs', () => {
    assert.equal(slugify('你好，世界'), '你好-世界');
    assert.equal(slugify('مرحبا بالعالم'), 'مرحبا-بالعالم');
    assert.equal(slugify('שלום עולם'), 'שלום-עולם');
    assert.equal(slugify('한국어 제목'), '한국어-제목');
    assert.equal(slugify('हिन्दी शीर्षक'), 'हिन्दी-शीर्षक');
  });

  it('never gives a slug of digits alone, and never cuts a character in two', () => {
    assert.equal(slugify('2024'), 'n-2024');
    assert.equal(slugify('Привет 2024'), 'privet-2024');
    assert.equal(slugify('𠀀'.repeat(5), 3), '𠀀𠀀𠀀');
    assert.equal(slugify('!!!'), '');
    assert.equal(slugify('a-b '.repeat(40), 10), 'a-b-a-b-a');
  });

  it('numbers a taken slug, and names an empty one', async () => {
    const taken = new Set(['你好', '你好-2']);
    assert.equal(await uniqueSlug('你好', async (s) => taken.has(s)), '你好-3');
    assert.equal(await uniqueSlug('', async () => false), 'untitled');
  });
});
