// Hearth's conversation on another site's page: the thread's HTML for the embed script (with the
// form) and for a static generator's build (with a link to the form on Hearth), the no-JS link
// target, and the cross-site rules: CORS only for registered origins, forms from them only with
// the token Hearth gave that page, and each site's feed of new comments.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { conversationFor } from '../comments/comment-routes.js';
import type { CommentService } from '../comments/comment-service.js';
import { CREDENTIAL_HEADER, EMBED_HEADER } from '../comments/credential.js';
import type { PostRow } from '../db/tables.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import { postLocale } from '../posts/post-views.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { AppEnv } from '../web/env.js';
import { pagePartsOf } from '../web/page-parts.js';
import { checkEmbedToken, embedToken } from './embed-token.js';
import { siteFeed } from './site-feed.js';
import type { SiteService } from './site-service.js';

export interface EmbedDeps {
  baseUrl: string;
  sites: SiteService;
  comments: CommentService;
  settings: SettingsService;
}

/** What another site's page may ask for across origins: the embed, its assets, and the conversation's routes. */
const CROSS_SITE_PATH = /^\/(embed\/|assets\/embed\.)|^\/[^/]+\/comments(\/|$)/;
const NOT_REGISTERED = 'This site is not registered with this Hearth, so its pages cannot show or send its conversations.';

const ownOrigins = (c: Context, baseUrl: string) => [new URL(baseUrl).origin, new URL(c.req.url).origin];

/** The Origin of a request from another site's page, or undefined (no Origin, or this site's own). */
function foreignOrigin(c: Context, baseUrl: string): string | undefined {
  const origin = c.req.header('origin');
  return origin && !ownOrigins(c, baseUrl).includes(origin) ? origin : undefined;
}

/**
 * CORS for registered origins only. Mounted before the security headers, so that its
 * Cross-Origin-Resource-Policy (the embed's script and style load on other sites) is the last word.
 */
export function embedCors(deps: Pick<EmbedDeps, 'baseUrl' | 'sites'>): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (!CROSS_SITE_PATH.test(path)) return next();
    const origin = foreignOrigin(c, deps.baseUrl);
    const site = origin ? await deps.sites.registered(origin) : undefined;
    if (origin && !site) {
      // Forms of an unregistered site are refused by the routes' origin check; its reads get no CORS headers.
      if (c.req.method === 'OPTIONS' || path.startsWith('/embed/')) return c.text(NOT_REGISTERED, 403);
      return next();
    }
    if (origin && c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': `accept, content-type, ${CREDENTIAL_HEADER}, ${EMBED_HEADER}`,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    await next();
    if (origin) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.append('Vary', 'Origin');
    }
    if (path.startsWith('/embed/') || path.startsWith('/assets/embed.')) c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
    // The embed's script and style are public: any page may read them (axe and preloaders fetch styles).
    if (path.startsWith('/assets/embed.')) c.res.headers.set('Access-Control-Allow-Origin', '*');
  };
}

/** Whether a form sent from another site comes from Hearth's embed on a registered one, for this page. */
export function crossSiteForm(deps: Pick<EmbedDeps, 'baseUrl' | 'sites' | 'settings'>) {
  return async (c: Context): Promise<boolean> => {
    const origin = foreignOrigin(c, deps.baseUrl);
    if (!origin || !(await deps.sites.registered(origin))) return false;
    const segment = c.req.path.split('/')[1] ?? '';
    const slug = URL.canParse(`http://x/${segment}`) ? decodeURIComponent(segment) : segment;
    return checkEmbedToken(await deps.settings.secret(), origin, slug, c.req.header(EMBED_HEADER));
  };
}

/** Our own addresses in the thread's HTML made absolute: it is shown on another site. */
export const absoluteLinks = (html: string, baseUrl: string) => html.replace(/(\s(?:href|action|src|data-live)=")\//g, `$1${baseUrl}/`);

export function embedRoutes(deps: EmbedDeps) {
  const { baseUrl, sites, settings } = deps;
  const app = new Hono<AppEnv>();

  async function pageOf(c: Context): Promise<{ post: PostRow; origin: string }> {
    const found = await sites.page(c.req.query('url') ?? '', c.req.query('title'));
    if (!found?.site) throw new NotFoundError('This page is not on a site registered with this Hearth.');
    const origin = foreignOrigin(c, baseUrl);
    // A registered site reads its own pages' conversations, not another site's.
    if (origin && origin !== found.site.origin) throw new ForbiddenError(NOT_REGISTERED);
    return { post: found.post, origin: found.site.origin };
  }

  // The thread as HTML. With form=1 (the embed script), the form to write; without it (a static
  // build), a link to the form on Hearth.
  app.get('/embed/thread', async (c) => {
    const { post, origin } = await pageOf(c);
    const withForm = c.req.query('form') === '1';
    const m = messagesFor(postLocale(post, await settings.site()));
    const join = (
      <p class="hearth-join">
        <a href={`/${post.slug}/#respond`}>{m.t('embed.join')}</a>
      </p>
    );
    const { thread } = await conversationFor(c, deps, post, undefined, withForm ? undefined : join);
    const html = absoluteLinks(pagePartsOf(c).fill(String(await thread.toString())), baseUrl);
    const token = embedToken(await settings.secret(), origin, post.slug);
    // A build keeps what it was given; the script's copy may show her own held words.
    c.header('Cache-Control', withForm ? 'private, no-store' : 'public, max-age=60');
    return c.html(
      `<div class="hearth-thread" data-hearth-base="${baseUrl}" data-hearth-slug="${post.slug}" data-hearth-token="${token}">${html}</div>`,
    );
  });

  // The no-JS link a page can carry before its conversation exists: to the conversation's page.
  app.get('/embed/page', async (c) => {
    const { post } = await pageOf(c);
    return c.redirect(`/${post.slug}/#comments`, 303);
  });

  app.get('/embed/sites/:id/comments.xml', async (c) => {
    const site = await sites.byId(c.req.param('id'));
    if (!site) throw new NotFoundError('There is no such site.');
    const comments = await sites.recentComments(site.id, 50);
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(siteFeed({ baseUrl, site, comments }), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  });

  return app;
}
