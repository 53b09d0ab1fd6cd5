// Public routes for posts: the home listing and a post page.
import { Hono } from 'hono';
import type { CommentService } from '../comments/comment-service.js';
import { NotFoundError } from '../errors.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { AppEnv } from '../web/env.js';
import type { PostService } from './post-service.js';
import { HomePage, PostPage } from './post-views.js';

export interface PostRoutesDeps {
  baseUrl: string;
  posts: PostService;
  comments: CommentService;
  settings: SettingsService;
}

export function postRoutes(deps: PostRoutesDeps) {
  const { posts, comments, settings, baseUrl } = deps;
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const page = Number(c.req.query('page') ?? '1');
    if (!Number.isInteger(page) || page < 1) throw new NotFoundError('There is no such page.');
    const site = await settings.site();
    const listing = await posts.latest(page, site.postsPerPage);
    if (page > listing.pages) throw new NotFoundError('There is no such page.');
    return c.html(<HomePage site={site} baseUrl={baseUrl} posts={listing.posts} page={page} pages={listing.pages} />);
  });

  app.get('/:slug{[a-z0-9][a-z0-9-]*}', (c) => c.redirect(`/${c.req.param('slug')}/`, 301));

  app.get('/:slug{[a-z0-9][a-z0-9-]*}/', async (c) => {
    const post = await posts.publishedBySlug(c.req.param('slug'));
    if (!post) throw new NotFoundError('There is nothing at this address.');
    const [site, thread] = await Promise.all([settings.site(), comments.publicThread(post.id)]);
    return c.html(<PostPage site={site} baseUrl={baseUrl} post={post} thread={thread} />);
  });

  return app;
}
