// How times and counts read on pages.
import { AsyncLocalStorage } from 'node:async_hooks';

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
};
const dateTimeFormat = new Intl.DateTimeFormat('en-US', DATE_TIME_OPTIONS);

export const isoTime = (ms: number): string => new Date(ms).toISOString();
/** "March 1, 2026" (UTC), as Intl's en-US long date writes it, for a fraction of its cost on every page. */
export const longDate = (ms: number): string => {
  const d = new Date(ms);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
};
/**
 * The locale the current request's dates are written in, when it is not US English: the
 * workspace runs each request inside withDateLocale (its dates follow the staff member's locale).
 */
const dateLocale = new AsyncLocalStorage<string>();
export const withDateLocale = <T>(locale: string, fn: () => T): T => dateLocale.run(locale, fn);
const localFormats = new Map<string, Intl.DateTimeFormat>();
/** "Mar 1, 2026, 9:05 AM UTC", in the request's locale (src/admin/workspace-routes.ts). */
export const dateTime = (ms: number): string => {
  const locale = dateLocale.getStore();
  if (locale === undefined || locale === 'en-US') return dateTimeFormat.format(ms);
  let format = localFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, DATE_TIME_OPTIONS);
    if (localFormats.size < 200) localFormats.set(locale, format);
  }
  return format.format(ms);
};
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
