// The token that lets a form sent from another site through: made by Hearth for one registered
// origin and one page's conversation (the embed's thread response carries it), so a site that
// is not registered, or a page of another site, cannot borrow it.
import { hmacSign, hmacVerify } from '../hmac.js';

const message = (origin: string, slug: string) => `embed\n${origin}\n${slug}`;

export const embedToken = (secret: string, origin: string, slug: string) => hmacSign(secret, message(origin, slug));

export function checkEmbedToken(secret: string, origin: string, slug: string, token: string | undefined): boolean {
  return typeof token === 'string' && token.length < 200 && hmacVerify(secret, message(origin, slug), token);
}
