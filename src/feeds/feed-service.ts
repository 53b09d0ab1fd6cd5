// Builds the neutral model every feed format and the sitemap render from: the site's latest
// visible posts (or one tag's), with absolute URLs throughout.

import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { NotFoundError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import type { SettingsService } from '../settings/settings-service.js';
import { slugInUrl } from '../text/slug.js';
import { absoluteUrls } from './absolute-urls.js';
import * as store from './feed-store.js';

/** How many posts a feed carries. */
export const FEED_SIZE = 20;
/** The sitemap protocol's limit for one file. */
export const SITEMAP_MAX_URLS = 50_000;

export interface FeedItem {
  /** Stable across slug and address changes: `urn:uuid:<post id>`. */
  id: string;
  url: string;
  title: string;
  contentHtml: string;
  summary: string;
  published: number;
  updated: number;
  author: { name: string; url: string };
  tags: { name: string; slug: string; url: string }[];
}

export interface FeedDocument {
  title: string;
  description: string;
  /** The HTML page the feed describes. */
  homeUrl: string;
  urls: { rss: string; atom: string; json: string };
  /** The latest change of any item; 0 for an empty feed, so that its ETag stays put. */
  updated: number;
  items: FeedItem[];
  baseUrl: string;
  /** The site's language (a BCP 47 tag), named in the feed. */
  language?: string | undefined;
}

export interface SitemapEntry {
  url: string;
  lastModified: number | null;
}

export interface FeedService {
  /** The site's feed, or one tag's (NotFound for a tag that does not exist). */
  feed(tagSlug?: string): Promise<FeedDocument>;
  /** Home, every visible post, page and program, and each tag page that lists something. */
  sitemap(): Promise<SitemapEntry[]>;
}

export interface FeedDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  settings: SettingsService;
}

export function createFeedService(deps: FeedDeps): FeedService {
  const { db, clock, baseUrl, settings } = deps;
  // Feeds and the sitemap carry addresses, percent-encoded: a slug may hold any script's letters.
  const postUrl = (slug: string) => `${baseUrl}/${slugInUrl(slug)}/`;
  const tagUrl = (slug: string) => `${baseUrl}/tag/${slugInUrl(slug)}/`;

  return {
    async feed(tagSlug) {
      const tag = tagSlug === undefined ? undefined : await store.findTagBySlug(db, tagSlug);
      if (tagSlug !== undefined && !tag) throw new NotFoundError('There is no such tag.');
      const [site, posts] = await Promise.all([
        settings.site(),
        store.latestVisiblePosts(db, { now: clock.now(), limit: FEED_SIZE, tagId: tag?.id }),
      ]);
      const tags = await store.tagsOfPosts(
        db,
        posts.map((p) => p.id),
      );
      const home = tag ? tagUrl(tag.slug) : `${baseUrl}/`;
      const items = posts.map((p): FeedItem => {
        const url = postUrl(p.slug);
        return {
          id: `urn:uuid:${p.id}`,
          url,
          title: p.title,
          contentHtml: absoluteUrls(p.html, url),
          summary: p.excerpt,
          published: p.published_at,
          // A scheduled post was last edited before it went out: it changed for readers when it did.
          updated: Math.max(p.updated_at, p.published_at),
          author: { name: p.author_name, url: `${baseUrl}/author/${p.author_slug}/` },
          tags: tags.filter((t) => t.post_id === p.id).map((t) => ({ name: t.name, slug: t.slug, url: tagUrl(t.slug) })),
        };
      });
      return {
        title: tag ? `${site.title}: ${tag.name}` : site.title,
        description: tag ? messagesFor(site.language).t('feed.tagged', { tag: tag.name, site: site.title }) : site.description,
        language: site.language,
        homeUrl: home,
        urls: { rss: `${home}feed.xml`, atom: `${home}atom.xml`, json: `${home}feed.json` },
        updated: items.reduce((latest, item) => Math.max(latest, item.updated), 0),
        items,
        baseUrl,
      };
    },

    async sitemap() {
      const now = clock.now();
      const [posts, tags] = await Promise.all([
        store.visibleForSitemap(db, { now, limit: SITEMAP_MAX_URLS - 1 }),
        store.tagsWithVisiblePosts(db, now),
      ]);
      const changed = (a: number | null, b: number | null) => (a === null && b === null ? null : Math.max(a ?? 0, b ?? 0));
      const latestPost = posts
        .filter((p) => p.kind === 'post')
        .reduce<number | null>((m, p) => changed(m, changed(p.published_at, p.updated_at)), null);
      const entries: SitemapEntry[] = [
        { url: `${baseUrl}/`, lastModified: latestPost },
        ...posts.map((p) => ({ url: postUrl(p.slug), lastModified: changed(p.published_at, p.updated_at) })),
        ...tags.map((t) => ({ url: tagUrl(t.slug), lastModified: changed(t.last_published, t.last_updated) })),
      ];
      return entries.slice(0, SITEMAP_MAX_URLS);
    },
  };
}
