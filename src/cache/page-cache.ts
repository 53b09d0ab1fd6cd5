// The page cache: public pages and feeds, kept as rendered bytes and served without rendering
// until something they show changes. A route opts a response in by naming what it shows
// (c.set('pageCache', ...)); nothing personal is ever stored, and a request that carries a
// session or a commenter's credential never reads from it.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { etagMatches, unmodifiedSince } from '../web/caching.js';
import type { SiteChange } from './change-feed.js';

/** What a cached page shows: one post's page, or a listing (home, tags, feeds, search...). */
export type PageTag = `post:${string}` | 'listing';

interface Entry {
  status: number;
  headers: [string, string][];
  etag: string | undefined;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  tag: PageTag;
  /** Served until then: its age limit, or sooner when a scheduled post appears. */
  expiresAt: number;
}

export interface PageCacheOptions {
  /** Memory budget for bodies and their compressed copies. */
  maxBytes?: number;
  /** Even unchanged, a page is rendered again after this long (fresh anti-spam timestamps). */
  maxAgeMs?: number;
  /** Cookies whose presence makes a request personal. */
  personalCookies?: readonly string[];
  now?: () => number;
}

export interface PageCache {
  /** Serves a cached page straight from the socket; false when the request must be rendered. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Hono middleware that stores the responses routes opt in. A scheduled post changes listings
   * when its time comes, with no write to announce it: pages are kept no later than that.
   */
  capture(nextScheduledAt?: () => Promise<number | null>): MiddlewareHandler;
  invalidate(change: SiteChange): void;
  size(): { entries: number; bytes: number };
}

const PERSONAL_COOKIES = ['hearth_session=', 'hearth_writer='];
// Headers a cached copy repeats; the rest (date, connection, length) are made per response.
const KEPT_HEADERS = new Set([
  'content-type',
  'cache-control',
  'etag',
  'last-modified',
  // A post's Webmention endpoint (rel="webmention") must be on cached answers too.
  'link',
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);

export function cacheKey(url: string): string {
  return url;
}

function isPersonal(cookie: string | undefined, personal: readonly string[]): boolean {
  return cookie !== undefined && personal.some((name) => cookie.includes(name));
}

/** The encoding to send: brotli, then gzip, then none. q=0 refuses one. */
function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  const offered = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    offered.set((name ?? '').trim().toLowerCase(), q ? Number(q.trim().slice(2)) : 1);
  }
  const allows = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return undefined;
}

export function createPageCache(options: PageCacheOptions = {}): PageCache {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxAge = options.maxAgeMs ?? 60 * 60 * 1000;
  const personal = options.personalCookies ?? PERSONAL_COOKIES;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  // Bumped by every invalidation: a render that overlapped one may show old data and is not kept.
  let generation = 0;

  const weigh = (e: Entry) => e.body.length + (e.gzip?.length ?? 0) + (e.br?.length ?? 0);
  const drop = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    bytes -= weigh(e);
    entries.delete(key);
  };
  const evict = () => {
    // Map order is insertion order, and hits re-insert: the first key is the least recently used.
    for (const key of entries.keys()) {
      if (bytes <= maxBytes) break;
      drop(key);
    }
  };

  function encoded(e: Entry, encoding: 'br' | 'gzip'): Buffer {
    let body = e[encoding];
    if (!body) {
      // Compressed once per cached version, on the first request that asks for it.
      body =
        encoding === 'br'
          ? brotliCompressSync(e.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: e.body.length } })
          : gzipSync(e.body, { level: 6 });
      e[encoding] = body;
      bytes += body.length;
      evict();
    }
    return body;
  }

  return {
    serve(req, res) {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || isPersonal(req.headers.cookie, personal)) return false;
      const key = cacheKey(req.url ?? '/');
      const entry = entries.get(key);
      if (!entry) return false;
      if (now() >= entry.expiresAt) {
        drop(key);
        return false;
      }
      entries.delete(key);
      entries.set(key, entry);

      const headers: Record<string, string | number> = { 'x-request-id': randomUUID(), 'x-cache': 'hit', vary: 'Accept-Encoding' };
      for (const [name, value] of entry.headers) headers[name] = value;
      const etag = entry.etag;
      const lastModified = headers['last-modified'];
      if (
        (etag && etagMatches(req.headers['if-none-match'], etag)) ||
        (typeof lastModified === 'string' && unmodifiedSince(req.headers['if-none-match'], req.headers['if-modified-since'], lastModified))
      ) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      const encoding = pickEncoding(req.headers['accept-encoding']);
      const body = encoding ? encoded(entry, encoding) : entry.body;
      if (encoding) headers['content-encoding'] = encoding;
      headers['content-length'] = body.length;
      res.writeHead(entry.status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    },

    capture(nextScheduledAt) {
      return async (c, next) => {
        const startedAt = generation;
        await next();
        const tag = (c as unknown as { get(key: 'pageCache'): PageTag | undefined }).get('pageCache');
        if (!tag || c.req.method !== 'GET' || c.res.status !== 200) return;
        if (isPersonal(c.req.header('cookie'), personal)) return;
        const cacheControl = c.res.headers.get('cache-control') ?? '';
        if (/private|no-store/.test(cacheControl) || c.res.headers.has('set-cookie')) return;
        const body = Buffer.from(await c.res.clone().arrayBuffer());
        const scheduled = nextScheduledAt ? await nextScheduledAt() : null;
        if (generation !== startedAt) return;
        const headers: [string, string][] = [];
        c.res.headers.forEach((value, name) => {
          if (KEPT_HEADERS.has(name)) headers.push([name, value]);
        });
        const key = cacheKey(new URL(c.req.url).pathname + new URL(c.req.url).search);
        drop(key);
        const entry: Entry = {
          status: 200,
          headers,
          etag: c.res.headers.get('etag') ?? undefined,
          body,
          tag,
          expiresAt: Math.min(now() + maxAge, scheduled ?? Number.POSITIVE_INFINITY),
        };
        entries.set(key, entry);
        bytes += weigh(entry);
        evict();
      };
    },

    invalidate(change) {
      generation += 1;
      if (change.scope === 'site') {
        entries.clear();
        bytes = 0;
        return;
      }
      // A post's comments changed: its own pages, and the listings that show comment counts.
      const postTag = `post:${change.postId}`;
      for (const [key, entry] of entries) if (entry.tag === postTag || entry.tag === 'listing') drop(key);
    },

    size: () => ({ entries: entries.size, bytes }),
  };
}
