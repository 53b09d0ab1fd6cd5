// Values read on every page but changed rarely (settings; a post's neighbours and what to read
// next) kept in memory until something they depend on changes: a site-wide change told by the
// change feed (a post, the settings, an import; in every process), or, for what depends on the
// posts readers can see, the moment the next scheduled post becomes visible. Comments never touch
// them, so a page re-rendered after a new comment does not read them again. Without a change
// feed nothing is kept.
import type { Clock } from '../clock.js';
import type { ChangeFeed } from './change-feed.js';

export interface SiteMemo<T> {
  get(key: string, make: () => Promise<T>): Promise<T>;
}

export function createSiteMemo<T>(deps: {
  clock: Clock;
  changes?: ChangeFeed | undefined;
  /** When the next scheduled post appears (epoch ms), or null when none waits; omitted when values do not depend on it. */
  nextScheduledAt?: () => Promise<number | null>;
  maxEntries?: number;
}): SiteMemo<T> {
  const maxEntries = deps.maxEntries ?? 1000;
  const entries = new Map<string, T>();
  // Values being made: the requests that want one meanwhile wait for it rather than each making
  // it again (the first views of a post after a start or a change come together, and its "read
  // next" ranks posts by their words: at 100,000 posts, dozens of those at once held the database).
  const making = new Map<string, Promise<T>>();
  // Bumped by every change: a value derived while one happened may be stale and is not kept.
  let generation = 0;
  let validUntil: number | undefined;
  deps.changes?.subscribe((change) => {
    if (change.scope !== 'site') return;
    generation += 1;
    entries.clear();
    making.clear();
    validUntil = undefined;
  });

  return {
    async get(key, make) {
      if (!deps.changes) return make();
      if (validUntil === undefined || deps.clock.now() >= validUntil) {
        const startedAt = generation;
        const next = deps.nextScheduledAt ? await deps.nextScheduledAt() : null;
        if (startedAt !== generation) return make();
        entries.clear();
        validUntil = next ?? Number.POSITIVE_INFINITY;
      }
      const kept = entries.get(key);
      if (kept !== undefined) return kept;
      const underway = making.get(key);
      if (underway) return underway;
      const startedAt = generation;
      const made = make().then(
        (value) => {
          if (startedAt === generation) {
            making.delete(key);
            if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
            entries.set(key, value);
          }
          return value;
        },
        (err: unknown) => {
          if (making.get(key) === made) making.delete(key);
          throw err;
        },
      );
      making.set(key, made);
      return made;
    },
  };
}
