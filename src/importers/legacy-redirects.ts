// Old links keep working: where a request for a WordPress address should go in Hearth. The
// addresses recorded at import (each item's old link, `/?p=ID`) come first; WordPress's standard
// shapes (category, feed, date-based permalinks, paging) are recognised after them.
import type { Db } from '../db/connect.js';
import { slugify } from '../text/slug.js';
import { findPostBySlug, findRedirect } from './import-store.js';
import { normalizePath } from './source-text.js';

export interface LegacyRedirects {
  /** For `/` with a query WordPress answered (`?p=12`, `?page_id=3`, `?cat=`, `?feed=rss2`). */
  forQuery(params: URLSearchParams): Promise<string | undefined>;
  /** For a path Hearth has nothing at. */
  forPath(pathname: string): Promise<string | undefined>;
}

/** The query parameters WordPress reads on its home address. */
export const WORDPRESS_QUERY_KEYS = ['p', 'page_id', 'cat', 'category_name', 'tag', 'feed', 'paged', 's'] as const;

export function createLegacyRedirects(deps: { db: Db }): LegacyRedirects {
  const { db } = deps;
  return {
    async forQuery(params) {
      for (const key of ['p', 'page_id']) {
        const id = params.get(key);
        if (id && /^\d+$/.test(id)) return (await findRedirect(db, [`/?${key}=${id}`]))?.to_path;
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
      const recorded = await findRedirect(db, [path, withSlash, path.replace(/\/+$/, '') || '/']);
      if (recorded && recorded.to_path !== pathname) return recorded.to_path;
      const shaped = standardShape(withSlash);
      if (shaped === undefined || shaped === pathname) return undefined;
      if (typeof shaped === 'string') return shaped;
      // A date-based permalink points at a post only if Hearth has one by that slug.
      const post = await findPostBySlug(db, shaped.slug);
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
