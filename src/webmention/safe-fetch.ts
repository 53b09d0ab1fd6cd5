// Fetching another site's page for a Webmention, within limits: http(s) only, a size cap, a time
// cap for the whole exchange, a few redirects each checked again, and never an address that is not
// public unless the site allows it (HEARTH_WEBMENTION_ALLOW_PRIVATE, for tests on loopback).
// The host name is resolved here, every address it gives is checked, and the connection goes to the
// checked address itself: a DNS answer that changes between the check and the connection
// (rebinding) cannot move the request elsewhere.
import dns from 'node:dns/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isPublicAddress } from './address-policy.js';

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  /** Reach private, loopback and link-local addresses too (tests, a private network). */
  allowPrivate: boolean;
}

export const DEFAULT_LIMITS: FetchLimits = { maxBytes: 1024 * 1024, timeoutMs: 5000, maxRedirects: 5, allowPrivate: false };

export interface Fetched {
  /** The address that answered, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A fetch this site will not make, or one that broke its limits: no use trying it again as it is. */
export class RefusedFetchError extends Error {
  override name = 'RefusedFetchError';
}

export interface FetchRequest {
  method?: 'GET' | 'POST';
  /** A form body (POST). */
  form?: Record<string, string>;
  accept?: string;
}

/** The address to connect to for `host`: checked, and the one the connection will use. */
async function checkedAddress(host: string, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  const found = family
    ? [{ address: bare, family }]
    : await dns.lookup(bare, { all: true, verbatim: true }).catch(() => {
        throw new RefusedFetchError(`${host} could not be found.`);
      });
  if (found.length === 0) throw new RefusedFetchError(`${host} could not be found.`);
  if (!allowPrivate) {
    const inside = found.find((a) => !isPublicAddress(a.address));
    if (inside) throw new RefusedFetchError(`${host} is a private, loopback or link-local address (${inside.address}); it is not fetched.`);
  }
  const first = found[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function once(url: URL, req: FetchRequest, limits: FetchLimits, deadline: number): Promise<Fetched> {
  return checkedAddress(url.hostname, limits.allowPrivate).then(
    (target) =>
      new Promise<Fetched>((resolve, reject) => {
        const body = req.form ? new URLSearchParams(req.form).toString() : undefined;
        const client = url.protocol === 'https:' ? https : http;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return reject(new RefusedFetchError(`${url.host} took longer than ${limits.timeoutMs / 1000} s.`));
        const request = client.request(
          url,
          {
            method: req.method ?? 'GET',
            // The connection goes to the address checked above, whatever DNS says a moment later.
            lookup: (_host, options, callback) => {
              if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
              else (callback as (e: null, a: string, f: number) => void)(null, target.address, target.family);
            },
            headers: {
              'user-agent': 'Hearth-Webmention/1.0',
              accept: req.accept ?? 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
              ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}),
            },
            timeout: remaining,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > limits.maxBytes) {
                request.destroy(new RefusedFetchError(`${url.host} sent more than ${Math.round(limits.maxBytes / 1024)} KB.`));
                return;
              }
              chunks.push(chunk);
            });
            res.on('end', () =>
              resolve({ url: url.href, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', reject);
          },
        );
        const timer = setTimeout(
          () => request.destroy(new RefusedFetchError(`${url.host} took longer than ${limits.timeoutMs / 1000} s.`)),
          remaining,
        );
        request.on('close', () => clearTimeout(timer));
        request.on('timeout', () => request.destroy(new RefusedFetchError(`${url.host} took longer than ${limits.timeoutMs / 1000} s.`)));
        request.on('error', reject);
        request.end(body);
      }),
  );
}

/** Fetches `address` within `limits`, following redirects (a GET only), each hop checked as the first. */
export async function safeFetch(address: string, req: FetchRequest, limits: FetchLimits): Promise<Fetched> {
  const deadline = Date.now() + limits.timeoutMs;
  let url = new URL(address);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedFetchError(`${url.protocol} addresses are not fetched.`);
    if (url.username || url.password) throw new RefusedFetchError('Addresses with a user name or password are not fetched.');
    const res = await once(url, req, limits, deadline);
    const location = res.headers.location;
    if (req.method === 'POST' || ![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
    if (hop >= limits.maxRedirects) throw new RefusedFetchError(`${address} redirected more than ${limits.maxRedirects} times.`);
    url = new URL(location, url);
  }
}
