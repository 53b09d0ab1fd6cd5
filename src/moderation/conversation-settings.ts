// The conversation and moderation policy of a site, typed and stored as one settings entry.
import { z } from 'zod';
import type { ChangeFeed } from '../cache/change-feed.js';
import { createSiteMemo } from '../cache/site-memo.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { parsedSetting, readSetting, writeSetting } from '../settings/settings-store.js';

const list = z.array(z.string().trim().toLowerCase().min(1).max(200)).max(5000).default([]);

export const conversationSettingsSchema = z.object({
  /** hold_all: every reader comment waits; first_time: until a first comment is approved; none. */
  hold: z.enum(['hold_all', 'first_time', 'none']).default('first_time'),
  /** A comment with more links than this waits for moderation. */
  maxLinks: z.number().int().min(0).max(100).default(2),
  blockedWords: list,
  blockedEmails: list,
  blockedIps: list,
  blockedDomains: list,
  /** Readers staff trust (their email): never held for moderation; blocklists still apply. */
  trustedEmails: list,
  /** A form sent sooner than this after the page was served is refused as too quick. */
  minSecondsOnPage: z.number().int().min(0).max(600).default(3),
  /** Imported reader words older than this many days await no answer: they stay out of the inbox (0: none do). */
  importedWaitDays: z.number().int().min(0).max(36_500).default(30),
  /** How deep replies nest on the page; deeper ones sit beside their parent, naming it. */
  maxDepth: z.number().int().min(0).max(10).default(5),
  /** New posts' comments: open, closed, or open until this many days after publication. */
  commentsDefault: z.enum(['open', 'closed', 'closes_after']).default('open'),
  commentsCloseDays: z.number().int().min(1).max(3650).default(30),
  /** How long the writer may edit or delete her comment. */
  editWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(15),
  threadsPerPage: z.number().int().min(1).max(500).default(50),
  nameMaxChars: z.number().int().min(1).max(200).default(100),
  bodyMaxChars: z.number().int().min(100).max(100_000).default(10_000),
  /** Comments per address and per email within each window. */
  ipLimit: z.object({ max: z.number().int().min(1), windowSeconds: z.number().int().min(1) }).default({ max: 20, windowSeconds: 600 }),
  emailLimit: z.object({ max: z.number().int().min(1), windowSeconds: z.number().int().min(1) }).default({ max: 10, windowSeconds: 600 }),
});

export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;

const KEY = 'conversations';

export interface ConversationSettingsService {
  get(): Promise<ConversationSettings>;
  update(patch: Partial<z.input<typeof conversationSettingsSchema>>): Promise<ConversationSettings>;
}

export function createConversationSettings(deps: { db: Db; clock: Clock; changes?: ChangeFeed }): ConversationSettingsService {
  const { db, clock } = deps;
  // Read several times for every post page; every change to them is told on the change feed.
  const kept = createSiteMemo<ConversationSettings>({ clock, changes: deps.changes });
  const read = parsedSetting(KEY, (stored) => conversationSettingsSchema.parse(stored ?? {}));
  return {
    get: () => kept.get(KEY, () => read(db)),
    async update(patch) {
      const current = (await readSetting(db, KEY)) as object | undefined;
      const next = conversationSettingsSchema.parse({ ...current, ...patch });
      await writeSetting(db, KEY, next, clock.now());
      // Depth, paging and open/closed defaults shape every post page.
      await deps.changes?.publish({ scope: 'site' });
      return next;
    },
  };
}
