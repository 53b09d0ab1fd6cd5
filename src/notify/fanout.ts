// Turns domain events into emails. Each email is queued as its own outbox row with a dedupe key,
// inside the same transaction that marks the event done: a retried event queues nothing twice.
import type { Db } from '../db/connect.js';
import type { OutboxRow } from '../db/tables.js';
import { requestConfirmation } from './consent.js';
import { type EmailSettings, readEmailSettings } from './email-settings.js';
import { NEWSLETTER_SCOPE, STAFF_SCOPES, threadScope } from './links.js';
import { mailRow } from './mail-payloads.js';
import {
  authorsWithReaderCommentsBetween,
  findMailComment,
  findMailCommentsById,
  findMailUser,
  type MailCommentRow,
  ownersAnd,
  staffOptedIn,
} from './notify-store.js';
import { insertOutbox, insertOutboxRows, type NewOutboxRow } from './outbox-store.js';
import { confirmedEmails } from './subscription-store.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Event kinds the worker fans out (the rest of the outbox is "mail"). */
export const FANOUT_KINDS = ['comment.published', 'comment.held', 'newsletter.send', 'digest.daily'] as const;

export function isFanoutKind(kind: string): kind is (typeof FANOUT_KINDS)[number] {
  return (FANOUT_KINDS as readonly string[]).includes(kind);
}

/** The emails a fan-out queues, inserted together when it ends. */
type Mails = NewOutboxRow[];

/**
 * Fans the events out into emails, in the caller's transaction: the comments they are about read
 * in one statement, and every email they queue inserted together at the end (a few statements for
 * a batch of twenty events, not two for each). An email's dedupe key makes a repeat queue nothing,
 * within the batch too (held comments of one window share one email).
 */
export async function fanOut(trx: Db, rows: readonly OutboxRow[], now: number): Promise<void> {
  const settings = await readEmailSettings(trx);
  const events = rows.map((row) => ({ kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown> }));
  const aboutComments = events.filter((e) => e.kind === 'comment.published' || e.kind === 'comment.held');
  const comments = await findMailCommentsById(
    trx,
    aboutComments.map((e) => String(e.payload.commentId)),
  );
  const mails: Mails = [];
  for (const { kind, payload } of events) {
    switch (kind) {
      case 'comment.published':
        await commentPublished(trx, comments.get(String(payload.commentId)), settings, now, mails);
        break;
      case 'comment.held':
        await commentHeld(trx, comments.get(String(payload.commentId)), settings, now, mails);
        break;
      case 'newsletter.send':
        await newsletterBatch(
          trx,
          { postId: String(payload.postId), runId: String(payload.runId), after: payload.after as string | undefined },
          settings,
          now,
          mails,
        );
        break;
      case 'digest.daily':
        await dailyDigests(trx, String(payload.day), Number(payload.at), settings, now, mails);
        break;
    }
  }
  await insertOutboxRows(trx, mails);
}

/** The writer ticked "email me replies": ask her to confirm, once per comment. */
async function askWriterToConfirm(trx: Db, c: MailCommentRow, now: number): Promise<void> {
  if (c.notify !== 1 || c.staff_user_id !== null || c.visibility !== 'public') return;
  const scope = threadScope(c.root_id);
  await requestConfirmation(trx, {
    email: c.author_email,
    scope,
    source: 'comment',
    dedupeKey: `thread-confirm:${c.id}`,
    now,
    message: (token) => ({ type: 'thread-confirm', to: c.author_email, commentId: c.id, scope, token }),
  });
}

async function commentPublished(trx: Db, c: MailCommentRow | undefined, settings: EmailSettings, now: number, mails: Mails): Promise<void> {
  if (c?.status !== 'published') return;
  await askWriterToConfirm(trx, c, now);

  // A reply in a public thread: everyone following the thread, but not the writer herself.
  if (c.parent_id !== null && c.visibility === 'public') {
    let after: string | undefined;
    for (;;) {
      const emails = await confirmedEmails(trx, threadScope(c.root_id), { after, limit: 500 });
      for (const email of emails) {
        if (email !== c.author_email) mails.push(mailRow({ type: 'reply', to: email, commentId: c.id }, `reply:${c.id}:${email}`, now));
      }
      if (emails.length < 500) break;
      after = emails[emails.length - 1];
    }
  }

  // A staff answer to a private question goes to the one who asked: she needs no opt-in.
  if (c.staff_user_id !== null && c.parent_id !== null) {
    const question = await findMailComment(trx, c.parent_id);
    if (question && question.visibility === 'private' && question.staff_user_id === null) {
      mails.push(
        mailRow(
          { type: 'private-answer', to: question.author_email, commentId: c.id, questionId: question.id },
          `private-answer:${c.id}`,
          now,
        ),
      );
    }
  }

  // A reader's words, to the post's author (the daily digest collects them otherwise).
  if (c.staff_user_id === null && settings.authorNotifications === 'immediate' && c.post_author_email !== null) {
    mails.push(mailRow({ type: 'reader-comment', to: c.post_author_email, commentId: c.id }, `reader-comment:${c.id}`, now));
  }
}

async function commentHeld(trx: Db, c: MailCommentRow | undefined, settings: EmailSettings, now: number, mails: Mails): Promise<void> {
  if (c?.status !== 'pending') return;
  await askWriterToConfirm(trx, c, now);
  if (settings.moderationNotifications === 'off') return;
  // Held comments of one window share one email per person, sent when the window closes and
  // listing whatever is still held then.
  const windowMs = settings.moderationBatchMinutes * 60_000;
  const windowEnd = windowMs > 0 ? Math.ceil((now + 1) / windowMs) * windowMs : now;
  for (const user of await ownersAnd(trx, c.post_author_id)) {
    const key = windowMs > 0 ? `moderation:${user.id}:${windowEnd}` : `moderation:${user.id}:${c.id}`;
    mails.push(mailRow({ type: 'moderation', to: user.email, userId: user.id }, key, now, windowEnd));
  }
}

/** One throttled batch of a newsletter; the next batch is queued for after the interval. */
async function newsletterBatch(
  trx: Db,
  run: { postId: string; runId: string; after: string | undefined },
  settings: EmailSettings,
  now: number,
  mails: Mails,
): Promise<void> {
  const emails = await confirmedEmails(trx, NEWSLETTER_SCOPE, { after: run.after, limit: settings.newsletterBatchSize });
  for (const email of emails) {
    // Keyed by post and address, not by run: a post reaches each subscriber once.
    mails.push(mailRow({ type: 'newsletter-post', to: email, postId: run.postId }, `newsletter:${run.postId}:${email}`, now));
  }
  const last = emails[emails.length - 1];
  if (emails.length === settings.newsletterBatchSize && last !== undefined) {
    await insertOutbox(trx, {
      kind: 'newsletter.send',
      payload: { ...run, after: last },
      dedupeKey: `newsletter.send:${run.postId}:${run.runId}:${last}`,
      now,
      notBefore: now + settings.newsletterBatchIntervalSeconds * 1000,
    });
  }
}

/** Once a day: the awaiting-reply digest per opted-in staff member, and the comments digest. */
async function dailyDigests(trx: Db, day: string, at: number, settings: EmailSettings, now: number, mails: Mails): Promise<void> {
  for (const user of await staffOptedIn(trx, STAFF_SCOPES.digest)) {
    mails.push(mailRow({ type: 'awaiting-digest', to: user.email, userId: user.id }, `awaiting-digest:${day}:${user.id}`, now));
  }
  if (settings.authorNotifications !== 'daily') return;
  for (const authorId of await authorsWithReaderCommentsBetween(trx, at - DAY_MS, at)) {
    const author = await findMailUser(trx, authorId);
    if (author) {
      mails.push(
        mailRow(
          { type: 'comments-digest', to: author.email, userId: author.id, since: at - DAY_MS, until: at },
          `comments-digest:${day}:${author.id}`,
          now,
        ),
      );
    }
  }
}

/** The day's digest event, queued once however many processes run (the dedupe key is the day). */
export async function scheduleDailyDigest(db: Db, now: number): Promise<void> {
  const settings = await readEmailSettings(db);
  const today = new Date(now);
  const at = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), settings.digestHourUtc);
  if (now < at) return;
  const day = new Date(at).toISOString().slice(0, 10);
  await insertOutbox(db, { kind: 'digest.daily', payload: { day, at }, dedupeKey: `digest.daily:${day}`, now, notBefore: at });
}
