// The email API, as areas of the admin group (src/api/api-routes.ts), which checks the token and
// the role before these routes run: the owner's outbox (parked messages and their retry), mail
// written to files, newsletter subscribers (list, CSV import and export) and email settings; any
// staff member's own notices; and sending a post, beside the posts API.
import { Hono } from 'hono';
import { z } from 'zod';
import { OUTBOX_STATUSES, SUBSCRIPTION_STATUSES } from '../db/tables.js';
import { InvalidError } from '../errors.js';
import { decodeCursor, encodeCursor, jsonBody, listQuery, parseWith, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { readText } from '../web/request-body.js';
import type { EmailSettingsService } from './email-settings-service.js';
import type { MailService } from './mail-service.js';
import type { NewsletterService } from './newsletter-service.js';
import { presentOutboxRow, presentSubscriber } from './notify-present.js';
import type { SubscriptionService } from './subscription-service.js';

export interface NotifyAdminDeps {
  mail: MailService;
  subscriptions: SubscriptionService;
  newsletter: NewsletterService;
  emailSettings: EmailSettingsService;
}

const isString = (v: unknown): v is string => typeof v === 'string';

const noticesSchema = z
  .object({ comments: z.boolean().optional(), moderation: z.boolean().optional(), digest: z.boolean().optional() })
  .strict();

/** The routers of the email API, each for one area of the admin group. */
export function notifyAdminRoutes(deps: NotifyAdminDeps) {
  const { mail, subscriptions, newsletter } = deps;
  const outbox = new Hono<AppEnv>();
  const mailFiles = new Hono<AppEnv>();
  const subscribers = new Hono<AppEnv>();
  const emailSettings = new Hono<AppEnv>();
  const myNotifications = new Hono<AppEnv>();
  const sendNewsletter = new Hono<AppEnv>();

  outbox.get('/', async (c) => {
    const status = parseWith(z.enum(OUTBOX_STATUSES).default('parked'), c.req.query('status'));
    const { limit, cursor } = listQuery(c);
    const before = decodeCursor(cursor, isString);
    const { rows, total } = await mail.listOutbox({ status, limit, before });
    const last = rows.at(-1);
    return c.json({ items: rows.map(presentOutboxRow), total, next: rows.length === limit && last ? encodeCursor(last.id) : null });
  });

  outbox.post('/:id/retry', async (c) => {
    return c.json(presentOutboxRow(await mail.retry(c.req.param('id'))));
  });

  mailFiles.get('/', async (c) => {
    const items = await mail.listMailFiles();
    return c.json({ items, total: items.length, next: null });
  });

  mailFiles.get('/:name', async (c) => {
    const raw = await mail.readMailFile(c.req.param('name'));
    return c.body(new Uint8Array(raw), 200, { 'Content-Type': 'message/rfc822' });
  });

  subscribers.get('/', async (c) => {
    const status = parseWith(z.enum(SUBSCRIPTION_STATUSES).optional(), c.req.query('status') || undefined);
    const { limit, cursor } = listQuery(c);
    const after = decodeCursor(cursor, isString);
    const { rows, total } = await subscriptions.listNewsletter({ status, after, limit });
    const last = rows.at(-1);
    return c.json({ items: rows.map(presentSubscriber), total, next: rows.length === limit && last ? encodeCursor(last.email) : null });
  });

  subscribers.get('/export', async (c) => {
    const csv = await subscriptions.exportNewsletterCsv();
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="subscribers.csv"' });
  });

  // A CSV file as the body (text/csv), or JSON { "csv": "..." }.
  subscribers.post('/import', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const csv = type.includes('json') ? (await jsonBody(c, z.object({ csv: z.string() }))).csv : await readText(c);
    if (csv.trim() === '') throw new InvalidError('Send a CSV file with an "email" column.', { body: 'empty' });
    return c.json(await subscriptions.importNewsletterCsv(csv));
  });

  sendNewsletter.post('/:id/send-newsletter', async (c) => {
    const result = await newsletter.sendPost(staffOf(c), c.req.param('id'));
    return c.json({ ...result, queued: true }, 202);
  });

  emailSettings.get('/', async (c) => {
    return c.json(await deps.emailSettings.read());
  });

  emailSettings.patch('/', async (c) => {
    return c.json(await deps.emailSettings.update(await jsonBody(c, z.record(z.string(), z.unknown()))));
  });

  // Each staff member's own notices: reader comments, moderation, the daily digest.
  myNotifications.get('/', async (c) => c.json(await subscriptions.staffNotices(staffOf(c))));

  myNotifications.put('/', async (c) => {
    const staff = staffOf(c);
    const body = await jsonBody(c, noticesSchema);
    for (const key of ['comments', 'moderation', 'digest'] as const) {
      const on = body[key];
      if (on !== undefined) await subscriptions.setStaffNotice(staff, key, on);
    }
    return c.json(await subscriptions.staffNotices(staff));
  });

  return { outbox, mailFiles, subscribers, emailSettings, myNotifications, sendNewsletter };
}
