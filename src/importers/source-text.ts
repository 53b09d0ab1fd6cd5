// Small readers shared by the importers: dates, old paths, site keys. Pure.
import sanitizeHtml from 'sanitize-html';

/** "2014-01-14 17:31:03" (UTC) as epoch ms; WordPress's all-zero date and junk are null. */
export function wpDate(text: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec((text ?? '').trim());
  if (!m || m[1] === '0000') return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isFinite(ms) ? ms : null;
}

/** An RFC 822 or ISO 8601 date as epoch ms, or null. */
export function anyDate(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (!t) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The path a URL answered at, as the redirect table keys it: percent-escapes decoded, and the query
 * kept only where WordPress addresses content by it (`/?p=12`, `/?page_id=3`).
 */
export function oldPath(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim(), 'http://old.invalid');
  } catch {
    return null;
  }
  for (const key of ['p', 'page_id']) {
    const id = u.searchParams.get(key);
    if (id && /^\d+$/.test(id)) return `/?${key}=${id}`;
  }
  return normalizePath(u.pathname);
}

/** A request path in the form the redirect table holds. */
export function normalizePath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // a stray % stays as it is
  }
  return path.normalize('NFC');
}

/** What identifies a site across exports: host and path, without scheme or trailing slash. */
export function siteKey(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return `${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/** Decodes a percent-encoded slug such as WordPress keeps for non-ASCII titles. */
export function decodeSlug(slug: string): string {
  try {
    return decodeURIComponent(slug.trim());
  } catch {
    return slug.trim();
  }
}

const SPECIALS: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
/** Something a browser would read as the start of a tag. */
const TAG_LIKE = /<[a-z!/?]/i;

/**
 * The text of a field WordPress keeps as HTML or entity-escaped text (titles, names, the site's
 * title and tagline): entities decoded, markup removed. Text that still reads as markup once
 * decoded ("&lt;script&gt;") loses that markup too, so a name or title never carries a tag.
 */
export function plainText(html: string): string {
  // Most names and titles hold neither markup nor entities.
  if (!/[<&]/.test(html)) return html.trim();
  let text = html;
  for (let pass = 0; pass < 4; pass++) {
    // sanitize-html decodes every entity and escapes only the special characters again.
    text = sanitizeHtml(text, { allowedTags: [], allowedAttributes: {} }).replace(/&(?:lt|gt|quot|#39|amp);/g, (m) => SPECIALS[m] ?? m);
    if (!TAG_LIKE.test(text)) return text.trim();
  }
  return text.replace(/</g, '').trim();
}

/** A commenter's website as a link may point: an http(s) address, normalized; anything else is null. */
export function webAddress(url: string | null | undefined): string | null {
  const raw = (url ?? '').trim();
  if (!raw || raw.length > 500 || !URL.canParse(raw)) return null;
  const u = new URL(raw);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
}

/** An email address as kept and exported: one with markup or spaces in it is no address (''). */
export function plainEmail(email: string): string {
  return /[\s<>"]/.test(email) ? '' : email;
}

/** An IP address as kept and exported, or null for anything else. */
export function ipAddress(ip: string | null): string | null {
  return ip && /^[0-9a-f.:]+$/i.test(ip) ? ip : null;
}

/**
 * Where WordPress showed an author's posts: `/author/<nicename>/`, the nicename being the login
 * made URL-safe (lowercase; dots and spaces become hyphens; other signs go). The login itself is
 * kept too, as some sites link it.
 */
export function wordpressAuthorPaths(login: string): string[] {
  const nicename = login
    .toLowerCase()
    .replace(/[.\s]+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return [...new Set([login, login.toLowerCase(), nicename].filter((n) => n && !n.includes('/')))].map((n) => `/author/${n}/`);
}
