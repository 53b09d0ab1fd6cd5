// How long a reader has waited, the way a person says it: "5 days", "3 hours", "a few minutes".
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

export function waitedFor(since: number, now: number): string {
  const ms = Math.max(0, now - since);
  if (ms < 5 * MINUTE) return 'a few minutes';
  if (ms < HOUR) return count(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return count(Math.floor(ms / HOUR), 'hour');
  return count(Math.floor(ms / DAY), 'day');
}
