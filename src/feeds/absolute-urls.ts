// Feed readers show a post away from the site, so every link and image in its HTML must carry
// the full address. Works on sanitized HTML: attribute values are always double-quoted with `"`,
// `<` and `>` escaped, so a tag is exactly /<name ...>/ and a value never holds a quote.

const TAG = /<[a-zA-Z][a-zA-Z0-9-]*\s[^>]*>/g;
const URL_ATTRIBUTE = /(\s)(href|src|poster|cite)="([^"]*)"/g;
const SRCSET_ATTRIBUTE = /(\s)(srcset)="([^"]*)"/g;

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };

function decode(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? m;
  });
}

function encode(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `value` resolved against `base`; left as it was when it is not a URL at all. */
function resolve(value: string, base: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}

/** Rewrites href, src, poster, cite and srcset URLs of `html` as absolute URLs against `baseUrl`. */
export function absoluteUrls(html: string, baseUrl: string): string {
  return html.replace(TAG, (tag) =>
    tag
      .replace(URL_ATTRIBUTE, (_m, space: string, name: string, value: string) => {
        const url = decode(value).trim();
        return `${space}${name}="${url ? encode(resolve(url, baseUrl)) : value}"`;
      })
      .replace(SRCSET_ATTRIBUTE, (_m, space: string, name: string, value: string) => {
        const candidates = decode(value)
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean)
          .map((candidate) => {
            const [url = '', ...descriptor] = candidate.split(/\s+/);
            return [resolve(url, baseUrl), ...descriptor].join(' ');
          });
        return `${space}${name}="${encode(candidates.join(', '))}"`;
      }),
  );
}
