// HTTP caching for pages: an ETag of the rendered bytes (304 on If-None-Match) and a
// Cache-Control that lets browsers and proxies keep a copy but ask again each time, so a new
// comment shows at once. The tag is computed from the page's text before it becomes a Response:
// reading a Response back to hash it costs more than rendering a small page.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';

export const REVALIDATE = 'public, max-age=0, must-revalidate';

/** Gives public pages the revalidating Cache-Control unless a route set its own. */
export function revalidatedCaching(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', REVALIDATE);
  };
}

const matches = (header: string | undefined, tag: string) =>
  header !== undefined && header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag.replace(/^W\//, ''));

/** Renders a page with its ETag; a client that holds this very page gets 304 and no body. */
export async function htmlPage(
  c: Context,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 404 = 200,
): Promise<Response> {
  // A page with async parts renders to a promise of its text.
  const rendered: string | Promise<string> = (await page).toString();
  const html = await rendered;
  const tag = `W/"${createHash('sha1').update(html).digest('base64url')}"`;
  c.header('ETag', tag);
  if (status === 200 && matches(c.req.header('if-none-match'), tag)) return c.body(null, 304);
  return c.html(html, status);
}
