// An external page's conversation: found by its canonical address, or made (published at once,
// comments open) the first time it is asked for, by the embed, the build-time include, a sitemap
// or an import. Works in the caller's transaction (imports) or on the database.
import { createHash } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { EXTERNAL_KIND, type PostRow, type SiteRow } from '../db/tables.js';
import { newId } from '../ids.js';
import { normalizeOrigin } from './page-url.js';
import * as store from './site-store.js';

/** A site may gather this many pages; beyond it, new addresses are refused (a guard against a flood of made-up ones). */
export const MAX_PAGES_PER_SITE = 20_000;

/** The stable Hearth address of a page: `c-` and 16 hex digits of its canonical address's hash. */
export const pageSlug = (url: string) => `c-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);

/** A title for a page that gave none: its address without the scheme. */
export const titleOf = (url: string, given?: string | null) =>
  (given ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || url.replace(/^https?:\/\//, '');

export interface EnsureArgs {
  /** A canonical address (normalizePageUrl). */
  url: string;
  title?: string | null | undefined;
  now: number;
  /** Imports register the page's site when it is not yet; the embed never does. */
  registerSite?: boolean;
  /** The source and id an import knows the page by. */
  source?: { source: string; sourceId: string } | undefined;
  /** Who the page is "by" when the site has no staff yet (an import's author). */
  authorId?: string | undefined;
}

/** The page's conversation post, made when it is not here yet; null when its site is not registered (or full). */
export async function ensurePage(db: Db, args: EnsureArgs): Promise<{ post: PostRow; site: SiteRow | null; created: boolean } | null> {
  const existing = await store.pageByUrl(db, args.url);
  const origin = normalizeOrigin(args.url);
  if (!origin) return null;
  let site = (await store.siteByOrigin(db, origin)) ?? null;
  if (existing) return { post: existing, site, created: false };
  if (!site && args.registerSite) {
    site = { id: newId(args.now), origin, name: new URL(origin).host, created_at: args.now };
    await store.insertSite(db, site);
  }
  if (!site) return null;
  if ((await store.pagesOfSite(db, site.id)) >= MAX_PAGES_PER_SITE) return null;
  const authorId = (await store.pageAuthor(db)) ?? args.authorId;
  if (!authorId) return null;
  const title = titleOf(args.url, args.title);
  const html = `<p><a href="${escapeHtml(args.url)}">${escapeHtml(title)}</a></p>`;
  await store.insertPage(db, {
    id: newId(args.now),
    kind: EXTERNAL_KIND,
    slug: pageSlug(args.url),
    title,
    markdown: html,
    html,
    source_format: 'html',
    excerpt: '',
    custom_excerpt: 0,
    status: 'published',
    published_at: args.now,
    author_id: authorId,
    comments_mode: 'open',
    comments_close_days: null,
    comment_count: 0,
    public_thread_count: 0,
    cover_image: null,
    meta_title: null,
    meta_description: null,
    sticky: 0,
    source: args.source?.source ?? null,
    source_id: args.source?.sourceId ?? null,
    created_at: args.now,
    updated_at: args.now,
    site_id: site.id,
    external_url: args.url,
  });
  const post = await store.pageByUrl(db, args.url);
  return post ? { post, site, created: true } : null;
}
