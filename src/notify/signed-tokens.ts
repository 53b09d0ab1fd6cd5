// Links in emails carry a token signed with the site secret: they work from any device, without
// cookies or sign-in, and cannot be forged for another address. Nothing is stored to check them.
import type { z } from 'zod';
import { hmacSign, hmacVerify } from '../hmac.js';

/** Email links are signed apart from every other use of the secret. */
const signed = (body: string) => `hearth-email:${body}`;

export function signToken(secret: string, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${hmacSign(secret, signed(body))}`;
}

/** The payload of a token this site signed, checked against `schema`; undefined otherwise. */
export function verifyToken<S extends z.ZodType>(secret: string, token: string | undefined, schema: S): z.output<S> | undefined {
  if (!token) return undefined;
  const [body, sig] = token.split('.');
  if (!body || !sig) return undefined;
  // Read as bytes and written again, as a link's signature always was compared.
  if (!hmacVerify(secret, signed(body), Buffer.from(sig, 'base64url').toString('base64url'))) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
