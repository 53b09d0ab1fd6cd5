// Reader search queries, parsed into terms we build the database query from ourselves, so no input
// can be a syntax error: "quoted phrases", word* prefixes, plain words (all must match).

export interface SearchTerms {
  phrases: string[][];
  words: string[];
  prefixes: string[];
}

const WORD = /[\p{L}\p{N}]+/gu;
const words = (text: string) => (text.toLowerCase().match(WORD) ?? []).slice(0, 16);

export function parseSearchQuery(input: string): SearchTerms {
  const text = input.slice(0, 200);
  const terms: SearchTerms = { phrases: [], words: [], prefixes: [] };
  const rest = text.replace(/"([^"]*)"?/g, (_, phrase: string) => {
    const parts = words(phrase);
    if (parts.length > 1) terms.phrases.push(parts);
    else if (parts[0]) terms.words.push(parts[0]);
    return ' ';
  });
  for (const token of rest.split(/\s+/)) {
    const parts = words(token);
    if (parts.length === 0) continue;
    const last = parts.at(-1) as string;
    const isPrefix = token.endsWith('*') && last.length >= 2;
    terms.words.push(...(isPrefix ? parts.slice(0, -1) : parts));
    if (isPrefix) terms.prefixes.push(last);
  }
  return terms;
}

export function isEmptyQuery(t: SearchTerms): boolean {
  return t.phrases.length === 0 && t.words.length === 0 && t.prefixes.length === 0;
}

/** An FTS5 MATCH expression: every term quoted, so FTS5 syntax in the input means nothing. */
export function toFts5(t: SearchTerms): string {
  const quote = (w: string) => `"${w.replaceAll('"', '')}"`;
  return [...t.phrases.map((p) => quote(p.join(' '))), ...t.words.map(quote), ...t.prefixes.map((w) => `${quote(w)}*`)].join(' ');
}

/** Markers the databases put around matches, replaced by <mark> after escaping. */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Snippet text from the database -> safe HTML with the matches in <mark>. */
export function snippetHtml(raw: string): string {
  const plain = raw
    // Markdown punctuation reads as noise in a snippet.
    .replace(/[#>*_`~|[\]]+/g, ' ')
    .replace(/\(https?:[^)\s]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return escapeHtml(plain).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}
