// How times and counts read on pages.
const MONTH_NAMES = [
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
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

export const isoTime = (ms: number): string => new Date(ms).toISOString();
/** "March 1, 2026" (UTC), as Intl's en-US long date writes it, for a fraction of its cost on every page. */
export const longDate = (ms: number): string => {
  const d = new Date(ms);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
};
export const dateTime = (ms: number): string => dateTimeFormat.format(ms);
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
