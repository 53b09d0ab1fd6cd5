// /sitemap.xml (sitemaps.org 0.9) and /robots.txt.
import type { SitemapEntry } from './feed-service.js';
import { element, XML_DECLARATION } from './xml.js';

export function renderSitemap(entries: readonly SitemapEntry[]): string {
  const urls = entries.map(
    (e) =>
      `<url>${element('loc', e.url)}${e.lastModified === null ? '' : element('lastmod', new Date(e.lastModified).toISOString())}</url>`,
  );
  return `${XML_DECLARATION}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** Everyone may crawl the public site; the workspace and the API are not for search engines. */
export function renderRobots(baseUrl: string): string {
  return ['User-agent: *', 'Allow: /', 'Disallow: /admin/', 'Disallow: /api/', '', `Sitemap: ${baseUrl}/sitemap.xml`, ''].join('\n');
}
