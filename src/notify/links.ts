// The URLs emails point to. Unsubscribe links carry a signed (email, scope) so they work forever,
// from any device, with one click; "*" as the scope means every email.
import { z } from 'zod';
import { signToken, verifyToken } from './signed-tokens.js';

export const ALL_SCOPES = '*';

const unsubscribeSchema = z.object({ p: z.literal('u'), e: z.string(), s: z.string() });
const readerDataSchema = z.object({ p: z.literal('d'), e: z.string(), x: z.number() });

export function unsubscribeUrl(baseUrl: string, secret: string, email: string, scope: string): string {
  return `${baseUrl}/unsubscribe?token=${signToken(secret, { p: 'u', e: email, s: scope })}`;
}

export function readUnsubscribeToken(secret: string, token: string | undefined): { email: string; scope: string } | undefined {
  const t = verifyToken(secret, token, unsubscribeSchema);
  return t ? { email: t.e, scope: t.s } : undefined;
}

/** A reader's data link lasts a day: long enough to open the email, short if it leaks. */
export const READER_DATA_LINK_MS = 24 * 60 * 60 * 1000;

export function readerDataUrl(baseUrl: string, secret: string, email: string, now: number): string {
  return `${baseUrl}/my-data/manage?token=${signToken(secret, { p: 'd', e: email, x: now + READER_DATA_LINK_MS })}`;
}

export function readReaderDataToken(secret: string, token: string | undefined, now: number): string | undefined {
  const t = verifyToken(secret, token, readerDataSchema);
  return t && t.x > now ? t.e : undefined;
}

export function confirmUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/subscribe/confirm?token=${encodeURIComponent(token)}`;
}

export function commentUrl(baseUrl: string, slug: string, commentId: string): string {
  return `${baseUrl}/${slug}/#comment-${commentId}`;
}

export function threadScope(rootId: string): string {
  return `thread:${rootId}`;
}

export const NEWSLETTER_SCOPE = 'newsletter';
/** A staff member's own notices; present and not unsubscribed means "send". */
export const STAFF_SCOPES = { comments: 'notify:comments', moderation: 'notify:moderation', digest: 'notify:digest' } as const;
