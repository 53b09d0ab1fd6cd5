// The one way Hearth signs with the site secret: HMAC-SHA256, checked in constant time. The
// comment form's token and writers' links, the writer's credential cookie, email links, program
// links and the workspace session cookie all sign and check through here.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** base64url for tokens and links; base64 where a format asks for it (Hono's signed cookies). */
export type SignatureEncoding = 'base64url' | 'base64';

/** The HMAC-SHA256 of `message` under `secret`, as text. */
export function hmacSign(secret: string, message: string, encoding: SignatureEncoding = 'base64url'): string {
  return createHmac('sha256', secret).update(message).digest(encoding);
}

/** Whether `signature` is what hmacSign makes of `message`: compared in constant time. */
export function hmacVerify(secret: string, message: string, signature: string, encoding: SignatureEncoding = 'base64url'): boolean {
  return sameText(signature, hmacSign(secret, message, encoding));
}

/** Two strings compared in time that does not depend on where they first differ. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
