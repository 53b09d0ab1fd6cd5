// createApp(deps): the HTTP application. Mounts the routers, the error renderer and static assets.

import fs from 'node:fs';
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { AccountsService } from './accounts/accounts-service.js';
import type { AuthService } from './accounts/auth-service.js';
import { fediverseSection } from './admin/fediverse-routes.js';
import { IMPORT_PATH, importSection, MAX_IMPORT_BYTES } from './admin/import-routes.js';
import { type DigestChoice, inboxNav, inboxRoutes } from './admin/inbox-routes.js';
import { mailSection } from './admin/mail-routes.js';
import { moderationNav, moderationRoutes } from './admin/moderation-routes.js';
import type { ModerationService } from './admin/moderation-service.js';
import { staffViewer } from './admin/moderation-viewer.js';
import { workspaceRoutes } from './admin/workspace-routes.js';
import { apiRoutes } from './api/api-routes.js';
import { openApiDocument } from './api/openapi.js';
import type { PageCache } from './cache/page-cache.js';
import type { Clock } from './clock.js';
import { commentApiRoutes } from './comments/comment-api.js';
import { commentRoutes } from './comments/comment-routes.js';
import type { CommentService } from './comments/comment-service.js';
import type { LiveHub } from './comments/live-hub.js';
import type { DashboardService } from './dashboard/dashboard-service.js';
import type { Db } from './db/connect.js';
import { STAFF_ROLES } from './db/tables.js';
import { NotFoundError, TooLargeError } from './errors.js';
import type { FederationService } from './federation/federation-service.js';
import { feedRoutes } from './feeds/feed-routes.js';
import type { FeedService } from './feeds/feed-service.js';
import type { ImportService } from './importers/import-service.js';
import type { LegacyRedirects } from './importers/legacy-redirects.js';
import { legacyRedirectRoutes } from './importers/legacy-routes.js';
import type { InboxService } from './inbox/inbox-service.js';
import { mailInSection, RepliesByEmail } from './mailin/mailin-routes.js';
import type { MailInService } from './mailin/mailin-service.js';
import { MAX_UPLOAD_BYTES, MEDIA_UPLOAD_PATH, mediaApiRoutes, mediaRoutes } from './media/media-routes.js';
import type { MediaService } from './media/media-service.js';
import type { ConversationSettingsService } from './moderation/conversation-settings.js';
import type { NotifyServices } from './notify/notify.js';
import { notifyAdminRoutes } from './notify/notify-admin-routes.js';
import { notifyRoutes } from './notify/notify-routes.js';
import { postApiRoutes } from './posts/post-api.js';
import { postRoutes } from './posts/post-routes.js';
import type { PostService } from './posts/post-service.js';
import { programSection } from './programs/program-admin.js';
import { programPage, programRoutes } from './programs/program-routes.js';
import type { ProgramService } from './programs/program-service.js';
import { EMBED_FRAME_ORIGINS } from './render/embeds.js';
import type { MarkdownRenderer } from './render/markdown.js';
import type { SettingsService } from './settings/settings-service.js';
import { crossSiteForm, embedCors, embedRoutes } from './sites/embed-routes.js';
import { siteSection } from './sites/site-admin.js';
import type { SiteService } from './sites/site-service.js';
import { refuseNulInAddress } from './web/address-guard.js';
import type { AppEnv } from './web/env.js';
import { renderError } from './web/errors.js';
import { bodySizeLimit, bodySizeLimitLettingThrough } from './web/request-body.js';
import { webmentionRoutes, webmentionSection } from './webmention/webmention-routes.js';
import type { WebmentionService } from './webmention/webmention-service.js';

export interface AppDeps {
  baseUrl: string;
  /** The data folder (uploads under media/). */
  dataDir: string;
  db: Db;
  clock: Clock;
  log: Logger;
  settings: SettingsService;
  posts: PostService;
  comments: CommentService;
  /** Live comment updates (Server-Sent Events) for open post pages. */
  live: LiveHub;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: readonly string[];
  accounts: AccountsService;
  /** Workspace sign-in, sessions and staff. */
  auth: AuthService;
  /** The renderer posts use, for the editor's preview. */
  markdown: MarkdownRenderer;
  media: MediaService;
  feeds: FeedService;
  notify: NotifyServices;
  /** Replies by email (src/mailin), and the doors mail comes in by in this process. */
  mailIn?: MailInService | undefined;
  mailDoors?: readonly string[] | undefined;
  /** ActivityPub (src/federation). */
  federation: FederationService;
  /** Where old WordPress links go now. */
  legacyRedirects: LegacyRedirects;
  /** Imports from WordPress and Disqus (the workspace's Import page). */
  imports: ImportService;
  /** Programs: cards, counted clicks, sign-ups. */
  programs: ProgramService;
  conversationSettings: ConversationSettingsService;
  /** "Awaiting your reply" and the moderation queue, in the workspace. */
  inbox: InboxService;
  moderation: ModerationService;
  /** The dashboard's charts. */
  dashboard?: DashboardService | undefined;
  /** Rendered public pages kept until what they show changes; absent when turned off. */
  pageCache?: PageCache | undefined;
  /** Webmentions received and sent (src/webmention). */
  webmentions: WebmentionService;
  /** Other sites whose pages carry conversations from here (src/sites). */
  sites: SiteService;
}

/** A post's cover image, uploaded from the workspace editor. */
const isCoverUpload = (path: string) => /^\/admin\/(posts|pages|programs)\/[0-9a-f-]{36}\/cover$/.test(path);

/** A reader sending the comment form (src/comments/comment-routes.tsx). */
const isCommentPost = (method: string, path: string) => method === 'POST' && /^\/[^/]+\/comments$/.test(path);

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
  // Before the security headers: other sites' pages load the embed (src/sites), for registered origins only.
  app.use(embedCors(deps));
  // Outside the header middleware, so a stored page keeps the headers it was sent with.
  if (deps.pageCache) app.use(deps.pageCache.capture(() => deps.posts.nextScheduledAt()));
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
        // Players load only when a reader clicks an embed's button (public/embeds.js).
        frameSrc: ["'self'", ...EMBED_FRAME_ORIGINS],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      crossOriginEmbedderPolicy: false,
      // HSTS only means something on a site served over https.
      strictTransportSecurity: deps.baseUrl.startsWith('https:') ? 'max-age=15552000; includeSubDomains' : false,
    }),
  );
  app.use(refuseNulInAddress);
  const tooLargeText = () => {
    throw new TooLargeError(
      `The text you sent is larger than ${MAX_BODY_BYTES / 1024} KB. Go back to shorten it; your browser still holds it.`,
    );
  };
  const limitBody = bodySizeLimit({ maxSize: MAX_BODY_BYTES, onError: tooLargeText });
  // A comment over the limit goes on to its route, which shows the form again with what fits of her words.
  const limitComment = bodySizeLimitLettingThrough({ maxSize: MAX_BODY_BYTES, onError: tooLargeText });
  // Image uploads carry their own, larger limit (src/media/media-routes.ts).
  const limitUpload = bodySizeLimit({
    maxSize: MAX_UPLOAD_BYTES,
    onError: () => {
      throw new TooLargeError(`An image may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Go back and choose a smaller one.`);
    },
  });
  // Image uploads carry a larger limit: the API's route sets its own after checking the token
  // (src/media/media-routes.ts); the editor's cover upload gets it here, before the workspace
  // reads the form for its CSRF token.
  const limitImport = bodySizeLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: () => {
      throw new TooLargeError(
        `An export may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB here; import larger files with \`npx hearth import\`.`,
      );
    },
  });
  app.use((c, next) => {
    // A GET carries no body; asking for one would build the full web Request for nothing.
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.path === MEDIA_UPLOAD_PATH) return next();
    if (c.req.path === IMPORT_PATH && c.req.method === 'POST') return limitImport(c, next);
    if (isCommentPost(c.req.method, c.req.path)) return limitComment(c, next);
    return (isCoverUpload(c.req.path) ? limitUpload : limitBody)(c, next);
  });

  // ActivityPub's addresses (WebFinger, NodeInfo, actors, inboxes, objects) are Fedify's.
  app.use(async (c, next) => {
    const answered = await deps.federation.fetch(c.req.raw);
    if (answered) return answered;
    return next();
  });

  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ ok: true });
    } catch {
      c.header('Retry-After', '5');
      return c.json({ ok: false }, 503);
    }
  });

  app.get('/assets/:name', etag(), (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) throw new NotFoundError('There is no such file.');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(asset.body), 200, { 'Content-Type': asset.type });
  });

  // Browsers ask for /favicon.ico whatever the page links; the answer is the same icon, kept a day.
  app.get('/favicon.ico', etag(), (c) => {
    const icon = assets.get('favicon.ico');
    if (!icon) throw new NotFoundError('There is no such file.');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(new Uint8Array(icon.body), 200, { 'Content-Type': icon.type });
  });

  app.route('/api/v1', jsonApi(deps));
  // The workspace: /admin itself answers with its canonical address.
  app.get('/admin', (c) => c.redirect('/admin/', 301));
  // The daily "awaiting your reply" email is src/notify's; each staff member opts in from the inbox.
  const digest: DigestChoice = {
    get: async (staff) => (await deps.notify.subscriptions.staffNotices(staff)).digest,
    set: (staff, on) => deps.notify.subscriptions.setStaffNotice(staff, 'digest', on),
  };
  const commentSections = [
    { nav: moderationNav, routes: moderationRoutes(deps) },
    { nav: inboxNav(deps.inbox), routes: inboxRoutes({ ...deps, digest }) },
  ];
  app.route(
    '/',
    workspaceRoutes({
      ...deps,
      emailSettings: deps.notify.emailSettings,
      sections: [
        programSection(deps),
        ...commentSections,
        fediverseSection(deps),
        mailSection({ ...deps.notify, replies: mailReplies(deps) }),
        ...(deps.mailIn ? [mailInSection({ mailIn: deps.mailIn, doors: deps.mailDoors ?? [] })] : []),
        importSection(deps),
        webmentionSection(deps),
        siteSection(deps),
      ],
    }),
  );
  // Before the public routes: `/?p=12` is a query on the home page; other old WordPress
  // addresses are looked up only when nothing answered them.
  app.use(legacyRedirectRoutes(deps.legacyRedirects));
  app.route('/', mediaRoutes(deps));
  // Before the post routes: /feed/ would otherwise be looked up as a post's slug.
  app.route('/', feedRoutes(deps));
  // Before the post routes: /webmention is not a post's slug.
  app.route('/', webmentionRoutes(deps));
  // Before the comment and post routes: /subscribe, /unsubscribe and /my-data are not post slugs.
  app.route('/', notifyRoutes({ ...deps, ...deps.notify }));
  // Staff signed in to the workspace see private comments on the post page (personal, never cached).
  app.use(staffViewer(deps.auth));
  // Before the post routes, whose page caching would hold back a live (SSE) stream.
  app.route('/', commentRoutes({ ...deps, crossSite: crossSiteForm(deps) }));
  // Other sites' pages: their threads, the no-JS link, their feeds.
  app.route('/', embedRoutes(deps));
  // Before the post routes: /go/program/..., /:slug/signup and /:slug/thanks.
  app.route('/', programRoutes(deps));
  app.route('/', postRoutes({ ...deps, programPage: (c, post) => programPage(c, deps, post) }));

  // Error pages speak the site's language, except in the workspace, which is English (the settings
  // are kept in memory; a failure to read them leaves English).
  const siteLocale = (c: Context) =>
    c.req.path.startsWith('/admin')
      ? undefined
      : deps.settings.site().then(
          (s) => s.language,
          () => undefined,
        );
  app.notFound(async (c) =>
    renderError(
      new NotFoundError('There is nothing at this address.').saying({ message: { key: 'error.404Text' } }),
      c,
      deps.log,
      await siteLocale(c),
    ),
  );
  app.onError(async (err, c) => renderError(err, c, deps.log, await siteLocale(c)));
  return app;
}

/**
 * The JSON API (CONTRACT.md): who may call what, at a glance. Every admin area is closed to a
 * request without a valid token, and to every role not named beside it; services check further
 * (an author's own posts, comments on her posts).
 */
function jsonApi(deps: AppDeps) {
  const comments = commentApiRoutes(deps);
  const email = notifyAdminRoutes(deps.notify);
  // Sending a post to subscribers sits beside the post it sends (the posts API has no route of that shape).
  const posts = new Hono<AppEnv>().route('/', postApiRoutes(deps)).route('/', email.sendNewsletter);
  const OWNER = ['owner'] as const;
  let document: ReturnType<typeof openApiDocument> | undefined;
  return apiRoutes({
    accounts: deps.accounts,
    // Built on first request and kept: it changes only with the code.
    openApi: () => (document ??= openApiDocument(deps.baseUrl)),
    public: [{ path: '/posts', routes: comments.threads }],
    admin: [
      { path: '/posts', roles: STAFF_ROLES, routes: posts },
      { path: '/media', roles: STAFF_ROLES, routes: mediaApiRoutes(deps) },
      { path: '/comments', roles: STAFF_ROLES, routes: comments.staff },
      { path: '/inbox', roles: STAFF_ROLES, routes: comments.inbox },
      { path: '/me/notifications', roles: STAFF_ROLES, routes: email.myNotifications },
      { path: '/outbox', roles: OWNER, routes: email.outbox },
      { path: '/mail', roles: OWNER, routes: email.mailFiles },
      { path: '/subscribers', roles: OWNER, routes: email.subscribers },
      { path: '/settings/email', roles: OWNER, routes: email.emailSettings },
    ],
  });
}

export type HearthApp = ReturnType<typeof createApp>;

/** Replies by email: its pages, and its part of the Email page. */
function mailReplies(deps: AppDeps) {
  const { mailIn } = deps;
  if (!mailIn) return undefined;
  return () => RepliesByEmail({ mailIn, doors: deps.mailDoors ?? [] });
}
