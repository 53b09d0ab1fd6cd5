// The one door for raw HTML into a page: only content that was sanitized when it was written, and
// structured data serialized here.
import { raw } from 'hono/html';

/** Marks HTML that passed the sanitizer on write (posts, comments) as safe to emit unescaped. */
export function sanitizedHtml(html: string) {
  return raw(html);
}

/**
 * A JSON-LD block. It is data, not script (browsers never run application/ld+json), and every
 * `<` is escaped so no value can close the element.
 */
export function jsonLd(data: Record<string, unknown>) {
  const json = JSON.stringify(data).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
  return raw(`<script type="application/ld+json">${json}</script>`);
}
