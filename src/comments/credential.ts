// The writer's credential: a random token in a signed, HttpOnly cookie; her comments keep only its
// hash. It lets her see her held and private comments and fix her words, without an account.
import type { Context } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { hashToken, newSecretToken } from '../ids.js';

export const CREDENTIAL_COOKIE = 'hearth_writer';
const MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

export async function readCredential(c: Context, secret: string): Promise<string | null> {
  const value = await getSignedCookie(c, secret, CREDENTIAL_COOKIE);
  return typeof value === 'string' && /^[\w-]{20,100}$/.test(value) ? value : null;
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
  await setSignedCookie(c, CREDENTIAL_COOKIE, token, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: MAX_AGE_SECONDS,
  });
}
