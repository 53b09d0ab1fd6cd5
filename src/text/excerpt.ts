// Plain-text excerpts derived from rendered HTML.
import { decodeEntities } from './entities.js';

/** The visible text of sanitized HTML, whitespace collapsed. */
export function htmlToText(html: string): string {
  const withoutTags = html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
  return decodeEntities(withoutTags).replace(/\s+/g, ' ').trim();
}

/** At most `maxWords` words of text, ending on a whole word with an ellipsis when cut. */
export function deriveExcerpt(html: string, maxWords = 40): string {
  const words = htmlToText(html).split(' ').filter(Boolean);
  if (words.length <= maxWords) return words.join(' ');
  return `${words
    .slice(0, maxWords)
    .join(' ')
    .replace(/[,;:.!?-]+$/, '')}…`;
}
