// The site's email choices, kept with the other settings under one key.
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { parsedSetting, writeSetting } from '../settings/settings-store.js';

export const emailSettingsSchema = z.object({
  /** A reader's new comment, to the post's author: each at once, once a day, or not at all. */
  authorNotifications: z.enum(['immediate', 'daily', 'off']).default('immediate'),
  /** "Comments await moderation", to the owners and the post's author. */
  moderationNotifications: z.enum(['on', 'off']).default('on'),
  /** Held comments within this window go out as one email (0: one email each). */
  moderationBatchMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(10),
  /** UTC hour when the daily digests are prepared. */
  digestHourUtc: z.number().int().min(0).max(23).default(7),
  /** Newsletter throttle: this many recipients per batch, one batch per interval. */
  newsletterBatchSize: z.number().int().min(1).max(10_000).default(100),
  newsletterBatchIntervalSeconds: z.number().int().min(0).max(3600).default(60),
});

export type EmailSettings = z.infer<typeof emailSettingsSchema>;

const KEY = 'email';

const read = parsedSetting(KEY, (stored): EmailSettings => {
  const parsed = emailSettingsSchema.safeParse(stored ?? {});
  // A value written by an older version that no longer parses falls back to the defaults.
  return parsed.success ? parsed.data : emailSettingsSchema.parse({});
});

export function readEmailSettings(db: Db): Promise<EmailSettings> {
  return read(db);
}

export async function writeEmailSettings(db: Db, patch: Partial<EmailSettings>, now: number): Promise<EmailSettings> {
  const next = emailSettingsSchema.parse({ ...(await readEmailSettings(db)), ...patch });
  await writeSetting(db, KEY, next, now);
  return next;
}
