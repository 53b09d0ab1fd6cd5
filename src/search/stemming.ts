// Words reduced to their stems by the Snowball algorithms of each language Hearth speaks
// (@orama/stemmers), for SQLite: FTS5 has only Porter's English stemmer built in, so the index
// holds stems made here, and a query is stemmed the same way before it is matched.
// PostgreSQL stems with its own text search configurations (SEARCH_CONFIG).
import { stemmer as arabic } from '@orama/stemmers/arabic';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import type { TextLanguage } from '../db/full-text.js';
import type { Locale } from '../i18n/locales.js';

const STEMMERS: Record<Locale, (word: string) => string> = { en: english, es: spanish, fr: french, de: german, ar: arabic };

/** PostgreSQL's text search configuration for each language (all built in). */
export const SEARCH_CONFIG: Record<Locale, string> = { en: 'english', es: 'spanish', fr: 'french', de: 'german', ar: 'arabic' };

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** A word's stem: lower-cased, then stemmed. */
export function stemWord(word: string, locale: Locale): string {
  const lower = word.toLowerCase();
  // Digits and very short words are kept whole; a stemmer may reduce them to nothing.
  if (lower.length < 3 || /^\p{N}+$/u.test(lower)) return lower;
  return STEMMERS[locale](lower) || lower;
}

/** Text as the index holds it: its words, stemmed, one space apart. */
export function stemText(text: string, locale: Locale): string {
  const words = text.match(WORD);
  if (!words) return '';
  const stem = STEMMERS[locale];
  let out = '';
  for (const word of words) {
    const lower = word.toLowerCase();
    const s = lower.length < 3 || /^\p{N}+$/u.test(lower) ? lower : stem(lower) || lower;
    out += out ? ` ${s}` : s;
  }
  return out;
}

/** The index's language as src/db/full-text.ts asks for it. */
export function textLanguage(locale: Locale): TextLanguage {
  return { config: SEARCH_CONFIG[locale], stemText: (text) => stemText(text, locale), stemWord: (word) => stemWord(word, locale) };
}
