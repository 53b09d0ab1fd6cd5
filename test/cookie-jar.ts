// A browser's memory of cookies, small enough for tests that go through app.request(): it keeps
// what Set-Cookie says (dropping expired ones), sends them back, and remembers the CSRF token of
// the last page so a form can be sent the way a browser would.
import type { TestApp } from './harness.js';
import { TEST_BASE_URL } from './harness.js';

export interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attrs] = header.split(';').map((p) => p.trim());
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const a of attrs) {
    const i = a.indexOf('=');
    attributes.set((i === -1 ? a : a.slice(0, i)).toLowerCase(), i === -1 ? '' : a.slice(i + 1));
  }
  return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
}

export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const c = parseSetCookie(header);
      const maxAge = c.attributes.get('max-age');
      const expires = c.attributes.get('expires');
      const gone = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) < Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

const CSRF_PATTERN = /name="_csrf" value="([^"]+)"/;

/** A person's browser against the test app: cookies kept, the page's CSRF token reused. */
export class Browser {
  readonly jar = new CookieJar();
  csrf = '';
  lastHtml = '';

  constructor(
    readonly t: TestApp,
    readonly address = '203.0.113.7',
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header();
    if (cookie) headers.set('cookie', cookie);
    // The socket's peer address, as @hono/node-server would give it.
    const env = { incoming: { socket: { remoteAddress: this.address } } };
    const res = await this.t.app.request(new URL(path, TEST_BASE_URL).href, { ...init, headers }, env);
    this.jar.store(res);
    if ((res.headers.get('content-type') ?? '').includes('text/html')) {
      this.lastHtml = await res.clone().text();
      const token = CSRF_PATTERN.exec(this.lastHtml)?.[1];
      if (token) this.csrf = token.replaceAll('&amp;', '&');
    }
    return res;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Sends a form as a browser on the site would: same Origin, the page's CSRF token. */
  post(path: string, fields: Record<string, string>, options: { origin?: string | null; csrf?: string | null } = {}): Promise<Response> {
    const body = new URLSearchParams(fields);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.set('_csrf', csrf);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const origin = options.origin === undefined ? TEST_BASE_URL : options.origin;
    if (origin !== null) headers.origin = origin;
    return this.request(path, { method: 'POST', headers, body });
  }

  /** JSON as the editor's script sends it, with the token in a header. */
  postJson(path: string, data: unknown): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf, origin: TEST_BASE_URL },
      body: JSON.stringify(data),
    });
  }

  async signIn(email: string, password = 'correct horse battery'): Promise<Response> {
    await this.get('/admin/sign-in');
    return this.post('/admin/sign-in', { email, password });
  }
}
