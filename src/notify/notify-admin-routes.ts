// The owner's email API: the outbox (parked messages and their retry), mail written to files,
// newsletter subscribers (list, CSV import and export), sending a post, and email settings.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AccountsService } from '../accounts/accounts-service.js';
import { OUTBOX_STATUSES, SUBSCRIPTION_STATUSES } from '../db/tables.js';
import { InvalidError } from '../errors.js';
import { allow, decodeCursor, encodeCursor, jsonBody, listQuery, parseWith, requireToken, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { readText } from '../web/request-body.js';
import type { EmailSettingsService } from './email-settings-service.js';
import type { MailService } from './mail-service.js';
import type { NewsletterService } from './newsletter-service.js';
import { presentOutboxRow, presentSubscriber } from './notify-present.js';
import type { SubscriptionService } from './subscription-service.js';

export interface NotifyAdminDeps {
  accounts: AccountsService;
  mail: MailService;
  subscriptions: SubscriptionService;
  newsletter: NewsletterService;
  emailSettings: EmailSettingsService;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const ownerOnly = 'Only the owner may do that.';

const noticesSchema = z
  .object({ comments: z.boolean().optional(), moderation: z.boolean().optional(), digest: z.boolean().optional() })
  .strict();

export function notifyAdminRoutes(deps: NotifyAdminDeps) {
  const { mail, subscriptions, newsletter } = deps;
  const app = new Hono<AppEnv>();
  // Attached per route: this router shares /api/v1/admin with other features' routers.
  const auth = requireToken(deps.accounts);

  app.get('/outbox', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    const status = parseWith(z.enum(OUTBOX_STATUSES).default('parked'), c.req.query('status'));
    const { limit, cursor } = listQuery(c);
    const before = decodeCursor(cursor, isString);
    const { rows, total } = await mail.listOutbox({ status, limit, before });
    const last = rows.at(-1);
    return c.json({ items: rows.map(presentOutboxRow), total, next: rows.length === limit && last ? encodeCursor(last.id) : null });
  });

  app.post('/outbox/:id/retry', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    return c.json(presentOutboxRow(await mail.retry(c.req.param('id'))));
  });

  app.get('/mail', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    const items = await mail.listMailFiles();
    return c.json({ items, total: items.length, next: null });
  });

  app.get('/mail/:name', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    const raw = await mail.readMailFile(c.req.param('name'));
    return c.body(new Uint8Array(raw), 200, { 'Content-Type': 'message/rfc822' });
  });

  app.get('/subscribers', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    const status = parseWith(z.enum(SUBSCRIPTION_STATUSES).optional(), c.req.query('status') || undefined);
    const { limit, cursor } = listQuery(c);
    const after = decodeCursor(cursor, isString);
    const { rows, total } = await subscriptions.listNewsletter({ status, after, limit });
    const last = rows.at(-1);
    return c.json({ items: rows.map(presentSubscriber), total, next: rows.length === limit && last ? encodeCursor(last.email) : null });
  });

  app.get('/subscribers/export', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    const csv = await subscriptions.exportNewsletterCsv();
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="subscribers.csv"' });
  });

  // A CSV file as the body (text/csv), or JSON { "csv": "..." }.
  app.post('/subscribers/import', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    const type = c.req.header('content-type') ?? '';
    const csv = type.includes('json') ? (await jsonBody(c, z.object({ csv: z.string() }))).csv : await readText(c);
    if (csv.trim() === '') throw new InvalidError('Send a CSV file with an "email" column.', { body: 'empty' });
    return c.json(await subscriptions.importNewsletterCsv(csv));
  });

  app.post('/posts/:id/send-newsletter', auth, async (c) => {
    const result = await newsletter.sendPost(staffOf(c), c.req.param('id'));
    return c.json({ ...result, queued: true }, 202);
  });

  app.get('/settings/email', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    return c.json(await deps.emailSettings.read());
  });

  app.patch('/settings/email', auth, async (c) => {
    allow(staffOf(c).role === 'owner', ownerOnly);
    return c.json(await deps.emailSettings.update(await jsonBody(c, z.record(z.string(), z.unknown()))));
  });

  // Each staff member's own notices: reader comments, moderation, the daily digest.
  app.get('/me/notifications', auth, async (c) => c.json(await subscriptions.staffNotices(staffOf(c))));

  app.put('/me/notifications', auth, async (c) => {
    const staff = staffOf(c);
    const body = await jsonBody(c, noticesSchema);
    for (const key of ['comments', 'moderation', 'digest'] as const) {
      const on = body[key];
      if (on !== undefined) await subscriptions.setStaffNotice(staff, key, on);
    }
    return c.json(await subscriptions.staffNotices(staff));
  });

  return app;
}
