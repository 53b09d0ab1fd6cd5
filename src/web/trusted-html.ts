// The one door for raw HTML into a page: only content that was sanitized when it was written.
import { raw } from 'hono/html';

/** Marks HTML that passed the sanitizer on write (posts, comments) as safe to emit unescaped. */
export function sanitizedHtml(html: string) {
  return raw(html);
}
