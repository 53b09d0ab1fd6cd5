// createApp(deps): the HTTP application. Mounts the routers, the error renderer and static assets.
import fs from 'node:fs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { etag } from 'hono/etag';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { CommentService } from './comments/comment-service.js';
import type { Db } from './db/connect.js';
import { NotFoundError, TooLargeError } from './errors.js';
import { postRoutes } from './posts/post-routes.js';
import type { PostService } from './posts/post-service.js';
import type { SettingsService } from './settings/settings-service.js';
import type { AppEnv } from './web/env.js';
import { renderError } from './web/errors.js';

export interface AppDeps {
  baseUrl: string;
  db: Db;
  clock: Clock;
  log: Logger;
  settings: SettingsService;
  posts: PostService;
  comments: CommentService;
}

/** The largest request body accepted anywhere (uploads have their own limit). */
export const MAX_BODY_BYTES = 256 * 1024;

const PUBLIC_DIR = new URL('../public/', import.meta.url);
const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Every file of public/, read once at start: small, and served from memory. */
function loadAssets(): Map<string, { body: Buffer; type: string }> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of fs.readdirSync(PUBLIC_DIR)) {
    const type = ASSET_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type) assets.set(name, { body: fs.readFileSync(new URL(name, PUBLIC_DIR)), type });
  }
  return assets;
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const assets = loadAssets();

  app.use(requestId({ limitLength: 64 }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info(
      {
        reqId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      crossOriginEmbedderPolicy: false,
      // HSTS only means something on a site served over https.
      strictTransportSecurity: deps.baseUrl.startsWith('https:') ? 'max-age=15552000; includeSubDomains' : false,
    }),
  );
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new TooLargeError(
          `The text you sent is larger than ${MAX_BODY_BYTES / 1024} KB. Go back to shorten it; your browser still holds it.`,
        );
      },
    }),
  );

  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ ok: true });
    } catch {
      return c.json({ ok: false }, 503);
    }
  });

  app.get('/assets/:name', etag(), (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) throw new NotFoundError('There is no such file.');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(asset.body), 200, { 'Content-Type': asset.type });
  });

  app.route('/', postRoutes(deps));

  app.notFound((c) => renderError(new NotFoundError('There is nothing at this address.'), c, deps.log));
  app.onError((err, c) => renderError(err, c, deps.log));
  return app;
}

export type HearthApp = ReturnType<typeof createApp>;
