// Plain-text excerpts derived from rendered HTML.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** The visible text of sanitized HTML, whitespace collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#?\w+);/g, (m, name: string) => ENTITIES[name] ?? (name.startsWith('#') ? safeCodePoint(name) : m))
    .replace(/\s+/g, ' ')
    .trim();
}

function safeCodePoint(ref: string): string {
  const code = ref.startsWith('#x') || ref.startsWith('#X') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
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
