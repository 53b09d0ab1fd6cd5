// Reading HTML in the tests: a parsed view of elements, what in them could run, and a canonical form
// for comparing two renderings. Uses htmlparser2, the parser sanitize-html itself runs on.
import { Parser } from 'htmlparser2';

export interface ParsedElement {
  name: string;
  attribs: Record<string, string>;
}

/** Every element of a fragment with its attributes, entities decoded, as a parser sees them. */
export function elementsOf(html: string): ParsedElement[] {
  const elements: ParsedElement[] = [];
  const parser = new Parser(
    { onopentag: (name, attribs) => elements.push({ name, attribs }) },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return elements;
}

const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'style',
  'form',
  'base',
  'meta',
  'link',
  'svg',
  'math',
  'template',
  'textarea',
  'button',
  'select',
  'noscript',
  'xmp',
  'plaintext',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'poster', 'cite', 'action', 'formaction', 'background', 'data', 'xlink:href']);
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp|avif);/i;

/** What in this output could run, as a list of findings (empty when inert). */
export function dangers(html: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('"<script" in the markup');
  for (const { name, attribs } of elementsOf(html)) {
    if (FORBIDDEN_ELEMENTS.has(name)) found.push(`<${name}>`);
    if (name === 'input' && attribs.type !== 'checkbox') found.push(`<input type="${attribs.type}">`);
    for (const [attr, value] of Object.entries(attribs)) {
      if (/^on/i.test(attr)) found.push(`${attr} on <${name}>`);
      if (attr === 'srcdoc' || attr === 'style' || attr === 'formaction') found.push(`${attr} on <${name}>`);
      // Browsers ignore whitespace and control characters inside a scheme.
      const compact = value.replace(/[\s\p{Cc}]+/gu, '').toLowerCase();
      const scriptUrl = /(?:^|,)(?:javascript|vbscript|livescript):/.test(compact);
      const dataUrl = /^data:/.test(compact) && !(name === 'img' && attr === 'src' && SAFE_DATA_IMAGE.test(compact));
      if (scriptUrl || ((URL_ATTRIBUTES.has(attr) || attr.startsWith('data-embed')) && dataUrl)) {
        found.push(`${attr}="${value.slice(0, 60)}" on <${name}>`);
      }
    }
  }
  return found;
}

const VOID = new Set(['area', 'br', 'col', 'embed', 'hr', 'img', 'input', 'source', 'track', 'wbr']);
// Whitespace next to these never shows, so the normal form drops it.
const BLOCK = new Set([
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

type Piece =
  | { kind: 'open'; name: string; attribs: Record<string, string> }
  | { kind: 'close'; name: string }
  | { kind: 'text'; text: string };

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

export interface NormalizeOptions {
  /** Leave out the heading decoration the author renderer adds (wrapper, self-link, id). */
  withoutHeadingAnchors?: boolean;
}

/**
 * The normal form used to compare renderings:
 * - entities decoded, then only &, <, > (and " in attributes) escaped, so "&#34;", "&quot;" and '"' agree;
 * - attributes sorted by name, every value double-quoted (a boolean attribute as name="");
 * - void elements without a closing slash ("<br />" and "<br>" agree);
 * - outside <pre>, runs of whitespace become one space, and whitespace beside a block-level tag goes.
 */
export function normalizeHtml(html: string, options: NormalizeOptions = {}): string {
  const pieces: Piece[] = [];
  const skipped: boolean[] = [];
  let inAnchor = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const decoration =
          options.withoutHeadingAnchors &&
          ((name === 'div' && attribs.class === 'heading') || (name === 'a' && attribs.class === 'heading-anchor'));
        skipped.push(Boolean(decoration));
        if (name === 'a' && decoration) inAnchor++;
        if (decoration) return;
        const kept = { ...attribs };
        if (options.withoutHeadingAnchors && /^h[1-6]$/.test(name)) delete kept.id;
        pieces.push({ kind: 'open', name, attribs: kept });
      },
      onclosetag(name) {
        const wasSkipped = skipped.pop();
        if (wasSkipped && name === 'a') inAnchor--;
        if (wasSkipped || VOID.has(name)) return;
        pieces.push({ kind: 'close', name });
      },
      ontext(text) {
        if (inAnchor > 0) return;
        const last = pieces[pieces.length - 1];
        if (last?.kind === 'text') last.text += text;
        else pieces.push({ kind: 'text', text });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  let pre = 0;
  const isBlock = (p: Piece | undefined) => p !== undefined && p.kind !== 'text' && BLOCK.has(p.name);
  let out = '';
  pieces.forEach((piece, i) => {
    if (piece.kind === 'open') {
      if (piece.name === 'pre') pre++;
      const attrs = Object.keys(piece.attribs)
        .sort()
        .map((name) => ` ${name}="${escapeAttr(piece.attribs[name] ?? '')}"`)
        .join('');
      out += `<${piece.name}${attrs}>`;
    } else if (piece.kind === 'close') {
      if (piece.name === 'pre') pre--;
      out += `</${piece.name}>`;
    } else {
      let text = piece.text;
      if (pre === 0) {
        text = text.replace(/[ \t\n\r\f]+/g, ' ');
        if (i === 0 || isBlock(pieces[i - 1])) text = text.replace(/^ /, '');
        if (i === pieces.length - 1 || isBlock(pieces[i + 1])) text = text.replace(/ $/, '');
      }
      out += escapeText(text);
    }
  });
  return out;
}
