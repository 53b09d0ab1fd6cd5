// Whether a form was sent from this site. Browsers send Origin with every form POST (Referer
// stands in for it in older ones); a form sent from another site is refused with 403 before
// anything reads it. A client that names neither (a script, curl) passes: the form's own token
// or rate limits decide. Shared by the workspace, the comment form and every public form.
import type { Context, MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../errors.js';

export const FOREIGN_FORM =
  'This form was sent from another site, so it was not accepted. To send it, open the form on this site and send it from there.';

/** The site's public address and the one the request came to both count as this site. */
export function sentFromOwnSite(c: Context, baseUrl: string): boolean {
  const own = [new URL(baseUrl).origin, new URL(c.req.url).origin];
  const origin = c.req.header('origin');
  // "null": a sandboxed frame, a file, or a redirect from elsewhere; never this site's own pages.
  if (origin === 'null') return false;
  if (origin) return own.includes(origin);
  const referer = c.req.header('referer');
  if (referer && URL.canParse(referer)) return own.includes(new URL(referer).origin);
  return true;
}

/** Refuses a POST (or any other unsafe method) sent from another site, with 403. */
export function sameOrigin(baseUrl: string, alsoAllowed?: (c: Context) => Promise<boolean>): MiddlewareHandler {
  return async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || sentFromOwnSite(c, baseUrl)) return next();
    // Another site may send it only when it is one the owner registered and the form carries its token.
    if (!alsoAllowed || !(await alsoAllowed(c))) throw new ForbiddenError(FOREIGN_FORM);
    await next();
  };
}
