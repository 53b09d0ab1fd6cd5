// Reading and changing the site's email settings, validated as a whole.
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { InvalidError } from '../errors.js';
import { type EmailSettings, emailSettingsSchema, readEmailSettings, writeEmailSettings } from './email-settings.js';

export interface EmailSettingsService {
  read(): Promise<EmailSettings>;
  update(patch: Record<string, unknown>): Promise<EmailSettings>;
}

export function createEmailSettingsService(deps: { db: Db; clock: Clock }): EmailSettingsService {
  return {
    read: () => readEmailSettings(deps.db),
    async update(patch) {
      const parsed = emailSettingsSchema.partial().strict().safeParse(patch);
      if (!parsed.success) {
        const fields: Record<string, string> = {};
        for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
        throw new InvalidError('Some settings need attention.', fields);
      }
      return writeEmailSettings(deps.db, parsed.data, deps.clock.now());
    },
  };
}
