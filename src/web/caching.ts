// HTTP caching for pages and feeds: an ETag of the body (304 on If-None-Match) and a Cache-Control
// that lets browsers and proxies keep a copy but ask again each time, so a new comment shows at once.
import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';

export const REVALIDATE = 'public, max-age=0, must-revalidate';

export function revalidatedCaching(): MiddlewareHandler {
  const tag = etag({ weak: true });
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    await tag(c, async () => {
      await next();
      // A route that knows better (a personal page, an immutable asset) sets its own.
      if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', REVALIDATE);
    });
  };
}
