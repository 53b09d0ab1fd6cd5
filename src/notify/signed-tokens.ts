// Links in emails carry a token signed with the site secret: they work from any device, without
// cookies or sign-in, and cannot be forged for another address. Nothing is stored to check them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`hearth-email:${body}`).digest();
}

export function signToken(secret: string, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** The payload of a token this site signed, checked against `schema`; undefined otherwise. */
export function verifyToken<S extends z.ZodType>(secret: string, token: string | undefined, schema: S): z.output<S> | undefined {
  if (!token) return undefined;
  const [body, sig] = token.split('.');
  if (!body || !sig) return undefined;
  const expected = mac(secret, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
