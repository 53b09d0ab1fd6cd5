// Double opt-in, as one rule used by every path that adds a subscription: a new token, an email
// asking to confirm it, and the subscription left unconfirmed until the link is followed.
import type { Db } from '../db/connect.js';
import { hashToken, newSecretToken } from '../ids.js';
import { enqueueMail, type MailPayload } from './mail-payloads.js';
import { findSubscription, insertSubscription, markRequested } from './subscription-store.js';

/** One confirmation email per address and scope in this window, however often the form is sent. */
export const CONFIRMATION_RESEND_MS = 10 * 60 * 1000;

export type ConfirmationOutcome = 'sent' | 'already-confirmed' | 'recently-sent' | 'duplicate';

/**
 * Asks `email` to confirm `scope`. Run it inside the transaction of whatever prompted it; the
 * dedupe key names that prompt, so a repeated prompt sends nothing twice.
 */
export async function requestConfirmation(
  db: Db,
  args: { email: string; scope: string; source: string; dedupeKey: string; now: number; message: (token: string) => MailPayload },
): Promise<ConfirmationOutcome> {
  const existing = await findSubscription(db, args.email, args.scope);
  if (existing?.status === 'confirmed') return 'already-confirmed';
  if (existing?.status === 'unconfirmed' && args.now - existing.requested_at < CONFIRMATION_RESEND_MS) return 'recently-sent';
  const token = newSecretToken();
  // The email first: only when it is really queued does its token replace the one before.
  if (!(await enqueueMail(db, args.message(token), args.dedupeKey, args.now))) return 'duplicate';
  if (existing) await markRequested(db, existing.id, hashToken(token), args.now);
  else
    await insertSubscription(db, {
      email: args.email,
      scope: args.scope,
      status: 'unconfirmed',
      tokenHash: hashToken(token),
      source: args.source,
      now: args.now,
    });
  return 'sent';
}
