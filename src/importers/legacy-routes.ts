// Answers old WordPress links with 301. Mounted before the post routes: `/?p=12` is a query on the
// home page, so it is looked at first; any other old address is looked up only once Hearth has
// found nothing there, so normal pages never pay for it.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../web/env.js';
import { type LegacyRedirects, WORDPRESS_QUERY_KEYS } from './legacy-redirects.js';

export function legacyRedirectRoutes(redirects: LegacyRedirects): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const url = new URL(c.req.url);
    if (url.pathname === '/' && WORDPRESS_QUERY_KEYS.some((k) => url.searchParams.has(k))) {
      const to = await redirects.forQuery(url.searchParams);
      if (to) return c.redirect(to, 301);
    }
    await next();
    if (c.res.status !== 404) return;
    const to = await redirects.forPath(url.pathname);
    if (to) c.res = c.redirect(to, 301);
  };
}
