// The reply address: where answers to conversation emails go. Empty means replies by email are off
// (emails carry no Reply-To). Kept with the other settings, so every process of the site shares it.
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { InvalidError } from '../errors.js';
import { parsedSetting, writeSetting } from '../settings/settings-store.js';
import { splitAddress } from './reply-address.js';

export const replySettingsSchema = z.object({
  /** e.g. reply@mail.example.com: emails say Reply-To: reply+<token>@mail.example.com. */
  replyAddress: z.string().default(''),
});

export type ReplySettings = z.infer<typeof replySettingsSchema>;

const KEY = 'mail-in';

const read = parsedSetting(KEY, (stored): ReplySettings => {
  const parsed = replySettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : replySettingsSchema.parse({});
});

export function readReplySettings(db: Db): Promise<ReplySettings> {
  return read(db);
}

export async function writeReplySettings(db: Db, replyAddress: string, now: number): Promise<ReplySettings> {
  const address = replyAddress.trim().toLowerCase();
  if (address !== '' && !splitAddress(address)) {
    throw new InvalidError('The reply address needs attention.', {
      replyAddress: 'Give an address like reply@mail.example.com (without a +), or leave it empty to turn replies by email off.',
    });
  }
  const next = { replyAddress: address };
  await writeSetting(db, KEY, next, now);
  return next;
}
