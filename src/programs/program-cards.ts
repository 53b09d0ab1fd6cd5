// Program cards: a paragraph holding only `{{program some-slug}}` in a post or a staff reply
// becomes a card with the program's title, excerpt and a counted "Learn more" link. It runs on the
// HTML the renderer already sanitized, and everything it adds is escaped here, so the card can
// never carry markup of its own. A directive naming no published program leaves nothing behind.
import { type CardSource, formatSource } from './program-source.js';

export interface CardProgram {
  slug: string;
  title: string;
  excerpt: string;
}

// The renderer turns the directive alone on its line into exactly this paragraph.
const DIRECTIVE = /<p>\{\{\s*program\s+([a-z0-9][a-z0-9-]{0,119})\s*\}\}<\/p>\n?/g;

/** The program slugs a rendered text asks for, in order, without repeats. */
export function directiveSlugs(html: string): string[] {
  return [...new Set([...html.matchAll(DIRECTIVE)].map((m) => m[1] as string))];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);

/** Where a card's link goes: the counting redirect, which names the card's place. */
export const cardHref = (slug: string, from: CardSource) => `/go/program/${slug}?from=${formatSource(from)}`;

export function cardHtml(program: CardProgram, from: CardSource): string {
  const title = escapeHtml(program.title);
  const excerpt = program.excerpt ? `<p class="program-card-excerpt">${escapeHtml(program.excerpt)}</p>` : '';
  return (
    `<div class="program-card" data-program="${escapeHtml(program.slug)}">` +
    `<p class="program-card-label">Program</p>` +
    `<p class="program-card-title">${title}</p>` +
    excerpt +
    `<p class="program-card-action"><a class="program-card-link" href="${escapeHtml(cardHref(program.slug, from))}" rel="nofollow">` +
    `Learn more<span class="visually-hidden"> about ${title}</span></a></p>` +
    `</div>\n`
  );
}

/** Replaces each directive paragraph with its program's card, or with nothing when it names none. */
export function programCards(html: string, programs: ReadonlyMap<string, CardProgram>, from: CardSource): string {
  if (!html.includes('{{')) return html;
  return html.replace(DIRECTIVE, (_all, slug: string) => {
    const program = programs.get(slug);
    return program ? cardHtml(program, from) : '';
  });
}
