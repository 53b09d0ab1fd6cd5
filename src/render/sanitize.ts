// The sanitizing policies. Every stored HTML body passed one of them on write, so pages may show
// it as is. Authors (and imported posts) keep rich formatting; anything that could run (scripts,
// styles, frames, forms, event handlers, script URLs) is removed. Readers get a narrow set.
import sanitizeHtml from 'sanitize-html';
import { embedAttributes, embedPlaceholder, recognizeEmbed } from './embeds.js';
import { quickReaderHtml } from './reader-quick.js';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

// Elements whose content is not prose (code, other markup languages, fallback for frames): when the
// element goes, its content goes with it instead of being kept as text.
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'object',
  'embed',
  'title',
  'template',
  'svg',
  'math',
  'head',
];

// Raster images are safe inline; an SVG data URL is a document of its own, so it is not.
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp|avif);base64,[a-z0-9+/=\s]+$/i;

function alignFromStyle(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  // Inline styles never apply under the site's Content-Security-Policy, so a cell's alignment
  // (markdown-it writes style="text-align:...") travels as the align attribute, which does.
  const { style, ...rest } = attribs;
  const align = /(?:^|;)\s*text-align\s*:\s*(left|right|center)\s*(?:;|$)/i.exec(style ?? '')?.[1]?.toLowerCase();
  const kept = rest.align && /^(left|right|center)$/i.test(rest.align) ? rest.align.toLowerCase() : undefined;
  const { align: _, ...others } = rest;
  return align || kept ? { ...others, align: (align ?? kept) as string } : others;
}

/** A player pasted as raw HTML becomes the same click-to-load placeholder a pasted link makes. */
function frameToPlaceholder(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const embed = recognizeEmbed(attribs.src ?? '');
  // Left empty here (text: '' drops the frame's own text) and given its link by fillPlaceholders:
  // a transform can set text, not markup.
  if (embed) return { tagName: 'figure', attribs: embedAttributes(embed), text: '' };
  return { tagName, attribs };
}

const isPlayerFrame = (name: string, attribs: sanitizeHtml.Attributes) =>
  (name === 'iframe' || name === 'embed') && recognizeEmbed(attribs.src ?? '') !== undefined;

/** A figure claiming to be an embed keeps the claim only for a player we recognise, rebuilt from its ids. */
function checkFigure(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const embed = attribs['data-embed-src'] ? recognizeEmbed(attribs['data-embed-src']) : undefined;
  if (embed) return { tagName, attribs: embedAttributes(embed) };
  const { 'data-embed-src': _src, 'data-embed-provider': _provider, class: classList, ...rest } = attribs;
  const classes = (classList ?? '')
    .split(/\s+/)
    .filter((c) => c && c !== 'embed')
    .join(' ');
  return { tagName, attribs: classes ? { ...rest, class: classes } : rest };
}

const URL_ATTRIBUTES = ['href', 'src', 'cite', 'poster'];
const SCRIPT_SCHEME = /^(?:javascript|vbscript|livescript|data):/;

/**
 * sanitize-html reads a URL's scheme after trimming ASCII whitespace; a scheme hidden behind other
 * spaces or invisible characters (" javascript:") does not run in browsers, which read such a URL
 * as a relative path, but it has no place in a page either: such a URL is dropped.
 */
function withoutHiddenSchemes(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  let kept = attribs;
  for (const name of URL_ATTRIBUTES) {
    const value = attribs[name];
    if (value === undefined) continue;
    const compact = value.replace(/[\s\p{Cc}\p{Cf}]+/gu, '').toLowerCase();
    if (!SCRIPT_SCHEME.test(compact) || (tagName === 'img' && name === 'src' && SAFE_DATA_IMAGE.test(value.trim()))) continue;
    const { [name]: _, ...rest } = kept;
    kept = rest;
  }
  return { tagName, attribs: kept };
}

const keepOnlyCheckboxes = (frame: sanitizeHtml.IFrame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox';

const AUTHOR_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'a',
    'abbr',
    'address',
    'audio',
    'b',
    'bdi',
    'bdo',
    'blockquote',
    'br',
    'caption',
    'cite',
    'code',
    'col',
    'colgroup',
    'data',
    'dd',
    'del',
    'details',
    'dfn',
    'div',
    'dl',
    'dt',
    'em',
    'figcaption',
    'figure',
    ...HEADINGS,
    'hr',
    'i',
    'img',
    'input',
    'ins',
    'kbd',
    'label',
    'li',
    'mark',
    'ol',
    'p',
    'picture',
    'pre',
    'q',
    'rp',
    'rt',
    'ruby',
    's',
    'samp',
    'section',
    'small',
    'source',
    'span',
    'strong',
    'sub',
    'summary',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'time',
    'tr',
    'track',
    'u',
    'ul',
    'var',
    'video',
    'wbr',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'id', 'name', 'rel', 'class', 'aria-label', 'hreflang'],
    img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height', 'loading', 'decoding'],
    picture: [],
    source: ['src', 'srcset', 'type', 'media', 'sizes', 'width', 'height'],
    audio: ['src', 'controls', 'preload', 'loop', 'muted'],
    video: ['src', 'controls', 'preload', 'poster', 'width', 'height', 'loop', 'muted', 'playsinline'],
    track: ['src', 'kind', 'srclang', 'label', 'default'],
    figure: ['class', 'id', 'data-embed-provider', 'data-embed-src'],
    td: ['align', 'colspan', 'rowspan'],
    th: ['align', 'colspan', 'rowspan', 'scope', 'abbr'],
    col: ['span'],
    colgroup: ['span'],
    ol: ['start', 'reversed', 'type', 'class'],
    ul: ['class'],
    li: ['id', 'value', 'class'],
    hr: ['class'],
    input: ['type', 'checked', 'disabled'],
    time: ['datetime'],
    data: ['value'],
    code: ['class'],
    pre: ['class'],
    span: ['class', 'lang'],
    div: ['class', 'lang'],
    p: ['lang'],
    section: ['class', 'id'],
    sup: ['id', 'class'],
    ...Object.fromEntries(HEADINGS.map((h) => [h, ['id']])),
    abbr: ['title'],
    dfn: ['title'],
    q: ['cite'],
    blockquote: ['cite'],
    del: ['datetime', 'cite'],
    ins: ['datetime', 'cite'],
    details: ['open'],
    bdo: ['dir'],
  },
  allowedClasses: {
    code: [/^language-[\w+#.-]+$/],
    pre: [/^language-[\w+#.-]+$/],
    figure: ['embed', /^wp-[\w-]+$/, /^align[\w-]+$/],
    span: ['*'],
    div: ['*'],
    a: ['*'],
    li: ['*'],
    ol: ['*'],
    ul: ['*'],
    hr: ['*'],
    section: ['*'],
    sup: ['*'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'], source: ['http', 'https'], video: ['http', 'https'], audio: ['http', 'https'] },
  // poster is a URL too (sanitize-html checks only href, src and cite unless told).
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
  allowProtocolRelative: false,
  nonTextTags: DROPPED_WITH_CONTENT,
  transformTags: {
    '*': withoutHiddenSchemes,
    iframe: frameToPlaceholder,
    embed: frameToPlaceholder,
    figure: checkFigure,
    td: (tagName, attribs) => ({ tagName, attribs: alignFromStyle(attribs) }),
    th: (tagName, attribs) => ({ tagName, attribs: alignFromStyle(attribs) }),
    img: (tagName, attribs) => {
      if (attribs.src?.trim().toLowerCase().startsWith('data:') && !SAFE_DATA_IMAGE.test(attribs.src.trim())) {
        const { src: _, ...rest } = attribs;
        return { tagName, attribs: rest };
      }
      return { tagName, attribs };
    },
    // A checkbox in a post is a record (a task list), never a control.
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
  },
  disallowedTagsMode: 'discard',
};

// sanitize-html writes a placeholder's attributes in exactly this form (embedAttributes' order, its escaping).
const EMPTY_PLACEHOLDER = /<figure class="embed" data-embed-provider="[a-z-]+" data-embed-src="([^"]*)"><\/figure>/g;

function fillPlaceholders(html: string): string {
  if (!html.includes('data-embed-src')) return html;
  return html.replace(EMPTY_PLACEHOLDER, (whole, src: string) => {
    const embed = recognizeEmbed(
      src
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    );
    return embed ? embedPlaceholder(embed) : whole;
  });
}

/**
 * Author or imported HTML, made safe to show as is. Two passes: the parser closes a paragraph
 * when a block starts inside it only if no other element stands between them, so removing a
 * disallowed element ("<p><body><div>") can change how the result parses. The second pass parses
 * what the first one wrote, as a later reader of it would, and sanitizing again changes nothing.
 */
export function sanitizeAuthorHtml(html: string): string {
  return sanitizeAuthorOnce(sanitizeAuthorOnce(html));
}

function sanitizeAuthorOnce(html: string): string {
  // How deep the parser is inside a recognised player's frame: browsers never show a frame's
  // content, so neither do we (the frame itself becomes a placeholder).
  let inFrame = 0;
  const policy: sanitizeHtml.IOptions = {
    ...AUTHOR_POLICY,
    onOpenTag: (name, attribs) => {
      if (inFrame > 0) inFrame++;
      else if (isPlayerFrame(name, attribs)) inFrame = 1;
    },
    onCloseTag: () => {
      if (inFrame > 0) inFrame--;
    },
    textFilter: (text) => (inFrame > 0 ? '' : text),
    exclusiveFilter: (frame) => inFrame > 0 || keepOnlyCheckboxes(frame),
  };
  return fillPlaceholders(sanitizeHtml(html, policy));
}

/** Reader HTML from Markdown-lite: a narrow set; every link is marked as the reader's and opens nothing. */
const READER_POLICY: sanitizeHtml.IOptions = {
  allowedTags: ['a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'i', 'li', 'ol', 'p', 'pre', 's', 'strong', 'ul'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'], code: ['class'] },
  allowedClasses: { code: [/^language-[\w+#.-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  nonTextTags: DROPPED_WITH_CONTENT,
  transformTags: {
    '*': withoutHiddenSchemes,
    a: (tagName, attribs): sanitizeHtml.Tag => ({
      tagName,
      attribs: attribs.href ? { href: attribs.href, rel: 'ugc nofollow noopener' } : ({} as sanitizeHtml.Attributes),
    }),
  },
  // A link left without an address (its scheme was refused) is only its text.
  exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : false),
  disallowedTagsMode: 'discard',
};

/** Reader HTML made safe: the common markup takes a quick path with the same result (reader-quick.ts). */
export function sanitizeReaderHtml(html: string): string {
  return quickReaderHtml(html) ?? sanitizeHtml(html, READER_POLICY);
}

/** The reader policy through sanitize-html alone, without the quick path: what tests compare it with. */
export function sanitizeReaderHtmlFully(html: string): string {
  return sanitizeHtml(html, READER_POLICY);
}
