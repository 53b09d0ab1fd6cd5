// The one error renderer: a typed error becomes a JSON body for API clients or a page for people.
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { HearthError, InvalidError, TooManyError, UnavailableError } from '../errors.js';
import { HtmlDocument, SiteIcon } from './document.js';

export function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');
}

const TITLES: Record<number, string> = {
  400: 'That request could not be read',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Conflict',
  413: 'Too large',
  415: 'That kind of request is not accepted here',
  422: 'Please check the form',
  429: 'Slow down a little',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

export function ErrorPage(props: { status: number; message: string }) {
  const title = TITLES[props.status] ?? 'Error';
  return (
    <HtmlDocument>
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
            <a href="/">Go to the home page</a>
          </p>
        </main>
      </body>
    </HtmlDocument>
  );
}

export function renderError(err: unknown, c: Context, log: Logger): Response | Promise<Response> {
  if (err instanceof HearthError) {
    if (err instanceof TooManyError || err instanceof UnavailableError) c.header('Retry-After', String(err.retryAfterSeconds));
    if (err instanceof UnavailableError) c.header('Cache-Control', 'no-store');
    if (wantsJson(c)) {
      const fields = err instanceof InvalidError && Object.keys(err.fields).length > 0 ? { fields: err.fields } : {};
      return c.json({ error: { code: err.code, message: err.message, ...fields } }, err.status);
    }
    return c.html(<ErrorPage status={err.status} message={err.message} />, err.status);
  }
  log.error({ err, reqId: c.get('requestId') }, 'unhandled error');
  if (wantsJson(c)) return c.json({ error: { code: 'internal', message: 'Something went wrong on our side.' } }, 500);
  return c.html(<ErrorPage status={500} message="Something went wrong on our side. Please try again in a moment." />, 500);
}
