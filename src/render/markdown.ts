// Markdown to safe HTML. Authors get CommonMark + GFM (tables, strikethrough, autolinks, task
// lists, footnotes), heading anchors and click-to-load embeds; their raw HTML passes the author
// policy. Readers get Markdown-lite: what they type, never interpreted as HTML.
// Both outputs pass a sanitizer on write, so stored HTML is safe to show as is.
import MarkdownIt, { type MarkdownIt as Md, type StateCore, type Token } from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { type Embed, embedPlaceholder, recognizeEmbed } from './embeds.js';
import { sanitizeAuthorHtml, sanitizeReaderHtml } from './sanitize.js';

export interface MarkdownRenderer {
  /** A post or page: rich formatting, author HTML allowed and sanitized. */
  post(markdown: string): string;
  /** A reader's comment: paragraphs and line breaks as typed, no raw HTML. */
  comment(markdown: string): string;
}

export function createMarkdownRenderer(): MarkdownRenderer {
  const author = createAuthorMarkdown();
  const reader = createReaderMarkdown();
  return {
    post: (markdown) => sanitizeAuthorHtml(author.render(markdown)),
    comment: (markdown) => sanitizeReaderHtml(reader.render(markdown)),
  };
}

function createAuthorMarkdown(): Md {
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  md.use(footnote);
  linkWwwAddresses(md);
  md.core.ruler.push('hearth_embeds', embedsRule);
  md.core.ruler.push('hearth_task_lists', taskListsRule);
  md.core.ruler.push('hearth_heading_ids', headingIdsRule);
  md.renderer.rules.hearth_embed = (tokens, idx) => `${embedPlaceholder(tokens[idx]!.meta as unknown as Embed)}\n`;
  md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
    const open = tokens[idx - 2];
    const id = open?.attrGet('id')?.toString();
    if (!open || !id) return self.renderToken(tokens, idx, options);
    // The anchor sits beside the heading, not inside it, so the heading's accessible name stays its
    // own text; its name says where it leads, its visible mark comes from the stylesheet.
    const label = escapeHtml(`Link to this section: ${open.meta?.headingText ?? ''}`);
    return `</${open.tag}><a class="heading-anchor" href="#${escapeHtml(id)}" aria-label="${label}"></a></div>\n`;
  };
  md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
    const wrap = tokens[idx]?.attrGet('id') ? '<div class="heading">' : '';
    return wrap + self.renderToken(tokens, idx, options);
  };
  // GFM's tagfilter: these tags would swallow the rest of the page as raw text (or run), so an
  // author's literal <script> or <textarea> shows as the text she typed. Frames are left to the
  // sanitizer, which turns a known player into a placeholder.
  for (const rule of ['html_block', 'html_inline'] as const) {
    md.renderer.rules[rule] = (tokens, idx) => tokens[idx]!.content.replace(TAGFILTER, '&lt;$1');
  }
  useDelForStrikethrough(md);
  const backref = md.renderer.rules.footnote_anchor;
  md.renderer.rules.footnote_anchor = (tokens, idx, options, env, self) => {
    const n = Number(tokens[idx]?.meta?.id ?? 0) + 1;
    // The back link is only an arrow: give it words.
    return (backref?.(tokens, idx, options, env, self) ?? '').replace('<a ', `<a aria-label="Back to reference ${n}" `);
  };
  return md;
}

function createReaderMarkdown(): Md {
  const md = new MarkdownIt('zero', { breaks: true, linkify: true }).enable([
    'paragraph',
    'newline',
    'emphasis',
    'link',
    'image',
    'linkify',
    'blockquote',
    'list',
    'backticks',
    'escape',
    'autolink',
    'strikethrough',
    'fence',
    'code',
  ]);
  linkWwwAddresses(md);
  useDelForStrikethrough(md);
  // Only addresses a reader can follow safely; a relative or other-scheme link stays the text typed.
  md.validateLink = (url) => /^(?:https?:\/\/|mailto:)/i.test(url.trim());
  // A reader's image is shown as a link to it, never loaded into the page.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
    return `<a href="${escapeHtml(src)}">${escapeHtml(alt || src)}</a>`;
  };
  return md;
}

/**
 * GFM's "www." autolinks. linkify-it links only addresses with a scheme (bare domains stay text,
 * so file names such as "notes.md" are never links); this adds "www.example.com" as GFM does.
 */
function linkWwwAddresses(md: Md): void {
  md.linkify.add('www.', {
    validate: (text, pos) => {
      const m = WWW_TAIL.exec(text.slice(pos));
      return m ? trimAutolinkEnd(m[0]).length : 0;
    },
    normalize: (match) => {
      match.url = `http://${match.url}`;
    },
  });
}

// A domain (at least two labels) then, optionally, a path up to the first space or "<".
const WWW_TAIL = /^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+(?:[/?#][^\s<]*)?/u;

/** GFM's rule for where an autolink ends: not on trailing punctuation, an unmatched ")" or an entity. */
function trimAutolinkEnd(link: string): string {
  let end = link;
  for (;;) {
    const before = end;
    end = end.replace(/[?!.,:*_~]+$/, '').replace(/&[a-z0-9]+;$/i, '');
    if (end.endsWith(')') && count(end, '(') < count(end, ')')) end = end.slice(0, -1);
    if (end === before) return end;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;

const TAGFILTER = /<(\/?(?:title|textarea|style|xmp|noembed|noframes|script|plaintext)(?=[\s/>]|$))/gi;

/** ~~struck~~ is text that was removed (GFM writes <del>), not text that is no longer accurate (<s>). */
function useDelForStrikethrough(md: Md): void {
  md.renderer.rules.s_open = () => '<del>';
  md.renderer.rules.s_close = () => '</del>';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A top-level paragraph that is only a bare link to a known player becomes a click-to-load placeholder. */
function embedsRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = tokens.length - 3; i >= 0; i--) {
    const [open, inline, close] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (open.type !== 'paragraph_open' || open.level !== 0 || open.hidden || inline.type !== 'inline' || close.type !== 'paragraph_close') {
      continue;
    }
    const parts = (inline.children ?? []).filter((t) => !(t.type === 'text' && t.content.trim() === ''));
    const [linkOpen, text, linkClose] = parts;
    // Only a pasted address (not a link the author worded) is taken as a wish to embed.
    if (parts.length !== 3 || linkOpen?.type !== 'link_open' || text?.type !== 'text' || linkClose?.type !== 'link_close') continue;
    if (linkOpen.markup !== 'linkify' && linkOpen.markup !== 'autolink') continue;
    const embed = recognizeEmbed(String(linkOpen.attrGet('href') ?? ''));
    if (!embed) continue;
    const token = new state.Token('hearth_embed', 'figure', 0);
    token.block = true;
    token.meta = { ...embed };
    token.map = open.map;
    tokens.splice(i, 3, token);
  }
}

/** GFM task lists: "[ ]" or "[x]" opening a list item becomes a disabled checkbox, labelled by the item's text. */
function taskListsRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open' || tokens[i - 2]?.type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    const m = first?.type === 'text' ? /^\[([ xX])\](?=\s|$)\s*/.exec(first.content) : null;
    if (!first || !m) continue;
    first.content = first.content.slice(m[0].length);
    const checkbox = new state.Token('html_inline', '', 0);
    checkbox.content = `<label><input type="checkbox" disabled${m[1] === ' ' ? '' : ' checked'}> `;
    const end = new state.Token('html_inline', '', 0);
    end.content = '</label>';
    inline.children = [checkbox, ...(inline.children ?? []), end];
  }
}

// Ids the page around a post already uses (the skip link's target, the conversation, comments,
// footnotes): a heading whose text gives one of them takes "section-<id>" instead.
const RESERVED_IDS =
  /^(?:main|content|top|comments(?:-.*)?|comment-.*|respond(?:-.*)?|read-next(?:-.*)?|preview(?:-.*)?|fn\d.*|fnref\d.*)$/;

/** The id a heading's text gives: lowercase words joined by hyphens, letters of any script kept. */
export function headingSlug(text: string): string {
  const slug = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .trim()
    .replace(/[\s-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'section';
}

/** Every heading gets a stable id, unique within the document: "notes", "notes-1", "notes-2". */
function headingIdsRule(state: StateCore): void {
  const used = new Set<string>();
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type !== 'heading_open') continue;
    const text = plainText(tokens[i + 1]?.children ?? []);
    const slug = headingSlug(text);
    const base = RESERVED_IDS.test(slug) ? `section-${slug}` : slug;
    let id = base;
    for (let n = 1; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    open.attrSet('id', id);
    open.meta = { ...open.meta, headingText: text };
  }
}

function plainText(children: Token[]): string {
  return children
    .map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Plain text (an imported comment, an email) as HTML: blank lines part paragraphs, single line
 * breaks stay breaks, everything else is text. The result is reader-safe.
 */
export function plainTextToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}
