// Each email is its own outbox row of kind "mail" whose payload names what to send to whom; the
// worker renders it at send time from the latest data. The schema is the one list of email types.
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { insertOutbox, type NewOutboxRow } from './outbox-store.js';

const to = z.string().min(3);

export const mailPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thread-confirm'), to, commentId: z.string(), scope: z.string(), token: z.string() }),
  z.object({ type: z.literal('reply'), to, commentId: z.string() }),
  z.object({ type: z.literal('reader-comment'), to, commentId: z.string() }),
  z.object({ type: z.literal('moderation'), to, userId: z.string() }),
  z.object({ type: z.literal('private-answer'), to, commentId: z.string(), questionId: z.string() }),
  z.object({ type: z.literal('awaiting-digest'), to, userId: z.string() }),
  z.object({ type: z.literal('comments-digest'), to, userId: z.string(), since: z.number(), until: z.number() }),
  z.object({ type: z.literal('newsletter-confirm'), to, token: z.string() }),
  z.object({ type: z.literal('newsletter-post'), to, postId: z.string() }),
  z.object({ type: z.literal('password-reset'), to, name: z.string(), link: z.string() }),
  z.object({ type: z.literal('invitation'), to, name: z.string(), inviterName: z.string(), role: z.string(), link: z.string() }),
  z.object({
    type: z.literal('program-signup'),
    to,
    name: z.string(),
    programTitle: z.string(),
    programUrl: z.string(),
    details: z.string().optional(),
  }),
  z.object({ type: z.literal('reader-data'), to }),
  /** The answer to mail that came in to a reply address and could not be placed (src/mailin). */
  z.object({
    type: z.literal('mail-refused'),
    to,
    subject: z.string(),
    reason: z.string(),
    /** The reason as a catalog key, so the answer speaks the site's language (absent: the English reason). */
    said: z.object({ key: z.string(), values: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).optional(),
  }),
]);

export type MailPayload = z.infer<typeof mailPayloadSchema>;
export type MailType = MailPayload['type'];

export const MAIL_KIND = 'mail';

/** Queues one email. The dedupe key is what makes a fan-out safe to repeat. */
export function enqueueMail(db: Db, payload: MailPayload, dedupeKey: string, now: number, notBefore = now): Promise<boolean> {
  return insertOutbox(db, mailRow(payload, dedupeKey, now, notBefore));
}

/** The outbox row of one email (`enqueueMail` queues it; a fan-out queues many at once). */
export function mailRow(payload: MailPayload, dedupeKey: string, now: number, notBefore = now): NewOutboxRow {
  return { kind: MAIL_KIND, payload, dedupeKey: `mail:${dedupeKey}`, now, notBefore };
}
