// Typed site settings with defaults. Each setting is declared once here.
import { z } from 'zod';
import type { ChangeFeed } from '../cache/change-feed.js';
import { createSiteMemo } from '../cache/site-memo.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { DEFAULT_LOCALE, LOCALES } from '../i18n/locales.js';
import { newSecretToken } from '../ids.js';
import { alignSearchLanguage } from '../search/search-index.js';
import { readSettings, writeSetting, writeSettingOnce } from './settings-store.js';

const navLink = z.object({ label: z.string().min(1).max(60), url: z.string().min(1).max(500) });

export const siteSettingsSchema = z.object({
  title: z.string().min(1).max(120).default('Hearth'),
  description: z.string().max(300).default('Essays, and the conversations they start.'),
  navigation: z
    .array(navLink)
    .max(12)
    .default([
      { label: 'Home', url: '/' },
      { label: 'Archive', url: '/archive/' },
    ]),
  footer: z.string().max(500).default(''),
  postsPerPage: z.number().int().min(1).max(100).default(10),
  /** The language readers are spoken to in (src/i18n/), and that search stems; a post may have its own. */
  language: z.enum(LOCALES).default(DEFAULT_LOCALE),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

const SITE_KEY = 'site';
const SECRET_KEY = 'secret';

export interface SettingsService {
  site(): Promise<SiteSettings>;
  updateSite(patch: Partial<SiteSettings>): Promise<SiteSettings>;
  /** The signing secret: HEARTH_SECRET when given, else made once and shared through the database. */
  secret(): Promise<string>;
}

/**
 * Gives the site the title and tagline an import brings, each only where the site has none of its
 * own yet (never set, or still Hearth's default), in the caller's transaction. Returns what it gave.
 */
export async function adoptSiteIdentity(
  db: Db,
  given: { title: string; description: string },
  now: number,
): Promise<{ title: string | null; description: string | null }> {
  const stored = ((await readSettings(db)).get(SITE_KEY) ?? {}) as Partial<SiteSettings>;
  const current = siteSettingsSchema.parse(stored);
  const defaults = siteSettingsSchema.parse({});
  const unset = (key: 'title' | 'description') => stored[key] === undefined || current[key] === defaults[key];
  const title = given.title.trim().slice(0, 120);
  const description = given.description.trim().slice(0, 300);
  const adopted = {
    title: title && unset('title') && title !== current.title ? title : null,
    description: description && unset('description') && description !== current.description ? description : null,
  };
  if (adopted.title === null && adopted.description === null) return adopted;
  const next = siteSettingsSchema.parse({
    ...stored,
    ...(adopted.title !== null ? { title: adopted.title } : {}),
    ...(adopted.description !== null ? { description: adopted.description } : {}),
  });
  await writeSetting(db, SITE_KEY, next, now);
  return adopted;
}

export function createSettingsService(deps: {
  db: Db;
  clock: Clock;
  configuredSecret?: string | undefined;
  changes?: ChangeFeed;
}): SettingsService {
  const { db, clock } = deps;
  let secret = deps.configuredSecret;
  // Read on every page; every change to them is told on the change feed.
  const kept = createSiteMemo<SiteSettings>({ clock, changes: deps.changes });
  return {
    site: () =>
      kept.get(SITE_KEY, async () => {
        const all = await readSettings(db);
        return siteSettingsSchema.parse(all.get(SITE_KEY) ?? {});
      }),
    async updateSite(patch) {
      const all = await readSettings(db);
      const next = siteSettingsSchema.parse({ ...(all.get(SITE_KEY) as object | undefined), ...patch });
      await writeSetting(db, SITE_KEY, next, clock.now());
      // Search stems by the site's language: a new one makes the index again (nothing when it is the same).
      await alignSearchLanguage(db, next.language);
      await deps.changes?.publish({ scope: 'site' });
      return next;
    },
    async secret() {
      if (!secret) secret = String(await writeSettingOnce(db, SECRET_KEY, newSecretToken(), clock.now()));
      return secret;
    },
  };
}
