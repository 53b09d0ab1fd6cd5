// What a source page says of a post: whether it links to it at all (a Webmention whose source does
// not is refused), and, read as microformats2 (microformats-parser), whether its h-entry replies
// to it, likes, reposts or bookmarks it, or only mentions it; with the reply's words and author.
import { mf2 } from 'microformats-parser';
import type { WebmentionKind } from '../db/tables.js';

/** microformats-parser refuses some pages (a body without elements): null then. */
function tryParse(html: string, baseUrl: string): ReturnType<typeof mf2> | null {
  try {
    return mf2(html, { baseUrl });
  } catch {
    return null;
  }
}

/** A page the parser refuses has no microformats. */
function parse(html: string, baseUrl: string): ReturnType<typeof mf2> {
  return tryParse(html, baseUrl) ?? { items: [], rels: {}, 'rel-urls': {} };
}

type Property = ReturnType<typeof mf2>['items'][number]['properties'][string][number];
type Item = ReturnType<typeof mf2>['items'][number];

export interface SourceReading {
  kind: WebmentionKind;
  /** For a reply: the comment it answers, when it names one (#comment-ID). */
  parentCommentId: string | null;
  /** For a reply: its words as plain text. */
  text: string;
  author: { name: string | null; url: string | null; photo: string | null };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e] ?? _);

/** Same resource: the fragment aside, http and https alike, a missing trailing slash forgiven. */
export function sameAddress(a: string, b: string): boolean {
  const norm = (s: string) => {
    if (!URL.canParse(s)) return null;
    const u = new URL(s);
    u.hash = '';
    const path = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    return `${u.host}${path}${u.search}`;
  };
  const [x, y] = [norm(a), norm(b)];
  return x !== null && x === y;
}

/** Whether the page links to `target`: an href or src attribute whose address resolves to it exactly. */
export function linksTo(html: string, sourceUrl: string, target: string): boolean {
  const attr = /\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
  const wanted = new URL(target).href;
  for (const m of html.matchAll(attr)) {
    const raw = decode((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (!raw || !URL.canParse(raw, sourceUrl)) continue;
    if (new URL(raw, sourceUrl).href === wanted) return true;
  }
  return false;
}

const isItem = (p: Property): p is Item => typeof p === 'object' && p !== null && 'properties' in p;
const text = (p: Property | undefined): string | null => {
  if (p === undefined) return null;
  if (typeof p === 'string') return p;
  if (isItem(p)) return typeof p.value === 'string' ? p.value : text(p.properties.name?.[0]);
  return 'value' in p && typeof p.value === 'string' ? p.value : null;
};
/** The addresses a property names: plain URLs, or h-cites with their url. */
const addresses = (values: Property[] | undefined): string[] =>
  (values ?? []).flatMap((v) => (isItem(v) ? (v.properties.url ?? []).map(text) : [text(v)])).filter((s): s is string => !!s);

function firstEntry(items: Item[]): Item | undefined {
  for (const item of items) {
    if (item.type?.includes('h-entry')) return item;
    const inner = firstEntry(item.children ?? []);
    if (inner) return inner;
  }
  return undefined;
}

function authorOf(entry: Item | undefined, items: Item[]): SourceReading['author'] {
  const given = entry?.properties.author?.[0] ?? items.find((i) => i.type?.includes('h-card'));
  if (given === undefined) return { name: null, url: null, photo: null };
  if (!isItem(given)) {
    const s = text(given);
    return s && /^https?:\/\//.test(s) ? { name: null, url: s, photo: null } : { name: s, url: null, photo: null };
  }
  return { name: text(given.properties.name?.[0]), url: text(given.properties.url?.[0]), photo: text(given.properties.photo?.[0]) };
}

/** How the page at `sourceUrl` relates to the post at `postUrl` (it is known to link to it). */
export function readSource(html: string, sourceUrl: string, postUrl: string): SourceReading {
  const doc = parse(html, sourceUrl);
  const entry = firstEntry(doc.items);
  const props = entry?.properties ?? {};
  const author = authorOf(entry, doc.items);
  const of = (name: string) => addresses(props[name]).filter((a) => sameAddress(a, postUrl));
  const replies = of('in-reply-to');
  if (replies.length > 0) {
    const named = replies.map((a) => /#comment-([0-9a-f-]{36})$/.exec(a)?.[1]).find(Boolean) ?? null;
    const words = text(props.content?.[0]) ?? text(props.summary?.[0]) ?? text(props.name?.[0]) ?? '';
    return { kind: 'reply', parentCommentId: named, text: words.trim(), author };
  }
  for (const [name, kind] of [
    ['repost-of', 'repost'],
    ['like-of', 'like'],
    ['bookmark-of', 'bookmark'],
  ] as const) {
    if (of(name).length > 0) return { kind, parentCommentId: null, text: '', author };
  }
  return { kind: 'mention', parentCommentId: null, text: '', author };
}

/** The page's Webmention endpoint per the spec: the HTTP Link header first, then the first <link> or <a> with rel=webmention. */
export function discoverEndpoint(pageUrl: string, linkHeader: string | string[] | undefined, html: string | null): string | null {
  for (const header of Array.isArray(linkHeader) ? linkHeader : linkHeader ? [linkHeader] : []) {
    for (const part of header.split(/,(?=\s*<)/)) {
      const m = /^\s*<([^>]*)>(.*)$/.exec(part);
      const rel = m ? /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] as string) : null;
      const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
      if (m && rels.includes('webmention') && URL.canParse(m[1] as string, pageUrl)) return new URL(m[1] as string, pageUrl).href;
    }
  }
  if (html === null) return null;
  // microformats-parser gathers rel values from <link>, <a> and <area> in document order.
  const parsed = tryParse(html, pageUrl);
  // A page it refuses (a body of bare text) may still name its endpoint in a <link> of its head.
  if (!parsed) return firstTagEndpoint(html, pageUrl);
  const found = parsed.rels.webmention?.[0];
  return found !== undefined ? found : emptyHrefEndpoint(html, pageUrl);
}

/** The href of the first <link> or <a> whose rel names webmention, resolved; only for pages the parser refuses. */
function firstTagEndpoint(html: string, pageUrl: string): string | null {
  const tag = /<(?:link|a)\b[^>]*\brel\s*=\s*(?:"[^"]*\bwebmention\b[^"]*"|'[^']*\bwebmention\b[^']*'|webmention\b)[^>]*>/i.exec(html)?.[0];
  const href = tag ? /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(tag) : null;
  const value = href ? (href[1] ?? href[2] ?? href[3] ?? '') : null;
  return value !== null && URL.canParse(value, pageUrl) ? new URL(value, pageUrl).href : null;
}

/** rel=webmention with href="" names the page itself (the spec's test 15), which parsers may drop. */
function emptyHrefEndpoint(html: string, pageUrl: string): string | null {
  const tag = /<(?:link|a)\b[^>]*\brel\s*=\s*["']?[^"'>]*\bwebmention\b[^>]*>/i.exec(html)?.[0];
  return tag && /\bhref\s*=\s*(""|'')/.test(tag) ? pageUrl : null;
}

/** The links a post's HTML makes to other pages, resolved, without fragments, once each. */
export function outgoingLinks(html: string, postUrl: string, siteUrl: string): string[] {
  const own = new URL(siteUrl).host;
  const seen = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    const raw = decode((m[1] ?? m[2] ?? m[3] ?? '').trim());
    if (!raw || !URL.canParse(raw, postUrl)) continue;
    const u = new URL(raw, postUrl);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.host === own) continue;
    u.hash = '';
    seen.add(u.href);
  }
  return [...seen];
}
