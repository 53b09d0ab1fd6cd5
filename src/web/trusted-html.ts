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
  const json = JSON.stringify(data).replace(/[<\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return raw(`<script type="application/ld+json">${json}</script>`);
}
