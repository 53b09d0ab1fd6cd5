// Signatures made with the site secret: the comment form's anti-forgery token and the signed links
// emailed to writers. They need no cookie, so they work in a cached page (kept at most an hour).
// How often one token may be used is kept apart (CommentService.claimFormToken).
import { randomBytes } from 'node:crypto';
import { hmacSign, sameText } from '../hmac.js';

const HOUR = 60 * 60 * 1000;
/**
 * A form served this long ago is refused and shown again (her words kept) with a fresh token:
 * a harvested token is worth little. Long enough to write a long comment on a cached page.
 */
export const FORM_TOKEN_LIFETIME_MS = 2 * HOUR;
/** base64url characters of the random part that makes each rendered form's token its own. */
const NONCE_LENGTH = 16;

export interface FormToken {
  ts: string;
  token: string;
}

/** The hidden fields of the comment form of a post, served at `now`; every call makes another token. */
export function makeFormToken(secret: string, postId: string, now: number): FormToken {
  const ts = String(now);
  const nonce = randomBytes(12).toString('base64url');
  return { ts, token: nonce + hmacSign(secret, `comment-form:${postId}:${ts}:${nonce}`) };
}

export type FormTokenCheck = 'ok' | 'invalid' | 'expired' | 'too-quick';

export function checkFormToken(secret: string, postId: string, ts: string, token: string, now: number, minSeconds: number): FormTokenCheck {
  const nonce = token.slice(0, NONCE_LENGTH);
  const signature = token.slice(NONCE_LENGTH);
  if (!/^\d{1,16}$/.test(ts) || !signature || !sameText(hmacSign(secret, `comment-form:${postId}:${ts}:${nonce}`), signature))
    return 'invalid';
  const servedAt = Number(ts);
  if (now - servedAt > FORM_TOKEN_LIFETIME_MS) return 'expired';
  if (now - servedAt < minSeconds * 1000) return 'too-quick';
  return 'ok';
}

export type LinkPurpose = 'view' | 'consent';

/** The key of a signed link to one comment (emailed to its writer). */
export function commentLinkKey(secret: string, purpose: LinkPurpose, commentId: string): string {
  return hmacSign(secret, `comment-link:${purpose}:${commentId}`).slice(0, 32);
}

export function checkCommentLinkKey(secret: string, purpose: LinkPurpose, commentId: string, key: string | undefined): boolean {
  return typeof key === 'string' && sameText(commentLinkKey(secret, purpose, commentId), key);
}

/** Links for emails: the writer's own view of a held or private comment, and the consent page. */
export function commentLinks(secret: string, baseUrl: string, slug: string, commentId: string) {
  const base = `${baseUrl}/${slug}/comments/${commentId}`;
  return {
    view: `${base}?key=${commentLinkKey(secret, 'view', commentId)}`,
    consent: `${base}/consent?key=${commentLinkKey(secret, 'consent', commentId)}`,
  };
}
