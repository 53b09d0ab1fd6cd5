// Sanitized HTML as the plain text of an email's text part: paragraphs separated by a blank line,
// list items as "- item" (or "1. item"), links as "text (url)", no markup of any kind. Works on
// sanitized HTML, where every tag is well formed and attribute values are double-quoted.
import { decodeEntities } from './entities.js';

const BLOCKS = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'figure',
  'figcaption',
  'table',
  'tr',
  'hr',
  'section',
  'aside',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
]);
const TOKEN = /<!--[\s\S]*?-->|<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|[^<]+|</g;

function attribute(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(attrs);
  return m ? decodeEntities(m[1] ?? '').trim() : undefined;
}

interface List {
  ordered: boolean;
  n: number;
}

/** The readable text of sanitized HTML, for a text/plain email part. */
export function htmlToPlainText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let pre = 0;
  const lists: List[] = [];
  const links: { href: string | undefined; start: number }[] = [];

  const endLine = () => {
    if (line.trim()) lines.push(line.replace(/\s+$/, ''));
    line = '';
  };
  const blankLine = () => {
    endLine();
    if (lines.length && lines[lines.length - 1] !== '') lines.push('');
  };
  const write = (text: string) => {
    if (pre) {
      const [first = '', ...rest] = text.split('\n');
      line += first;
      for (const next of rest) {
        lines.push(line);
        line = next;
      }
      return;
    }
    const flat = text.replace(/\s+/g, ' ');
    if (!line.trim()) line += flat.replace(/^ /, '');
    else line += line.endsWith(' ') ? flat.replace(/^ /, '') : flat;
  };

  for (const m of html.matchAll(TOKEN)) {
    const [token, script, closing, rawName, attrs = ''] = m;
    if (script || token.startsWith('<!--')) continue;
    if (!rawName) {
      write(decodeEntities(token));
      continue;
    }
    const name = rawName.toLowerCase();
    if (name === 'br') {
      endLine();
      continue;
    }
    if (name === 'img') {
      const alt = attribute(attrs, 'alt');
      if (alt) write(alt);
      continue;
    }
    if (name === 'a') {
      if (!closing) links.push({ href: attribute(attrs, 'href'), start: line.length });
      else {
        const link = links.pop();
        const text = line.slice(link?.start ?? line.length).trim();
        if (link?.href && text && text !== link.href) write(` (${link.href})`);
      }
      continue;
    }
    if (name === 'li') {
      endLine();
      if (!closing) {
        const list = lists[lists.length - 1];
        const depth = Math.max(lists.length - 1, 0);
        line = `${'  '.repeat(depth)}${list?.ordered ? `${++list.n}.` : '-'} `;
      }
      continue;
    }
    if (name === 'ul' || name === 'ol') {
      if (!closing) {
        if (lists.length === 0) blankLine();
        else endLine();
        lists.push({ ordered: name === 'ol', n: 0 });
      } else {
        lists.pop();
        if (lists.length === 0) blankLine();
        else endLine();
      }
      continue;
    }
    if (name === 'pre') pre += closing ? -1 : 1;
    if (BLOCKS.has(name)) {
      // A paragraph inside a list item stays on the item's line.
      if (lists.length && (name === 'p' || name === 'div')) {
        if (!/^\s*(-|\d+\.) $/.test(line)) endLine();
      } else blankLine();
    }
  }
  endLine();
  while (lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}
