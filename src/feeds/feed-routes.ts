// Feeds, sitemap and robots over HTTP. Each answer carries an ETag (a hash of its bytes) so a
// reader polling every few minutes gets a bodiless 304 until something changes.
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import type { AppEnv } from '../web/env.js';
import { FEED_TYPES, renderAtom, renderJsonFeed, renderRss } from './feed-formats.js';
import type { FeedDocument, FeedService } from './feed-service.js';
import { renderRobots, renderSitemap } from './sitemap.js';

export interface FeedRoutesDeps {
  baseUrl: string;
  feeds: FeedService;
}

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

export function feedRoutes(deps: FeedRoutesDeps) {
  const { feeds, baseUrl } = deps;
  const app = new Hono<AppEnv>();
  const validated = etag();

  for (const [file, format] of Object.entries(FORMATS)) {
    app.get(`/${file}`, validated, async (c) => send(c, format.render(await feeds.feed()), format.type));
    app.get(`/tag/:tag{[a-z0-9-]+}/${file}`, validated, async (c) =>
      send(c, format.render(await feeds.feed(c.req.param('tag'))), format.type),
    );
  }

  app.get('/sitemap.xml', validated, async (c) => send(c, renderSitemap(await feeds.sitemap()), 'application/xml; charset=utf-8'));
  app.get('/robots.txt', validated, (c) => send(c, renderRobots(baseUrl), 'text/plain; charset=utf-8'));

  // WordPress's feed addresses, so subscribers of a moved-in site keep their feed.
  for (const path of ['/feed', '/feed/', '/feed/rss2/', '/feed/rss/']) app.get(path, (c) => c.redirect('/feed.xml', 301));
  app.get('/feed/atom/', (c) => c.redirect('/atom.xml', 301));
  app.get('/tag/:tag{[a-z0-9-]+}/feed/', (c) => c.redirect(`/tag/${c.req.param('tag')}/feed.xml`, 301));

  return app;
}
