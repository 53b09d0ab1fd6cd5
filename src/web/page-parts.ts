// Parts of a page too long to be one string (hundreds of comments) travel beside the page instead
// of inside it: the view leaves a marker where they go, and htmlPage writes the rendered page with
// each marker replaced by its pieces, straight into the page's bytes (see page-bytes.ts for why
// no long string is ever made). The pieces are finished HTML, escaped as they were built.
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { PageBytes } from './page-bytes.js';

const MARKER = /<!--hearth-part-(\d+)-->/g;

export class PageParts {
  readonly #parts: (readonly string[])[] = [];

  /** A marker to put in the page where these pieces belong. */
  slot(pieces: readonly string[]): HtmlEscapedString {
    this.#parts.push(pieces);
    return raw(`<!--hearth-part-${this.#parts.length - 1}-->`);
  }

  /** The rendered HTML with every marker replaced by its pieces, as one string (a fragment, not a page). */
  fill(html: string): string {
    return html.replace(MARKER, (marker, n: string) => this.#parts[Number(n)]?.join('') ?? marker);
  }

  /** Writes the rendered page with every marker replaced by its pieces. */
  write(html: string, out: PageBytes): void {
    let from = 0;
    for (const match of html.matchAll(MARKER)) {
      const pieces = this.#parts[Number(match[1])];
      if (!pieces) continue;
      out.add(html.slice(from, match.index));
      for (const piece of pieces) out.add(piece);
      from = match.index + match[0].length;
    }
    out.add(html.slice(from));
  }
}

/** The long parts of the page this request renders (kept in its context). */
export function pagePartsOf(c: Context): PageParts {
  let parts = c.get('pageParts') as PageParts | undefined;
  if (!parts) {
    parts = new PageParts();
    c.set('pageParts', parts);
  }
  return parts;
}

/** Without a page to write into (a fragment, a JSON answer): the pieces as one piece of HTML. */
export function joinedParts(pieces: readonly string[]): HtmlEscapedString {
  return raw(pieces.join(''));
}
