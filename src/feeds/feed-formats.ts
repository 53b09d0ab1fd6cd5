// One feed model, three formats: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1.
// Written by hand rather than with a generator package: JSON Feed 1.1 (authors, language) and
// exact escaping of every field are simpler to get right in a few lines than to work around.
import type { FeedDocument } from './feed-service.js';
import { element, XML_DECLARATION } from './xml.js';

export const FEED_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

const GENERATOR = 'Hearth';
const rfc822 = (ms: number) => new Date(ms).toUTCString();
const iso = (ms: number) => new Date(ms).toISOString();

export function renderRss(feed: FeedDocument): string {
  const items = feed.items.map((item) =>
    [
      '<item>',
      element('title', item.title),
      element('link', item.url),
      element('guid', item.id, { isPermaLink: 'false' }),
      element('pubDate', rfc822(item.published)),
      // RSS's own <author> must be an email address; dc:creator carries a name.
      element('dc:creator', item.author.name),
      ...item.tags.map((tag) => element('category', tag.name, { domain: tag.url })),
      element('description', item.summary),
      element('content:encoded', item.contentHtml),
      '</item>',
    ].join('\n'),
  );
  return [
    XML_DECLARATION.trimEnd(),
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    element('title', feed.title),
    element('link', feed.homeUrl),
    element('description', feed.description),
    ...(feed.language ? [element('language', feed.language)] : []),
    element('atom:link', undefined, { href: feed.urls.rss, rel: 'self', type: 'application/rss+xml' }),
    ...(feed.updated ? [element('lastBuildDate', rfc822(feed.updated))] : []),
    element('generator', GENERATOR),
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}

export function renderAtom(feed: FeedDocument): string {
  const entries = feed.items.map((item) =>
    [
      '<entry>',
      element('id', item.id),
      element('title', item.title, { type: 'text' }),
      element('link', undefined, { rel: 'alternate', type: 'text/html', href: item.url }),
      element('published', iso(item.published)),
      element('updated', iso(item.updated)),
      `<author>${element('name', item.author.name)}${element('uri', item.author.url)}</author>`,
      ...item.tags.map((tag) => element('category', undefined, { term: tag.slug, label: tag.name, scheme: `${feed.baseUrl}/tag/` })),
      element('summary', item.summary, { type: 'text' }),
      element('content', item.contentHtml, { type: 'html' }),
      '</entry>',
    ].join('\n'),
  );
  return [
    XML_DECLARATION.trimEnd(),
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element('id', feed.homeUrl),
    element('title', feed.title, { type: 'text' }),
    element('subtitle', feed.description, { type: 'text' }),
    element('updated', iso(feed.updated)),
    element('link', undefined, { rel: 'alternate', type: 'text/html', href: feed.homeUrl }),
    element('link', undefined, { rel: 'self', type: 'application/atom+xml', href: feed.urls.atom }),
    element('generator', GENERATOR),
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

export function renderJsonFeed(feed: FeedDocument): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.urls.json,
    description: feed.description,
    ...(feed.language ? { language: feed.language } : {}),
    items: feed.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      content_html: item.contentHtml,
      summary: item.summary,
      date_published: iso(item.published),
      date_modified: iso(item.updated),
      authors: [{ name: item.author.name, url: item.author.url }],
      tags: item.tags.map((tag) => tag.name),
    })),
  });
}
