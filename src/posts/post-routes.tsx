// Public routes for reading: home, tags, authors, archive, search and the post page.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { AccountsService } from '../accounts/accounts-service.js';
import { COMMENT_SCRIPTS, conversationFor } from '../comments/comment-routes.js';
import type { CommentService } from '../comments/comment-service.js';
import { GoneError, NotFoundError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import type { SettingsService } from '../settings/settings-service.js';
import { POST_SLUG_PATTERN, SLUG_PATTERN, slugInUrl } from '../text/slug.js';
import { htmlPage, revalidatedCaching } from '../web/caching.js';
import type { AppEnv } from '../web/env.js';
import type { PostService, PostWithTags } from './post-service.js';
import { ArchivePage, ListingPage, PostPage, SearchPage } from './post-views.js';

export interface PostRoutesDeps {
  /** Webmentions (src/webmention): the endpoint advertised on post pages, and the counts shown. */
  webmentions?:
    | { counts(postId: string): Promise<Partial<Record<'like' | 'repost' | 'bookmark' | 'mention' | 'reply', number>>> }
    | undefined;
  /** ActivityPub (src/federation): likes and boosts of the post's Article. */
  federation?: { reactions(postId: string): Promise<{ likes: number; boosts: number }> } | undefined;
  baseUrl: string;
  posts: PostService;
  comments: CommentService;
  settings: SettingsService;
  accounts: AccountsService;
  /** A program (kind 'program') has its own page with a sign-up form (src/programs). */
  programPage?: (c: Context, post: PostWithTags) => Promise<Response>;
}

/** Slugs may hold other scripts' letters (src/text/slug.ts). */
const SLUG = SLUG_PATTERN;
/** A post's address at the root: never a reserved word, so Hearth's own pages never meet these routes. */
const POST_SLUG = POST_SLUG_PATTERN;

/** A tag's three feeds (src/feeds/feed-routes.ts), linked in its page's head and on the page. */
const TAG_FEEDS = [
  { name: 'RSS', file: 'feed.xml', type: 'application/rss+xml' },
  { name: 'Atom', file: 'atom.xml', type: 'application/atom+xml' },
  { name: 'JSON Feed', file: 'feed.json', type: 'application/feed+json' },
];

/**
 * `?page=N` as a whole number from 1; anything else is a page that does not exist. Up to nine
 * digits: a longer number would only reach the database as an offset it cannot hold.
 */
function pageParam(c: Context): number {
  const raw = c.req.query('page') ?? '1';
  const page = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || page < 1) throw new NotFoundError('There is no such page.');
  return page;
}

export function postRoutes(deps: PostRoutesDeps) {
  const { posts, comments, settings, baseUrl, accounts } = deps;
  const app = new Hono<AppEnv>();
  // Attached to each route, not with `use`: mounted at '/', `use` would also reach every router
  // mounted after this one.
  const caching = revalidatedCaching();
  // Every page here may be kept by the page cache; a post's own page says which post it shows.
  const listing: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('pageCache', 'listing');
    await next();
  };

  app.get('/', caching, listing, async (c) => {
    const page = pageParam(c);
    const site = await settings.site();
    const listing = await posts.latest(page, site.postsPerPage);
    if (page > listing.pages) throw new NotFoundError('There is no such page.');
    const canonical = `${baseUrl}/${page > 1 ? `?page=${page}` : ''}`;
    return htmlPage(
      c,
      <ListingPage site={site} meta={{ title: site.title, canonical }} heading={site.title} headingHidden basePath="/" {...listing} />,
    );
  });

  app.get(`/tag/:tag{${SLUG}}`, caching, listing, (c) => c.redirect(`/tag/${c.req.param('tag')}/`, 301));
  app.get(`/tag/:tag{${SLUG}}/`, caching, listing, async (c) => {
    const tag = await posts.tagBySlug(c.req.param('tag'));
    if (!tag) throw new NotFoundError('No post has this tag.');
    const page = pageParam(c);
    const site = await settings.site();
    const listing = await posts.latest(page, site.postsPerPage, { tagId: tag.id });
    if (page > listing.pages) throw new NotFoundError('There is no such page.');
    const path = `/tag/${slugInUrl(tag.slug)}/`;
    return htmlPage(
      c,
      <ListingPage
        site={site}
        meta={{
          title: messagesFor(site.language).t('listing.taggedTitle', { tag: tag.name }),
          canonical: `${baseUrl}${path}${page > 1 ? `?page=${page}` : ''}`,
          feeds: TAG_FEEDS.map((f) => ({ title: `${site.title}: ${tag.name} (${f.name})`, href: `${path}${f.file}`, type: f.type })),
        }}
        heading={messagesFor(site.language).t('listing.tagged', { tag: tag.name })}
        intro={
          <p class="meta">
            Follow this tag:{' '}
            {TAG_FEEDS.map((f, i) => (
              <>
                {i > 0 ? ' · ' : ''}
                <a href={`${path}${f.file}`} type={f.type}>
                  {f.name}
                </a>
              </>
            ))}
          </p>
        }
        basePath={path}
        {...listing}
      />,
    );
  });

  app.get(`/author/:slug{${SLUG}}`, caching, listing, async (c) => {
    // Only an author of this site is sent to her canonical address: another name may be an old
    // WordPress login, which the old-address redirects send straight to its author's page.
    if (!(await accounts.bySlug(c.req.param('slug')))) throw new NotFoundError('There is no such author.');
    return c.redirect(`/author/${c.req.param('slug')}/`, 301);
  });
  app.get(`/author/:slug{${SLUG}}/`, caching, listing, async (c) => {
    const author = await accounts.bySlug(c.req.param('slug'));
    if (!author) throw new NotFoundError('There is no such author.');
    const page = pageParam(c);
    const site = await settings.site();
    const listing = await posts.latest(page, site.postsPerPage, { authorId: author.id });
    if (page > listing.pages) throw new NotFoundError('There is no such page.');
    const path = `/author/${author.slug}/`;
    return htmlPage(
      c,
      <ListingPage
        site={site}
        meta={{ title: author.name, description: author.bio || undefined, canonical: `${baseUrl}${path}` }}
        heading={messagesFor(site.language).t('listing.byAuthor', { name: author.name })}
        intro={author.bio ? <p class="author-bio">{author.bio}</p> : undefined}
        basePath={path}
        {...listing}
      />,
    );
  });

  app.get('/archive', caching, listing, (c) => c.redirect('/archive/', 301));
  app.get('/archive/', caching, listing, async (c) => {
    const [site, months] = await Promise.all([settings.site(), posts.archiveMonths()]);
    return htmlPage(c, <ArchivePage site={site} baseUrl={baseUrl} months={months} />);
  });

  app.get('/archive/:year{\\d{4}}/:month{\\d{2}}', caching, listing, (c) =>
    c.redirect(`/archive/${c.req.param('year')}/${c.req.param('month')}/`, 301),
  );
  app.get('/archive/:year{\\d{4}}/:month{\\d{2}}/', caching, listing, async (c) => {
    const year = Number(c.req.param('year'));
    const month = Number(c.req.param('month'));
    if (month < 1 || month > 12) throw new NotFoundError('There is no such month.');
    const page = pageParam(c);
    const site = await settings.site();
    const listing = await posts.latest(page, site.postsPerPage, { between: [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1)] });
    if (listing.total === 0 || page > listing.pages) throw new NotFoundError('Nothing was published that month.');
    const path = `/archive/${year}/${String(month).padStart(2, '0')}/`;
    const label = messagesFor(site.language).month(year, month);
    return htmlPage(
      c,
      <ListingPage site={site} meta={{ title: label, canonical: `${baseUrl}${path}` }} heading={label} basePath={path} {...listing} />,
    );
  });

  app.get('/search', caching, listing, async (c) => {
    const query = (c.req.query('q') ?? '').trim().slice(0, 200);
    const page = pageParam(c);
    const site = await settings.site();
    const found = await posts.search(query, page, site.postsPerPage);
    c.header('Cache-Control', 'public, max-age=60');
    return htmlPage(
      c,
      <SearchPage site={site} query={query} hits={found.hits} total={found.total} more={found.more} page={page} pages={found.pages} />,
    );
  });

  // A reserved word (`/search`, `/feed`, ...) is never a post's address, and these routes never match one.
  app.get(`/:slug{${POST_SLUG}}`, caching, listing, (c) => c.redirect(`/${c.req.param('slug')}/`, 301));

  app.get(`/:slug{${POST_SLUG}}/`, caching, listing, async (c) => {
    const post = await posts.publishedBySlug(c.req.param('slug'));
    if (!post) {
      // A renamed post: its old address answers with the new one.
      const moved = await posts.redirectFor(c.req.path);
      if (moved) return c.redirect(moved.to_path, moved.code as 301);
      // A deleted post answers 410: a page that linked to it, told by Webmention, learns it is gone.
      if (await posts.isGone(c.req.path)) throw new GoneError('This post was deleted.');
      throw new NotFoundError('There is nothing at this address.');
    }
    if (post.kind === 'program' && deps.programPage) return deps.programPage(c, post);
    const [site, context] = await Promise.all([settings.site(), posts.readingContext(post)]);
    c.set('pageCache', `post:${post.id}`);
    // The conversation under the post (comments feature).
    const { thread: conversation, formShown } = await conversationFor(c, { comments, settings }, post);
    const [mentions, fediverse] = await Promise.all([deps.webmentions?.counts(post.id), deps.federation?.reactions(post.id)]);
    // A like is a like wherever it was given: a Webmention like-of and an ActivityPub Like count
    // together, and so do a repost (repost-of) and a boost (Announce).
    const reactions = {
      likes: (mentions?.like ?? 0) + (fediverse?.likes ?? 0),
      boosts: (mentions?.repost ?? 0) + (fediverse?.boosts ?? 0),
    };
    // Webmention discovery by header first (W3C Webmention 3.1.2); kept with the page when cached.
    if (deps.webmentions) c.header('Link', `<${baseUrl}/webmention>; rel="webmention"`);
    return htmlPage(
      c,
      <PostPage
        site={site}
        baseUrl={baseUrl}
        post={post}
        context={context}
        conversation={conversation}
        scripts={COMMENT_SCRIPTS}
        mentions={mentions}
        reactions={reactions}
      />,
      200,
      { perRender: formShown },
    );
  });

  return app;
}
