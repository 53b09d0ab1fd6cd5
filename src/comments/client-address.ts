// The reader's address, for rate limits and blocklists: the socket's peer, unless that peer is a
// proxy named in TRUST_PROXY, whose X-Forwarded-For then counts.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // No socket (app.request in tests, other runtimes): no address.
    return null;
  }
}

const normalize = (a: string) => a.trim().replace(/^::ffff:/, '');

export function clientAddress(c: Context, trustProxy: readonly string[]): string | null {
  const peer = socketAddress(c);
  const trusted = new Set(trustProxy.map(normalize));
  if (peer === null || !trusted.has(normalize(peer))) return peer === null ? null : normalize(peer);
  // Walk back from the nearest hop: the first address that is not one of our proxies is the client.
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map(normalize).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return hop;
  }
  return normalize(peer);
}
