// The one error renderer: a typed error becomes a JSON body for API clients or a page for people.
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { storageUnavailable } from '../db/outage.js';
import { HearthError, InvalidError, TooManyError, UnavailableError } from '../errors.js';
import type { MessageKey } from '../i18n/catalogs/index.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { messagesFor } from '../i18n/messages.js';
import { messageIn } from '../i18n/said.js';
import { HtmlDocument, SiteIcon } from './document.js';
import type { AppEnv } from './env.js';

export function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
}

const TITLES: Record<number, MessageKey> = {
  400: 'error.400',
  401: 'error.401',
  403: 'error.403',
  404: 'error.404',
  410: 'error.410',
  409: 'error.409',
  413: 'error.413',
  415: 'error.415',
  422: 'error.422',
  429: 'error.429',
  500: 'error.500',
  503: 'error.503',
};

/** What each status says when the error has no words in the reader's language. */
const TEXTS: Record<number, MessageKey> = {
  400: 'error.400Text',
  401: 'error.401Text',
  403: 'error.403Text',
  404: 'error.404Text',
  410: 'error.410Text',
  409: 'error.409Text',
  413: 'error.413Text',
  415: 'error.415Text',
  422: 'error.422Text',
  429: 'error.429Text',
  503: 'error.503Text',
};

export function ErrorPage(props: { status: number; message: string; locale?: Locale | undefined }) {
  const m = messagesFor(props.locale ?? DEFAULT_LOCALE);
  const title = m.t(TITLES[props.status] ?? 'error.other');
  return (
    <HtmlDocument lang={m.locale} dir={m.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <SiteIcon />
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <main id="main" class="error-page">
          <h1>{title}</h1>
          <p>{props.message}</p>
          <p>
            <a href="/">{m.t('error.home')}</a>
          </p>
        </main>
      </body>
    </HtmlDocument>
  );
}

/** `locale`: the site's language, for the pages people read (JSON keeps English for programs). */
export function renderError(err: unknown, c: Context<AppEnv>, log: Logger, locale?: Locale): Response | Promise<Response> {
  const m = messagesFor(locale ?? DEFAULT_LOCALE);
  if (err instanceof HearthError) {
    if (err instanceof TooManyError || err instanceof UnavailableError) c.header('Retry-After', String(err.retryAfterSeconds));
    if (err instanceof UnavailableError) c.header('Cache-Control', 'no-store');
    if (wantsJson(c)) {
      const fields = err instanceof InvalidError && Object.keys(err.fields).length > 0 ? { fields: err.fields } : {};
      return c.json({ error: { code: err.code, message: err.message, ...fields } }, err.status);
    }
    // A form she can fix is shown again with her words, as the route that read it draws it.
    const again = c.get('formAgain')?.(err);
    if (again) return again;
    // A message with no key of its own reads, in another language, as what its status says.
    const message = err.said || m.locale === 'en' ? messageIn(err, m) : m.t(TEXTS[err.status] ?? 'error.500Text');
    return c.html(<ErrorPage status={err.status} message={message} locale={m.locale} />, err.status);
  }
  const storage = storageUnavailable(err);
  if (storage) {
    log.error({ err, reqId: c.get('requestId') }, 'storage unavailable');
    return renderError(storage, c, log, locale);
  }
  log.error({ err, reqId: c.get('requestId') }, 'unhandled error');
  if (wantsJson(c)) return c.json({ error: { code: 'internal', message: 'Something went wrong on our side.' } }, 500);
  return c.html(<ErrorPage status={500} message={m.t('error.500Text')} locale={m.locale} />, 500);
}
