// Each registered site's feed of new comments (Atom): what readers said on its pages, newest
// first, each entry linking to the comment on the page where it was written.
import type { SiteRow } from '../db/tables.js';
import { element, XML_DECLARATION, xmlEscape } from '../feeds/xml.js';

interface FeedComment {
  id: string;
  author_name: string;
  html: string;
  created_at: number;
  slug: string;
  title: string;
  external_url: string | null;
}

export function siteFeed(args: { baseUrl: string; site: SiteRow; comments: readonly FeedComment[] }): string {
  const { baseUrl, site, comments } = args;
  const self = `${baseUrl}/embed/sites/${site.id}/comments.xml`;
  const updated = new Date(comments[0]?.created_at ?? site.created_at).toISOString();
  const entries = comments.map((c) => {
    const link = `${c.external_url ?? `${baseUrl}/${c.slug}/`}#comment-${c.id}`;
    return [
      '<entry>',
      element('id', `urn:uuid:${c.id}`),
      element('title', `${c.author_name} on ${c.title}`),
      `<link rel="alternate" href="${xmlEscape(link)}"/>`,
      `<author>${element('name', c.author_name)}</author>`,
      element('updated', new Date(c.created_at).toISOString()),
      element('content', c.html, { type: 'html' }),
      '</entry>',
    ].join('');
  });
  return [
    XML_DECLARATION,
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element('id', self),
    element('title', `Comments on ${site.name}`),
    `<link rel="self" href="${xmlEscape(self)}"/>`,
    `<link rel="alternate" href="${xmlEscape(`${site.origin}/`)}"/>`,
    element('updated', updated),
    ...entries,
    '</feed>',
  ].join('\n');
}
