// Public routes for email: the subscribe form, confirmation and unsubscribe links, and a reader's
// own data. Signed tokens in the URL authorize each action, so no cookie or CSRF token is needed
// (a mail provider's one-click unsubscribe POST carries neither).
import { type Context, Hono } from 'hono';
import type { Clock } from '../clock.js';
import { clientAddress } from '../comments/client-address.js';
import type { Db } from '../db/connect.js';
import { InvalidError, TooManyError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import { saidIn } from '../i18n/said.js';
import { countHit } from '../moderation/rate-limit-store.js';
import type { SettingsService, SiteSettings } from '../settings/settings-service.js';
import type { AppEnv } from '../web/env.js';
import { readForm, textField } from '../web/request-body.js';
import { sameOrigin } from '../web/same-origin.js';
import { ALL_SCOPES, unsubscribeUrl } from './links.js';
import {
  ConfirmedPage,
  ConfirmPage,
  ErasedPage,
  ManageDataPage,
  MyDataPage,
  SubscribePage,
  UnsubscribedPage,
  UnsubscribePage,
} from './notify-pages.js';
import type { ReaderDataService } from './reader-data-service.js';
import type { SubscriptionService } from './subscription-service.js';

export interface NotifyRoutesDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  trustProxy: readonly string[];
  settings: SettingsService;
  subscriptions: SubscriptionService;
  readerData: ReaderDataService;
}

const HOUR = 3_600_000;

/** The subscribe and my-data forms: an address (the service checks it) and the honeypot. */
async function formOf(c: Context) {
  const body = await readForm(c);
  return { email: textField(body, 'email') ?? '', website: textField(body, 'website') ?? '' };
}

/** What is wrong with the address, in the site's language. */
function fieldError(err: InvalidError, site: SiteSettings): string {
  const said = saidIn(err, messagesFor(site.language));
  return said.errors.email ?? said.message;
}

const stringField = async (c: Context, name: string) => textField(await readForm(c), name);

export function notifyRoutes(deps: NotifyRoutesDeps) {
  const { settings, subscriptions, readerData } = deps;
  const app = new Hono<AppEnv>();

  /** Form posts per sender per hour: enough for people, too few to mail-bomb through us. */
  async function limitSender(c: Context, what: string, max: number) {
    const address = clientAddress(c, deps.trustProxy);
    if (!address) return;
    const now = deps.clock.now();
    const window = Math.floor(now / HOUR) * HOUR;
    if ((await countHit(deps.db, `${what}:${address}`, window)) > max) {
      throw new TooManyError(
        'Too many requests from your address. Please try again later.',
        Math.ceil((window + HOUR - now) / 1000),
      ).saying({ message: { key: 'limit.later' } });
    }
  }

  app.get('/subscribe', async (c) => c.html(<SubscribePage site={await settings.site()} sent={c.req.query('sent') === '1'} />));

  // Both forms send email to the address typed in: another site may not make its visitors send them.
  app.post('/subscribe', sameOrigin(deps.baseUrl), async (c) => {
    const form = await formOf(c);
    await limitSender(c, 'subscribe', 20);
    // A filled honeypot is a robot: it is told the same as a person, and nothing is sent.
    if (form.website.trim() === '') {
      try {
        await subscriptions.subscribeNewsletter(form.email);
      } catch (err) {
        if (!(err instanceof InvalidError)) throw err;
        const site = await settings.site();
        return c.html(<SubscribePage site={site} email={form.email} error={fieldError(err, site)} />, 422);
      }
    }
    return c.redirect('/subscribe?sent=1', 303);
  });

  app.get('/subscribe/confirm', async (c) => {
    const token = c.req.query('token') ?? '';
    const sub = await subscriptions.pendingConfirmation(token);
    return c.html(<ConfirmPage site={await settings.site()} token={token} scope={sub.scope} />);
  });

  app.post('/subscribe/confirm', async (c) => {
    const token = (await stringField(c, 'token')) ?? c.req.query('token') ?? '';
    const sub = await subscriptions.confirm(token);
    return c.html(<ConfirmedPage site={await settings.site()} scope={sub.scope} />);
  });

  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('token') ?? '';
    const target = await subscriptions.readUnsubscribe(token);
    return c.html(<UnsubscribePage site={await settings.site()} token={token} scope={target.scope} />);
  });

  // RFC 8058 one-click: a POST to the List-Unsubscribe URL, body "List-Unsubscribe=One-Click".
  app.post('/unsubscribe', async (c) => {
    const target = await subscriptions.unsubscribe(c.req.query('token'));
    c.header('Cache-Control', 'no-store');
    const allToken =
      target.scope === ALL_SCOPES
        ? undefined
        : new URL(unsubscribeUrl(deps.baseUrl, await settings.secret(), target.email, ALL_SCOPES)).searchParams.get('token');
    return c.html(<UnsubscribedPage site={await settings.site()} scope={target.scope} allToken={allToken ?? undefined} />);
  });

  app.get('/my-data', async (c) => c.html(<MyDataPage site={await settings.site()} sent={c.req.query('sent') === '1'} />));

  app.post('/my-data', sameOrigin(deps.baseUrl), async (c) => {
    const form = await formOf(c);
    await limitSender(c, 'my-data-form', 20);
    if (form.website.trim() === '') {
      try {
        await readerData.requestLink(form.email, clientAddress(c, deps.trustProxy));
      } catch (err) {
        if (!(err instanceof InvalidError)) throw err;
        const site = await settings.site();
        return c.html(<MyDataPage site={site} email={form.email} error={fieldError(err, site)} />, 422);
      }
    }
    return c.redirect('/my-data?sent=1', 303);
  });

  app.get('/my-data/manage', async (c) => {
    const token = c.req.query('token') ?? '';
    const overview = await readerData.overview(token);
    c.header('Cache-Control', 'no-store');
    return c.html(<ManageDataPage site={await settings.site()} token={token} count={overview.comments} />);
  });

  app.get('/my-data/export', async (c) => {
    const data = await readerData.exportData(c.req.query('token'));
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', 'attachment; filename="my-comments.json"');
    return c.json(data);
  });

  app.post('/my-data/erase', async (c) => {
    const mode = (await stringField(c, 'mode')) === 'remove' ? 'remove' : 'anonymize';
    const result = await readerData.erase(c.req.query('token'), mode);
    return c.html(<ErasedPage site={await settings.site()} mode={mode} count={result.comments} />);
  });

  return app;
}
