// A tiny HTML template for comment fragments: every interpolated value is escaped unless it is
// itself a template result. Same rule as JSX, several times faster.
import { raw } from 'hono/html';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const SPECIAL = /[&<>"']/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string) : text;
}

function part(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) {
    let out = '';
    for (const v of value) out += part(v);
    return out;
  }
  return escapeHtml(String(value));
}

/** `h\`<p>${text}</p>\``: text is escaped; nested `h` results pass through. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + (strings[i + 1] as string);
  return new Html(out);
}

/** Hands a finished template to JSX; it was escaped piece by piece as it was built. */
export function toJsx(html: Html) {
  return raw(html.value);
}
