// Words and numbers in the reader's language. Every reader-facing string comes from a catalog
// (src/i18n/catalogs/) as an ICU message, formatted by intl-messageformat; dates and numbers go
// through Intl. Both are costly to build and cheap to use, so each locale's formatters are made
// once and kept for the life of the process (they are immutable, like compiled statements): a
// message without arguments is formatted once and kept as a plain string, so most words on a page
// cost a property read.
import { IntlMessageFormat } from 'intl-messageformat';
import { longDate, MONTH_NAMES } from '../web/format.js';
import { CATALOGS, type MessageKey } from './catalogs/index.js';
import { directionOf, type Locale } from './locales.js';

export type MessageValues = Record<string, string | number>;

/** The kinds of parsed ICU elements used here (@formatjs/icu-messageformat-parser's TYPE). */
const TYPE = { literal: 0, argument: 1, number: 2, plural: 6, pound: 7 } as const;

export interface Messages {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** The message `key` with its arguments filled in. */
  t(key: MessageKey, values?: MessageValues): string;
  /** "March 1, 2026" (UTC). */
  date(ms: number): string;
  /** "March 1, 2026, 9:05 AM UTC": an exact time, for tooltips and emails. */
  dateTime(ms: number): string;
  /** "March 2026". */
  month(year: number, month: number): string;
  number(n: number): string;
}

/** English dates as Intl's en-US writes them (a test holds the two equal), for a fraction of its cost. */
const englishDate = longDate;
const englishClock = (d: Date) =>
  `${d.getUTCHours() % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'} UTC`;

/** Dates in any locale Intl knows (the workspace follows each staff member's own). */
export interface DateFormats {
  date(ms: number): string;
  dateTime(ms: number): string;
  month(year: number, month: number): string;
}

const DAY = 86_400_000;

function makeDateFormats(locale: string): DateFormats {
  if (locale === 'en' || locale === 'en-US') {
    return {
      date: englishDate,
      dateTime: (ms) => `${englishDate(ms)}, ${englishClock(new Date(ms))}`,
      month: (year, month) => `${MONTH_NAMES[month - 1] ?? ''} ${year}`,
    };
  }
  const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const exact = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
  const monthYear = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  // A page shows many comments of few days: each day is formatted once.
  const days = new Map<number, string>();
  return {
    date(ms) {
      const key = Math.floor(ms / DAY);
      let text = days.get(key);
      if (text === undefined) {
        text = day.format(ms);
        if (days.size > 5000) days.clear();
        days.set(key, text);
      }
      return text;
    },
    dateTime: (ms) => exact.format(ms),
    month: (year, month) => monthYear.format(Date.UTC(year, month - 1, 15)),
  };
}

const dateFormatsKept = new Map<string, DateFormats>();

/** Date formatters for a BCP 47 locale (an unknown one reads as English). */
export function dateFormatsFor(locale: string): DateFormats {
  let kept = dateFormatsKept.get(locale);
  if (kept === undefined) {
    let canonical = 'en';
    try {
      canonical = Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? 'en';
    } catch {
      // Not a language tag: English.
    }
    kept = dateFormatsKept.get(canonical) ?? makeDateFormats(canonical);
    if (dateFormatsKept.size < 200) dateFormatsKept.set(locale, kept);
    dateFormatsKept.set(canonical, kept);
  }
  return kept;
}

type Formatter = (values: MessageValues | undefined) => string;
type Element = ReturnType<IntlMessageFormat['getAst']>[number];

/**
 * A message of literals, plain and number arguments, plurals and # as a closure over this
 * locale's kept PluralRules and NumberFormat: intl-messageformat's format() looks its formatters
 * up by serializing their options on every call, which costs microseconds a plural on every
 * listed post. Undefined for anything else (select, dates, styles, tags): those keep the library.
 */
function compilePieces(ast: Element[], rules: Intl.PluralRules, numbers: Intl.NumberFormat, pound?: string): Formatter | undefined {
  const parts: Formatter[] = [];
  for (const el of ast) {
    if (el.type === TYPE.literal) {
      const text = el.value;
      parts.push(() => text);
    } else if (el.type === TYPE.argument) {
      const name = el.value;
      parts.push((values) => String(values?.[name] ?? ''));
    } else if (el.type === TYPE.number && !el.style) {
      const name = el.value;
      parts.push((values) => numbers.format(Number(values?.[name])));
    } else if (el.type === TYPE.pound && pound !== undefined) {
      const name = pound;
      parts.push((values) => numbers.format(Number(values?.[name])));
    } else if (el.type === TYPE.plural && el.pluralType === 'cardinal' && el.offset === 0) {
      const name = el.value;
      const exact = new Map<number, Formatter>();
      const byCategory = new Map<string, Formatter>();
      for (const [option, branch] of Object.entries(el.options)) {
        const f = compilePieces(branch.value, rules, numbers, name);
        if (!f) return undefined;
        if (option.startsWith('=')) exact.set(Number(option.slice(1)), f);
        else byCategory.set(option, f);
      }
      const other = byCategory.get('other');
      if (!other) return undefined;
      parts.push((values) => {
        const n = Number(values?.[name]);
        const f = exact.get(n) ?? byCategory.get(rules.select(n)) ?? other;
        return f(values);
      });
    } else {
      return undefined;
    }
  }
  return (values) => {
    let out = '';
    for (const part of parts) out += part(values);
    return out;
  };
}

function makeMessages(locale: Locale): Messages {
  const catalog: Record<string, string> = CATALOGS[locale];
  const compiled = new Map<string, string | Formatter>();
  const rules = new Intl.PluralRules(locale);
  const numberFormat = new Intl.NumberFormat(locale);
  const compile = (key: string) => {
    // A key no catalog has (a message from elsewhere) reads as itself.
    const source = catalog[key] ?? CATALOGS.en[key as MessageKey] ?? key;
    const format = new IntlMessageFormat(source, locale);
    const ast = format.getAst();
    let kept: string | Formatter;
    if (ast.every((el) => el.type === TYPE.literal)) {
      // No arguments: the text never changes, so keep it formatted.
      kept = String(format.format());
    } else {
      kept = compilePieces(ast, rules, numberFormat) ?? ((values) => String(format.format(values)));
    }
    compiled.set(key, kept);
    return kept;
  };
  const dates = dateFormatsFor(locale);
  return {
    locale,
    dir: directionOf(locale),
    t(key, values) {
      const kept = compiled.get(key) ?? compile(key);
      return typeof kept === 'string' ? kept : kept(values);
    },
    date: dates.date,
    dateTime: dates.dateTime,
    month: dates.month,
    number: (n) => numberFormat.format(n),
  };
}

const kept = new Map<Locale, Messages>();

/** The messages of a locale, made once per process. */
export function messagesFor(locale: Locale): Messages {
  let m = kept.get(locale);
  if (m === undefined) {
    m = makeMessages(locale);
    kept.set(locale, m);
  }
  return m;
}
