// The writer's credential: a random token in a signed, HttpOnly cookie; her comments keep only its
// hash. It lets her see her held and private comments and fix her words, without an account.
// The cookie is `<token>.<base64 HMAC-SHA256 of the token>` (the format of Hono's signed cookies),
// signed here with node:crypto in one synchronous call rather than through Web Crypto.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { hashToken, newSecretToken } from '../ids.js';

export const CREDENTIAL_COOKIE = 'hearth_writer';
const MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const TOKEN = /^[\w-]{20,100}$/;

const signatureOf = (secret: string, value: string) => createHmac('sha256', secret).update(value).digest('base64');

/** The value of the signed cookie for a token. */
export function signCredential(secret: string, token: string): string {
  return `${token}.${signatureOf(secret, token)}`;
}

/** The token a signed cookie value holds, or null when it is not one this site signed. */
export function verifyCredential(secret: string, signed: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot < 0) return null;
  const token = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(signatureOf(secret, token));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return TOKEN.test(token) ? token : null;
}

export async function readCredential(c: Context, secret: string): Promise<string | null> {
  const value = getCookie(c, CREDENTIAL_COOKIE);
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
