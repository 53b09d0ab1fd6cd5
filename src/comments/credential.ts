// The writer's credential: a random token in a signed, HttpOnly cookie; her comments keep only its
// hash. It lets her see her held and private comments and fix her words, without an account.
// The cookie is `<token>.<base64 HMAC-SHA256 of the token>` (the format of Hono's signed cookies),
// signed with src/hmac.ts in one synchronous call rather than through Web Crypto.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { hmacSign, hmacVerify } from '../hmac.js';
import { hashToken, newSecretToken } from '../ids.js';

export const CREDENTIAL_COOKIE = 'hearth_writer';
/**
 * The same signed value, sent by Hearth's embed on another site (src/sites), which keeps it in that
 * page's storage: browsers that refuse third-party cookies (Safari) would never send the cookie.
 */
export const CREDENTIAL_HEADER = 'x-hearth-credential';
/** Sent by the embed with the token that ties the form to the registered site (src/sites/embed-token.ts). */
export const EMBED_HEADER = 'x-hearth-embed';
const MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const TOKEN = /^[\w-]{20,100}$/;

/** The value of the signed cookie for a token. */
export function signCredential(secret: string, token: string): string {
  return `${token}.${hmacSign(secret, token, 'base64')}`;
}

/** The token a signed cookie value holds, or null when it is not one this site signed. */
export function verifyCredential(secret: string, signed: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot < 0) return null;
  const token = signed.slice(0, dot);
  if (!hmacVerify(secret, token, signed.slice(dot + 1), 'base64')) return null;
  return TOKEN.test(token) ? token : null;
}

export async function readCredential(c: Context, secret: string): Promise<string | null> {
  const value = c.req.header(CREDENTIAL_HEADER) ?? getCookie(c, CREDENTIAL_COOKIE);
  return typeof value === 'string' ? verifyCredential(secret, value) : null;
}

export async function credentialHashOf(c: Context, secret: string): Promise<string | null> {
  const token = await readCredential(c, secret);
  return token ? hashToken(token) : null;
}

/** Her existing credential, or a new one. The cookie is set (or refreshed) by `keepCredential`. */
export async function credentialFor(c: Context, secret: string): Promise<string> {
  return (await readCredential(c, secret)) ?? newSecretToken();
}

export async function keepCredential(c: Context, secret: string, token: string, secure: boolean): Promise<void> {
  setCookie(c, CREDENTIAL_COOKIE, signCredential(secret, token), {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: MAX_AGE_SECONDS,
  });
}
