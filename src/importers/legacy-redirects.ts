// Old links keep working: where a request for a WordPress address should go in Hearth. The
// addresses recorded at import (each item's old link, `/?p=ID`, each author's `/author/<login>/`)
// come first; WordPress's standard shapes (category, feed, date-based permalinks, paging) are
// recognised after them. An old address never leads to something readers cannot see: a draft,
// a scheduled or a private item (imported as a draft) is not found, and its address not told.
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { NotFoundError } from '../errors.js';
import { findPublishedBySlug } from '../posts/post-store.js';
import { slugify } from '../text/slug.js';
import { findRedirect, userSlugTaken } from './import-store.js';
import { normalizePath } from './source-text.js';

export interface LegacyRedirects {
  /**
   * For `/` with a query WordPress answered (`?p=12`, `?page_id=3`, `?cat=`, `?feed=rss2`).
   * Throws NotFoundError for `?p=` or `?page_id=` of an item readers cannot see.
   */
  forQuery(params: URLSearchParams): Promise<string | undefined>;
  /** For a path Hearth has nothing at. */
  forPath(pathname: string): Promise<string | undefined>;
}

/** The query parameters WordPress reads on its home address. */
export const WORDPRESS_QUERY_KEYS = ['p', 'page_id', 'cat', 'category_name', 'tag', 'feed', 'paged', 's'] as const;

export function createLegacyRedirects(deps: { db: Db; clock: Clock }): LegacyRedirects {
  const { db, clock } = deps;

  /** Whether readers may follow a recorded redirect: a post's address only while it is published. */
  async function readable(toPath: string): Promise<boolean> {
    const slug = /^\/([^/]+)\/$/.exec(toPath)?.[1];
    return slug === undefined || (await findPublishedBySlug(db, slug, clock.now())) !== undefined;
  }

  /** An old author address, `/author/<login>/`, recorded at import. */
  async function authorPath(path: string): Promise<string | undefined> {
    const m = /^\/author\/([^/]+)\/(?:page\/(\d+)\/)?$/.exec(path);
    if (!m?.[1]) return undefined;
    const base = `/author/${m[1]}/`;
    const recorded = await findRedirect(db, [base]);
    const to = recorded?.to_path ?? ((await userSlugTaken(db, m[1])) ? base : undefined);
    if (!to) return undefined;
    return m[2] && m[2] !== '1' ? `${to}?page=${m[2]}` : to;
  }

  return {
    async forQuery(params) {
      for (const key of ['p', 'page_id']) {
        const id = params.get(key);
        if (!id || !/^\d+$/.test(id)) continue;
        const recorded = await findRedirect(db, [`/?${key}=${id}`]);
        if (recorded && !(await readable(recorded.to_path))) throw new NotFoundError('There is nothing at this address.');
        return recorded?.to_path;
      }
      const tag = params.get('tag') ?? params.get('category_name');
      if (tag && slugify(tag)) return `/tag/${slugify(tag)}/`;
      if (params.has('feed')) return '/feed.xml';
      const paged = params.get('paged');
      if (paged && /^\d+$/.test(paged)) return `/?page=${paged}`;
      const search = params.get('s');
      if (search) return `/search?q=${encodeURIComponent(search)}`;
      return undefined;
    },

    async forPath(pathname) {
      const path = normalizePath(pathname);
      const withSlash = path.endsWith('/') ? path : `${path}/`;
      const author = await authorPath(withSlash);
      if (author) return author === pathname ? undefined : author;
      const recorded = await findRedirect(db, [path, withSlash, path.replace(/\/+$/, '') || '/']);
      if (recorded) return recorded.to_path !== pathname && (await readable(recorded.to_path)) ? recorded.to_path : undefined;
      const shaped = standardShape(withSlash);
      if (shaped === undefined || shaped === pathname) return undefined;
      if (typeof shaped === 'string') return shaped;
      // A date-based permalink points at a post only if readers can see one by that slug.
      const post = await findPublishedBySlug(db, shaped.slug, clock.now());
      return post ? `/${post.slug}/` : undefined;
    },
  };
}

/** WordPress's standard addresses and their Hearth equivalents. Pure. */
export function standardShape(path: string): string | { slug: string } | undefined {
  let m: RegExpExecArray | null;
  if (/^\/(?:feed|rss|rss2|atom|comments\/feed)\/$/.test(path)) return '/feed.xml';
  m = /^\/(?:category|tag)\/(?:[^/]+\/)*([^/]+)\/feed\/$/.exec(path);
  if (m?.[1] && slugify(m[1])) return `/tag/${slugify(m[1])}/feed.xml`;
  m = /^\/category\/(?:[^/]+\/)*([^/]+)\/$/.exec(path);
  if (m?.[1] && slugify(m[1])) return `/tag/${slugify(m[1])}/`;
  m = /^\/page\/(\d+)\/$/.exec(path);
  if (m) return `/?page=${m[1]}`;
  m = /^\/\d{4}\/\d{2}(?:\/\d{2})?\/([^/]+)\/$/.exec(path);
  if (m?.[1] && slugify(m[1])) return { slug: slugify(m[1]) };
  m = /^\/(\d{4})\/(\d{2})\/$/.exec(path);
  if (m) return `/archive/${m[1]}/${m[2]}/`;
  return undefined;
}
