// HTTP caching for pages: an ETag of the rendered bytes (304 on If-None-Match) and a
// Cache-Control that lets browsers and proxies keep a copy but ask again each time, so a new
// comment shows at once. The page is encoded to UTF-8 once (page-bytes.ts); the tag is the hash
// of those bytes and the same bytes are sent.
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import { PageBytes } from './page-bytes.js';
import type { PageParts } from './page-parts.js';

export const REVALIDATE = 'public, max-age=0, must-revalidate';

/** Gives public pages the revalidating Cache-Control unless a route set its own. */
export function revalidatedCaching(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', REVALIDATE);
  };
}

const HTML_TYPE = { 'Content-Type': 'text/html; charset=UTF-8' };

const weakless = (tag: string) => tag.replace(/^W\//, '');

/** Whether an If-None-Match header names this tag (compared weakly, as GET allows). */
export const etagMatches = (header: string | undefined, tag: string): boolean =>
  header?.split(',').some((t) => weakless(t.trim()) === weakless(tag)) ?? false;

/**
 * Whether a client's If-Modified-Since holds a copy as new as `lastModified` (an HTTP date). Only
 * asked when the request carries no If-None-Match, which takes precedence (RFC 9110, 13.2.2).
 */
export function unmodifiedSince(ifNoneMatch: string | undefined, ifModifiedSince: string | undefined, lastModified: string): boolean {
  if (ifNoneMatch !== undefined || !ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(lastModified);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

/**
 * Renders a page with its ETag; a client that holds this very page gets 304 and no body. A page
 * made for one render (a comment form's served-at time and token) never equals another render:
 * it gets a tag of its own instead of a hash of its bytes, which could never match. (While the
 * page cache keeps it, that tag still answers conditional requests with 304.)
 */
export async function htmlPage(
  c: Context,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 404 | 422 | 429 = 200,
  options: { perRender?: boolean } = {},
): Promise<Response> {
  // A page with async parts renders to a promise of its text.
  const rendered: string | Promise<string> = (await page).toString();
  const html = await rendered;
  const out = new PageBytes();
  const parts = c.get('pageParts') as PageParts | undefined;
  if (parts) parts.write(html, out);
  else out.add(html);
  const bytes = out.bytes();
  const tag = options.perRender ? `W/"r-${randomUUID()}"` : `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
  c.header('ETag', tag);
  if (status === 200 && etagMatches(c.req.header('if-none-match'), tag)) {
    out.release();
    return c.body(null, 304);
  }
  // Served by Node's HTTP server, the pooled bytes are written as they are and handed back once
  // sent; anywhere else (app.request in tests) they are copied first.
  const sent = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!sent) {
    const copy = Buffer.copyBytesFrom(bytes);
    out.release();
    return c.body(copy, status, HTML_TYPE);
  }
  // A response closes once, after its last bytes were handed to the socket or when it was cut off.
  sent.once('close', () => out.release());
  return c.body(bytes, status, HTML_TYPE);
}
