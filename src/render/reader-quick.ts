// A quick path for the reader policy (sanitize.ts), for the markup readers actually write:
// paragraphs, line breaks, emphasis, code, quotes, lists and links with a plain http(s) or mailto
// address. It writes exactly what sanitize-html writes for the same input, and gives up (null) at
// the first thing it does not fully understand, which then goes through sanitize-html: any other
// element, any attribute other than a link's, an entity beyond the five XML ones, a comment, an
// unclosed or misnested element, a tag the HTML parser would close implicitly, an odd URL. So it
// can only ever be as strict as the full sanitizer, never less (sanitize.test.ts holds both to
// the same output over every vector we have and many generated ones).

/** Elements the quick path knows; each is allowed, without attributes, by the reader policy. */
const PLAIN = new Set(['b', 'blockquote', 'code', 'del', 'em', 'i', 'li', 'ol', 'p', 'pre', 's', 'strong', 'ul']);
/** Elements whose start closes an open <p> in the HTML parser sanitize-html uses (htmlparser2). */
const CLOSES_P = new Set(['p', 'blockquote', 'ol', 'pre', 'ul']);
/** A link address sanitize-html keeps as it is: an allowed scheme, then only ordinary URL characters. */
const PLAIN_URL = /^(?:https?:\/\/|mailto:)[A-Za-z0-9\-._~:/?#[\]@!$'()*+,;=%]*$/i;
const READER_LINK_REL = 'ugc nofollow noopener';

const LT = 60;
const GT = 62;
const AMP = 38;
const SLASH = 47;
const EQ = 61;
const DQ = 34;
const SQ = 39;

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13 || c === 12;
const isLower = (c: number) => c >= 97 && c <= 122;
const isNameChar = (c: number) => isLower(c) || (c >= 48 && c <= 57) || c === 45 || c === 95;

/** The five XML entities at `at` ("&amp;" ...): their length and the text sanitize-html writes back; else null. */
function entityAt(s: string, at: number): { length: number; out: string } | null {
  if (s.startsWith('&amp;', at)) return { length: 5, out: '&amp;' };
  if (s.startsWith('&lt;', at)) return { length: 4, out: '&lt;' };
  if (s.startsWith('&gt;', at)) return { length: 4, out: '&gt;' };
  if (s.startsWith('&quot;', at)) return { length: 6, out: '"' };
  if (s.startsWith('&#39;', at)) return { length: 5, out: "'" };
  return null;
}

/**
 * The reader policy's output for `html`, when the input stays within the quick path's subset;
 * null when it does not (the caller then runs the full sanitizer).
 */
export function quickReaderHtml(html: string): string | null {
  const n = html.length;
  const open: string[] = [];
  let out = '';
  // Text is copied in runs: from `copied` up to the next character that needs care.
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === GT) {
      out += `${html.slice(copied, i)}&gt;`;
      copied = ++i;
      continue;
    }
    if (c === AMP) {
      const entity = entityAt(html, i);
      if (!entity) return null;
      out += html.slice(copied, i) + entity.out;
      i += entity.length;
      copied = i;
      continue;
    }
    if (c === 0) return null;
    if (c !== LT) {
      i++;
      continue;
    }
    out += html.slice(copied, i);
    if (html.charCodeAt(i + 1) === SLASH) {
      // An end tag: exactly `</name>`, closing the innermost open element.
      let j = i + 2;
      while (j < n && isLower(html.charCodeAt(j))) j++;
      const name = html.slice(i + 2, j);
      if (html.charCodeAt(j) !== GT || name === '' || open[open.length - 1] !== name) return null;
      open.pop();
      out += `</${name}>`;
      i = copied = j + 1;
      continue;
    }
    let j = i + 1;
    while (j < n && isLower(html.charCodeAt(j))) j++;
    const name = html.slice(i + 1, j);
    const top = open[open.length - 1];
    if (name === 'br') {
      // `<br>`, `<br/>`, `<br />`: a void element.
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      if (html.charCodeAt(j) === SLASH) j++;
      if (html.charCodeAt(j) !== GT) return null;
      out += '<br />';
      i = copied = j + 1;
      continue;
    }
    if (name === 'a') {
      const link = readLinkAttributes(html, j);
      if (!link) return null;
      open.push('a');
      out += `<a href="${link.href}" rel="${READER_LINK_REL}">`;
      i = copied = link.end + 1;
      continue;
    }
    if (!PLAIN.has(name) || html.charCodeAt(j) !== GT) return null;
    // The parser would close these implicitly: leave the result to sanitize-html.
    if ((top === 'p' && CLOSES_P.has(name)) || (top === 'li' && name === 'li')) return null;
    open.push(name);
    out += `<${name}>`;
    i = copied = j + 1;
  }
  if (open.length > 0) return null;
  return copied === 0 ? html : out + html.slice(copied);
}

/**
 * A link's attributes from `from` (just after `<a`) to its `>`: double- or single-quoted values,
 * names in lower case, each once, one of them a plain `href`. Only the address is kept (the
 * policy replaces the rest), written as sanitize-html writes it.
 */
function readLinkAttributes(s: string, from: number): { href: string; end: number } | null {
  const names = new Set<string>();
  let href: string | null = null;
  let i = from;
  for (;;) {
    const before = i;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === GT) break;
    if (i === before || !isLower(s.charCodeAt(i))) return null;
    const start = i;
    while (i < s.length && isNameChar(s.charCodeAt(i))) i++;
    const name = s.slice(start, i);
    if (names.has(name) || s.charCodeAt(i) !== EQ) return null;
    names.add(name);
    const quote = s.charCodeAt(i + 1);
    if (quote !== DQ && quote !== SQ) return null;
    const close = s.indexOf(quote === DQ ? '"' : "'", i + 2);
    if (close < 0) return null;
    const value = s.slice(i + 2, close);
    if (value.includes('<') || value.includes('>')) return null;
    if (name === 'href') {
      // `&amp;` is the one entity an address may hold; it is written back as it came.
      const decoded = value.replaceAll('&amp;', '&');
      if (decoded.includes('&') || !PLAIN_URL.test(decoded.replaceAll('&', ''))) return null;
      href = value;
    }
    i = close + 1;
  }
  if (href === null) return null;
  return { href, end: i };
}
