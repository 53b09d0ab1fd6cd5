// Hearth sites as real processes on loopback, each with its own database and an owner signed in to
// the workspace as a browser would be (CSRF token, session cookie), for tests that federate two
// sites (test/federation-two-sites.test.ts, test/e2e/mixed-thread.e2e.ts).
import assert from 'node:assert/strict';
import { type FreshDatabase, freePort, freshDatabase, hearth, type ServeProcess, startServe } from '../processes.js';

export const PASSWORD = 'a-long-test-passphrase';

export interface Site {
  db: FreshDatabase;
  serve: ServeProcess;
  base: string;
  env: Record<string, string>;
  token: string;
  cookie: string;
}

export async function startSite(name: string, email: string): Promise<Site> {
  const db = await freshDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...db.env, PORT: String(port), BASE_URL: base, HEARTH_FEDERATION_ALLOW_PRIVATE: '1' };
  const serve = await startServe(env);
  const add = await hearth(['user', 'add', '--email', email, '--name', name, '--role', 'owner'], { ...env, HEARTH_PASSWORD: PASSWORD });
  assert.equal(add.code, 0, add.stderr);
  const token = (await hearth(['token', 'create', '--email', email], env)).stdout.trim();
  const site: Site = { db, serve, base, env, token, cookie: '' };
  // Signed in to the workspace as a browser would: the form's CSRF token, then the session cookie.
  const page = await workspace(site, '/admin/sign-in');
  const signedIn = await submit(site, '/admin/sign-in', page, { email, password: PASSWORD });
  assert.equal(signedIn.status, 303);
  return site;
}

function keepCookies(site: Site, res: Response) {
  const jar = new Map(site.cookie ? site.cookie.split('; ').map((p) => p.split('=') as [string, string]) : []);
  for (const h of res.headers.getSetCookie()) {
    const [pair = ''] = h.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
  site.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export async function workspace(site: Site, path: string): Promise<string> {
  const res = await fetch(`${site.base}${path}`, { headers: { cookie: site.cookie } });
  keepCookies(site, res);
  assert.equal(res.status, 200, path);
  return res.text();
}

export async function submit(site: Site, path: string, page: string, fields: Record<string, string>): Promise<Response> {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const res = await fetch(`${site.base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: site.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: site.base },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  });
  keepCookies(site, res);
  return res;
}

/** The few fields these tests read from the API's answers. */
export type ApiBody = {
  id?: string;
  status?: string;
  markdown?: string;
  post?: { id: string };
  items?: Array<{ id: string; markdown?: string; authorName?: string }>;
};

export async function api(site: Site, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await fetch(`${site.base}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${site.token}`, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as ApiBody };
}

/** Waits until `check` gives a value (deliveries and received activities go through the queue). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
