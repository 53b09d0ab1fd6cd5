// Helpers for comment tests: a reader who loads a post page, waits, and sends the form, keeping
// her credential cookie like a browser would.

import type { Staff } from '../../src/accounts/accounts-service.js';
import { TEST_BASE_URL, type TestApp } from '../harness.js';

export interface Reader {
  cookie: string | undefined;
}

export const newReader = (): Reader => ({ cookie: undefined });

export function keepCookie(reader: Reader, res: Response): void {
  const set = res.headers.get('set-cookie');
  const match = set ? /hearth_writer=[^;]+/.exec(set) : null;
  if (match) reader.cookie = match[0];
}

export async function loadPage(t: TestApp, path: string, reader?: Reader): Promise<{ res: Response; html: string }> {
  const res = await t.request(path, { headers: reader?.cookie ? { cookie: reader.cookie } : {} });
  return { res, html: await res.text() };
}

export function hiddenFields(html: string): { ts: string; token: string } {
  const ts = /name="ts" value="(\d+)"/.exec(html)?.[1];
  const token = /name="token" value="([\w-]+)"/.exec(html)?.[1];
  if (!ts || !token) throw new Error('the page has no comment form');
  return { ts, token };
}

export interface SendOptions {
  reader?: Reader;
  json?: boolean;
  origin?: string | null;
  /** Milliseconds between loading the page and sending (default 3 s). */
  wait?: number;
  /** Send these hidden fields instead of loading the page. */
  hidden?: { ts: string; token: string };
}

/** Loads the post page and sends the comment form, as a reader's browser would. */
export async function sendComment(t: TestApp, slug: string, fields: Record<string, string>, o: SendOptions = {}): Promise<Response> {
  const reader = o.reader ?? newReader();
  const hidden = o.hidden ?? hiddenFields((await loadPage(t, `/${slug}/`, reader)).html);
  t.clock.advance(o.wait ?? 3000);
  const all = { ...hidden, ...fields };
  const headers: Record<string, string> = {};
  if (o.origin !== null) headers.origin = o.origin ?? TEST_BASE_URL;
  if (reader.cookie) headers.cookie = reader.cookie;
  let body: string;
  if (o.json) {
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json';
    body = JSON.stringify(all);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(all).toString();
  }
  const res = await t.request(`/${slug}/comments`, { method: 'POST', headers, body });
  keepCookie(reader, res);
  return res;
}

/** A form post of the writer's own edit or delete. */
export async function writerPost(
  t: TestApp,
  path: string,
  slug: string,
  fields: Record<string, string>,
  reader: Reader,
): Promise<Response> {
  const hidden = hiddenFields((await loadPage(t, `/${slug}/`, reader)).html);
  const headers: Record<string, string> = { origin: TEST_BASE_URL, 'content-type': 'application/x-www-form-urlencoded' };
  if (reader.cookie) headers.cookie = reader.cookie;
  return t.request(path, { method: 'POST', headers, body: new URLSearchParams({ ...hidden, ...fields }).toString() });
}

export const idFromLocation = (res: Response): string => {
  const id = /#comment-([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')?.[1];
  if (!id) throw new Error(`no comment id in ${res.status} ${res.headers.get('location')}`);
  return id;
};

export const reader = (name: string, extra: Record<string, string> = {}) => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
  ...extra,
});

/** A staff member with an API token, and a way to call the admin API as them. */
export async function staffWithToken(t: TestApp, role: Staff['role'], name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const staff = await t.services.accounts.addUser({ email, name, role, password: 'correct horse battery' });
  const { token } = await t.services.accounts.createToken(email);
  const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
    t.request(path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  return { staff, token, api };
}

/** The ids of the comment elements of a page, in document order. */
export const commentIds = (html: string): string[] => [...html.matchAll(/<li id="comment-([0-9a-f-]{36})"/g)].map((m) => m[1] as string);
