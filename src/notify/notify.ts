// Builds the email feature's services and its worker from small deps; main.ts calls these.
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { SettingsService } from '../settings/settings-service.js';
import { createEmailSettingsService, type EmailSettingsService } from './email-settings-service.js';
import { createMailService, type MailService } from './mail-service.js';
import type { MailTransport } from './mailer.js';
import { createNewsletterService, type NewsletterService } from './newsletter-service.js';
import { createReaderDataService, type ReaderDataService } from './reader-data-service.js';
import { createSubscriptionService, type SubscriptionService } from './subscription-service.js';
import { createOutboxWorker, type OutboxWorker, type WorkerDeps } from './worker.js';

export interface NotifyServices {
  mail: MailService;
  subscriptions: SubscriptionService;
  newsletter: NewsletterService;
  readerData: ReaderDataService;
  emailSettings: EmailSettingsService;
}

/** Where the file transport writes, and the admin API reads, messages. */
export const mailDirOf = (dataDir: string) => path.join(dataDir, 'mail');

export function createNotifyServices(deps: { db: Db; clock: Clock; settings: SettingsService; dataDir: string }): NotifyServices {
  const { db, clock } = deps;
  const secret = () => deps.settings.secret();
  return {
    mail: createMailService({ db, clock, mailDir: mailDirOf(deps.dataDir) }),
    subscriptions: createSubscriptionService({ db, clock, secret }),
    newsletter: createNewsletterService({ db, clock }),
    readerData: createReaderDataService({ db, clock, secret }),
    emailSettings: createEmailSettingsService({ db, clock }),
  };
}

export function createNotifyWorker(
  deps: { db: Db; clock: Clock; log: Logger; settings: SettingsService; baseUrl: string; from: string; transport: MailTransport } & Partial<
    Pick<WorkerDeps, 'workerId' | 'batchSize' | 'leaseMs' | 'maxAttempts' | 'backoff' | 'random' | 'pollMs'>
  >,
): OutboxWorker {
  const { settings, ...rest } = deps;
  return createOutboxWorker({
    ...rest,
    secret: () => settings.secret(),
    siteTitle: async () => (await settings.site()).title,
    siteLocale: async () => (await settings.site()).language,
  });
}
