// The canonical address of another site's page, which keys its conversation: the same page reached
// by `HTTP://Example.org:80/a?utm_source=x#top` and `http://example.org/a/` is one thread. Scheme
// and host are lowercased and the default port dropped (the URL parser does both), the fragment
// and tracking parameters dropped, the remaining parameters sorted, `index.html` dropped and a
// path whose last segment has no file extension given its trailing slash, as static generators
// publish pages (`/posts/hello/`).

/** Query parameters that say who sent the reader, never which page she reads. */
const TRACKING = /^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|ref|ref_src)$/i;

/** `scheme://host[:port]` of an http(s) address, or null when it is not one. */
export function normalizeOrigin(input: string): string | null {
  const url = parseHttp(input.trim());
  return url ? url.origin : null;
}

/** The canonical address of a page, or null when it is not an http(s) address. */
export function normalizePageUrl(input: string): string | null {
  const url = parseHttp(input.trim());
  if (!url) return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  const kept = [...url.searchParams].filter(([name]) => !TRACKING.test(name));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = new URLSearchParams(kept).toString();
  let path = url.pathname.replace(/\/index\.html?$/i, '/');
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last !== '' && !last.includes('.')) path += '/';
  url.pathname = path;
  return url.href;
}

function parseHttp(input: string): URL | null {
  if (input.length > 2000 || !URL.canParse(input)) return null;
  const url = new URL(input);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}
