// Feeds, sitemap and robots over HTTP. Each answer carries an ETag (a hash of its bytes) so a
// reader polling every few minutes gets a bodiless 304 until something changes; a feed also
// carries Last-Modified (its newest item's change), for readers that ask with If-Modified-Since.
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import { SLUG_PATTERN } from '../text/slug.js';
import { unmodifiedSince } from '../web/caching.js';
import type { AppEnv } from '../web/env.js';
import { FEED_TYPES, renderAtom, renderJsonFeed, renderRss } from './feed-formats.js';
import type { FeedDocument, FeedService } from './feed-service.js';
import { renderRobots, renderSitemap } from './sitemap.js';

export interface FeedRoutesDeps {
  baseUrl: string;
  feeds: FeedService;
}

/** A tag's slug in a feed address. */
const TAG = SLUG_PATTERN;

/** Readers may reuse a copy for five minutes, then must ask again (cheaply, with If-None-Match). */
const CACHE_CONTROL = 'public, max-age=300';

const FORMATS = {
  'feed.xml': { type: FEED_TYPES.rss, render: renderRss },
  'atom.xml': { type: FEED_TYPES.atom, render: renderAtom },
  'feed.json': { type: FEED_TYPES.json, render: renderJsonFeed },
} satisfies Record<string, { type: string; render: (feed: FeedDocument) => string }>;

function send(c: Context<AppEnv>, body: string, type: string) {
  // Feeds, the sitemap and robots.txt list posts: the page cache keeps them as listings.
  c.set('pageCache', 'listing');
  return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': CACHE_CONTROL });
}

/** A feed, or 304 when the reader's If-Modified-Since copy is as new as its newest item. */
function sendFeed(c: Context<AppEnv>, feed: FeedDocument, format: { type: string; render: (feed: FeedDocument) => string }) {
  // An empty feed (updated 0) has no date to give.
  if (feed.updated > 0) {
    const lastModified = new Date(feed.updated).toUTCString();
    c.header('Last-Modified', lastModified);
    if (unmodifiedSince(c.req.header('if-none-match'), c.req.header('if-modified-since'), lastModified)) {
      return c.body(null, 304, { 'Cache-Control': CACHE_CONTROL });
    }
  }
  return send(c, format.render(feed), format.type);
}

export function feedRoutes(deps: FeedRoutesDeps) {
  const { feeds, baseUrl } = deps;
  const app = new Hono<AppEnv>();
  const validated = etag();

  for (const [file, format] of Object.entries(FORMATS)) {
    app.get(`/${file}`, validated, async (c) => sendFeed(c, await feeds.feed(), format));
    app.get(`/tag/:tag{${TAG}}/${file}`, validated, async (c) => sendFeed(c, await feeds.feed(c.req.param('tag')), format));
  }

  app.get('/sitemap.xml', validated, async (c) => send(c, renderSitemap(await feeds.sitemap()), 'application/xml; charset=utf-8'));
  app.get('/robots.txt', validated, (c) => send(c, renderRobots(baseUrl), 'text/plain; charset=utf-8'));

  // WordPress's feed addresses, so subscribers of a moved-in site keep their feed.
  for (const path of ['/feed', '/feed/', '/feed/rss2/', '/feed/rss/']) app.get(path, (c) => c.redirect('/feed.xml', 301));
  app.get('/feed/atom/', (c) => c.redirect('/atom.xml', 301));
  app.get(`/tag/:tag{${TAG}}/feed/`, (c) => c.redirect(`/tag/${c.req.param('tag')}/feed.xml`, 301));

  return app;
}
