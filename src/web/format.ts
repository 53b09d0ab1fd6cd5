// How times and counts read on pages.
const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
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
export const longDate = (ms: number): string => dateFormat.format(ms);
export const dateTime = (ms: number): string => dateTimeFormat.format(ms);
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
