// Other sites the owner registered: their origins (the only ones the embed answers and whose
// forms are taken), their pages' conversations, found or made by canonical address, and pages
// read from a site's sitemap.
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { PostRow, SiteRow } from '../db/tables.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { ensurePage } from './external-pages.js';
import { normalizeOrigin, normalizePageUrl } from './page-url.js';
import * as store from './site-store.js';

export interface SiteWithPages extends SiteRow {
  pages: number;
}

export interface SiteService {
  list(): Promise<SiteWithPages[]>;
  register(origin: string, name: string): Promise<SiteRow>;
  remove(id: string): Promise<void>;
  /** The registered site of an origin (as a browser sends it in Origin), or undefined. */
  registered(origin: string): Promise<SiteRow | undefined>;
  byId(id: string): Promise<SiteRow | undefined>;
  /** A page's conversation: found, or made when its site is registered; null otherwise. */
  page(address: string, title?: string | null): Promise<{ post: PostRow; site: SiteRow | null } | null>;
  /** Conversations made for every page a sitemap lists on the site; returns how many were new. */
  readSitemap(siteId: string, xml: string): Promise<number>;
  /** Fetches the site's sitemap (at most 5 MB, 10 seconds) and reads it. */
  fetchSitemap(siteId: string, address: string): Promise<number>;
  recentComments(siteId: string, limit: number): ReturnType<typeof store.recentCommentsOfSite>;
}

const MAX_SITEMAP_BYTES = 5 * 1024 * 1024;

export function createSiteService(deps: { db: Db; clock: Clock }): SiteService {
  const { db, clock } = deps;
  const service: SiteService = {
    async list() {
      const sites = await store.listSites(db);
      return Promise.all(sites.map(async (s) => ({ ...s, pages: await store.pagesOfSite(db, s.id) })));
    },
    async register(input, name) {
      const origin = normalizeOrigin(input);
      if (!origin) throw new InvalidError('Give the site’s address, starting with https:// (or http://).');
      if (await store.siteByOrigin(db, origin)) throw new ConflictError(`${origin} is registered already.`);
      const site = { id: newId(clock.now()), origin, name: name.trim().slice(0, 120) || new URL(origin).host, created_at: clock.now() };
      await store.insertSite(db, site);
      return site;
    },
    async remove(id) {
      if (!(await store.siteById(db, id))) throw new NotFoundError('There is no such site.');
      await store.deleteSite(db, id);
    },
    registered: (origin) => store.siteByOrigin(db, origin),
    byId: (id) => store.siteById(db, id),
    async page(address, title) {
      const url = normalizePageUrl(address);
      if (!url) return null;
      const found = await store.pageByUrl(db, url);
      if (found) return { post: found, site: found.site_id ? ((await store.siteById(db, found.site_id)) ?? null) : null };
      return ensurePage(db, { url, title, now: clock.now() });
    },
    async readSitemap(siteId, xml) {
      const site = await store.siteById(db, siteId);
      if (!site) throw new NotFoundError('There is no such site.');
      let added = 0;
      for (const match of xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)) {
        const url = normalizePageUrl(decodeEntities(match[1] ?? ''));
        if (!url?.startsWith(`${site.origin}/`)) continue;
        const made = await ensurePage(db, { url, now: clock.now() });
        if (made?.created) added++;
      }
      return added;
    },
    async fetchSitemap(siteId, address) {
      const site = await store.siteById(db, siteId);
      if (!site) throw new NotFoundError('There is no such site.');
      const url = normalizePageUrl(address);
      if (!url?.startsWith(`${site.origin}/`)) throw new InvalidError(`The sitemap must be on ${site.origin}.`);
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' }).catch((err: unknown) => {
        throw new InvalidError(`The sitemap could not be read: ${err instanceof Error ? err.message : String(err)}`);
      });
      if (!res.ok) throw new InvalidError(`The sitemap could not be read: the site answered ${res.status}.`);
      const text = await res.text();
      if (text.length > MAX_SITEMAP_BYTES) throw new InvalidError('The sitemap is larger than 5 MB.');
      return service.readSitemap(siteId, text);
    },
    recentComments: (siteId, limit) => store.recentCommentsOfSite(db, siteId, limit),
  };
  return service;
}

const decodeEntities = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
