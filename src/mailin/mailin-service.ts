// Mail that comes in to a reply address, from any of the three doors (the SMTP listener, an MTA's
// pipe, IMAP polling), goes through receive(): one code path. A reader's reply becomes her comment
// through the comment service's own write path (the same holds, spam rules and rate limits as the
// form); a staff member's reply becomes a staff reply. Anything else is kept with its reason in
// "mail we could not place", and a person (not a program) gets one answer saying why.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type Staff, toStaff } from '../accounts/accounts-service.js';
import { findUserByEmail } from '../accounts/user-store.js';
import type { Clock } from '../clock.js';
import { checkReaderWords } from '../comments/comment-form.js';
import type { CommentService } from '../comments/comment-service.js';
import type { Origin } from '../comments/comment-types.js';
import type { Db } from '../db/connect.js';
import { ConflictError, HearthError, NotFoundError, type Said } from '../errors.js';
import { hashToken, newId } from '../ids.js';
import type { RateLimiter } from '../moderation/rate-limiter.js';
import { enqueueMail } from '../notify/mail-payloads.js';
import { suppress } from '../notify/subscription-store.js';
import * as store from './inbound-store.js';
import { type Incoming, readIncoming } from './incoming.js';
import { checkReplyToken, normalizeAddress, readReplyToken, splitAddress, tokenInAddress } from './reply-address.js';
import { type ReplySettings, readReplySettings, writeReplySettings } from './reply-settings.js';

export type Via = 'smtp' | 'pipe' | 'imap';

export interface Envelope {
  /** MAIL FROM; '' for the null sender of a bounce. */
  from?: string | undefined;
  to?: string[];
}

export interface Received {
  id: string;
  outcome: 'placed' | 'held' | 'refused' | 'ignored';
  reason: string;
  commentId?: string | undefined;
}

export interface MailInService {
  receive(raw: Buffer, via: Via, envelope?: Envelope): Promise<Received>;
  /** Mail we could not place, newest first. */
  unplaced(limit: number): Promise<{ rows: store.InboundRow[]; total: number }>;
  /** Staff place a message anyway: its words become a comment under the comment it answered. */
  place(id: string, by: Staff): Promise<store.InboundRow>;
  dismiss(id: string): Promise<void>;
  settings(): Promise<ReplySettings>;
  /** When the newest message came in, and by which door. */
  lastReceived(): Promise<{ at: number; via: Via } | undefined>;
  setReplyAddress(address: string): Promise<ReplySettings>;
  /** The reply address, when it is set and can receive: the SMTP listener checks recipients with it. */
  acceptsRecipient(address: string): Promise<boolean>;
}

/** Larger messages are refused before they are read (attachments are dropped anyway). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** Answers to refused mail, per sender address and day. */
const ANSWERS_PER_DAY = 3;

export interface MailInDeps {
  db: Db;
  clock: Clock;
  comments: CommentService;
  limiter: RateLimiter;
  secret: () => Promise<string>;
  log?: Logger | undefined;
}

const attachmentNote = (names: string[]) =>
  names.length === 0 ? '' : `\n\n_(${names.length === 1 ? 'An attachment was' : `${names.length} attachments were`} left out.)_`;

const BY_EMAIL: Origin = { kind: 'email' };

export function createMailInService(deps: MailInDeps): MailInService {
  const { db, clock } = deps;

  async function answerOnce(to: string, subject: string, reason: string, now: number, said?: Said): Promise<void> {
    const verdict = await deps.limiter.hit(`mail-refused:${normalizeAddress(to)}`, ANSWERS_PER_DAY, 86_400, now);
    if (!verdict.ok) return;
    await enqueueMail(db, { type: 'mail-refused', to, subject, reason, ...(said ? { said } : {}) }, `mail-refused:${newId(now)}`, now);
  }

  async function staffFor(address: string): Promise<Staff | undefined> {
    const row = (await findUserByEmail(db, address)) ?? (await findUserByEmail(db, normalizeAddress(address)));
    return row ? toStaff(row) : undefined;
  }

  /** Posts the words under the comment: a staff reply or a reader's comment. Returns the comment and whether it is held. */
  async function post(
    target: { id: string; post_id: string },
    from: { address: string; name: string },
    words: string,
    asStaff: Staff | undefined,
    hold: string | undefined,
  ): Promise<{ commentId: string; held: boolean }> {
    if (asStaff) {
      const reply = await deps.comments.reply(asStaff, target.id, words, BY_EMAIL);
      return { commentId: reply.comment.id, held: false };
    }
    const post = await store.findPost(db, target.post_id);
    if (!post) throw new NotFoundError('The post of that conversation is gone.');
    // "maya+blog@" is the Maya who wrote as "maya@": her comments stay under one address.
    const email = (await store.knownReaderAddress(db, [from.address, normalizeAddress(from.address)])) ?? from.address;
    const name = (await store.lastNameUsed(db, email)) ?? (from.name || (from.address.split('@')[0] as string));
    // The same rules as the comment form: words over the site's limit, or an address no form would
    // take, are refused with the form's own words (which the refusal email quotes).
    const checked = checkReaderWords({ name: name.slice(0, 100), email, website: '', body: words }, await deps.comments.settings());
    const result = await deps.comments.submit({
      post,
      parentId: target.id,
      words: checked,
      notify: false,
      private: false,
      honeypotFilled: false,
      // A credential of its own: mail is not a browser, and edits stay with the form's writer.
      credentialHash: hashToken(randomBytes(32).toString('base64url')),
      ip: null,
      userAgent: 'email',
      replyChosen: true,
      mailed: { hold },
      origin: BY_EMAIL,
    });
    if (result.kind !== 'posted') throw new ConflictError('The reply could not be posted.');
    return { commentId: result.comment.id, held: result.comment.status !== 'published' };
  }

  async function receive(raw: Buffer, via: Via, envelope?: Envelope): Promise<Received> {
    const now = clock.now();
    const id = newId(now);
    const base = {
      id,
      received_at: now,
      via,
      placed_key: null,
      target_comment_id: null,
      target_role: null,
      words: null,
      comment_id: null,
      size: raw.length,
    } as const;
    const record = async (row: Omit<store.NewInbound, keyof typeof base> & Partial<store.NewInbound>): Promise<Received> => {
      await store.insertInbound(db, { ...base, ...row });
      deps.log?.info({ via, outcome: row.outcome, reason: row.reason }, 'mail received');
      return { id, outcome: row.outcome as Received['outcome'], reason: row.reason };
    };

    if (raw.length > MAX_MESSAGE_BYTES) {
      const reason = `the message is larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`;
      return record({
        message_id: `<too-large-${id}@hearth>`,
        from_address: envelope?.from ?? '',
        from_name: '',
        subject: '',
        outcome: 'refused',
        reason,
      });
    }
    let mail: Incoming;
    try {
      mail = await readIncoming(raw, envelope);
    } catch (err) {
      const reason = `the message could not be read (${err instanceof Error ? err.message : String(err)})`;
      return record({
        message_id: `<unreadable-${id}@hearth>`,
        from_address: envelope?.from ?? '',
        from_name: '',
        subject: '',
        outcome: 'refused',
        reason,
      });
    }
    const fromAddress = mail.from?.address ?? '';
    const facts = { message_id: mail.messageId, from_address: fromAddress, from_name: mail.from?.name ?? '', subject: mail.subject };

    // Programs answering programs: never a comment, never answered (that is how mail loops start).
    if (mail.bounce) {
      // Only addresses this site wrote to: a forged report must not silence anyone else.
      const failed: string[] = [];
      for (const address of mail.bounce.failed) if (await store.wasMailed(db, address)) failed.push(address);
      for (const address of failed) await suppress(db, address, 'bounced', now);
      const strangers = mail.bounce.failed.filter((a) => !failed.includes(a));
      const reason = `a delivery failure report (bounce)${failed.length ? `: ${failed.join(', ')} will get no more email` : ''}${
        strangers.length ? `; ignored for ${strangers.join(', ')}, which this site never wrote to` : ''
      }`;
      return record({ ...facts, outcome: 'ignored', reason });
    }
    if (mail.automatic) return record({ ...facts, outcome: 'ignored', reason: mail.automatic });

    const settings = await readReplySettings(db);
    // Of the addresses it came to, a token of the right shape first (the envelope may name others).
    const tokens = settings.replyAddress ? mail.recipients.flatMap((r) => tokenInAddress(settings.replyAddress, r) ?? []) : [];
    const token = tokens.find((t) => readReplyToken(t) !== undefined) ?? tokens[0];
    if (!token) {
      const reason = settings.replyAddress
        ? `it was not sent to a reply address of this site (${settings.replyAddress.replace('@', '+…@')})`
        : 'replies by email are off (no reply address is set)';
      return record({ ...facts, outcome: 'refused', reason });
    }
    const claims = readReplyToken(token);
    const targeted = {
      ...facts,
      target_comment_id: claims?.commentId ?? null,
      target_role: claims?.role ?? null,
      words: mail.words ? `${mail.words}${attachmentNote(mail.attachments)}` : null,
    };
    const refuse = async (reason: string, answer = true, said?: Said): Promise<Received> => {
      const r = await record({ ...targeted, outcome: 'refused', reason });
      if (answer && fromAddress) await answerOnce(fromAddress, mail.subject, reason, now, said);
      return r;
    };
    if (!fromAddress) return refuse('it has no sender address', false);
    const check = checkReplyToken(await deps.secret(), token, fromAddress, now);
    if (!check.ok) {
      if (check.problem === 'not-theirs')
        return refuse(`it came from ${fromAddress}, but the reply address was given to someone else`, false);
      if (check.problem === 'expired')
        return refuse('the reply address has expired; answer on the site instead', true, { key: 'mail.refusedExpired' });
      return refuse('the reply address is not one this site gave out', false);
    }
    const placedBefore = await store.findPlaced(db, mail.messageId);
    if (placedBefore) {
      return record({ ...targeted, outcome: 'ignored', reason: `the same message (${mail.messageId}) arrived before and was placed then` });
    }
    if (!mail.words) return refuse('no new words were found above the quoted text', true, { key: 'mail.refusedNoWords' });
    const target = await store.findTargetComment(db, check.token.commentId);
    if (!target) return refuse('the comment it answers is gone', true, { key: 'mail.refusedGone' });

    let asStaff: Staff | undefined;
    if (check.token.role === 'staff') {
      asStaff = await staffFor(fromAddress);
      if (!asStaff) return refuse('the sender is no longer on the site’s staff');
      // A staff reply is published at once: without the sender's server vouching for it, a person decides.
      if (mail.authFailure) return refuse(`the sender could not be verified (${mail.authFailure}); staff replies are never held`, false);
    }

    // Claimed before posting: a second copy arriving meanwhile finds the key taken.
    const claimed = await store.insertInbound(db, {
      ...base,
      ...targeted,
      placed_key: mail.messageId,
      outcome: 'placed',
      reason: 'being placed',
    });
    if (!claimed) {
      return record({ ...targeted, outcome: 'ignored', reason: `the same message (${mail.messageId}) arrived before and was placed then` });
    }
    try {
      const words = targeted.words as string;
      const hold = mail.authFailure ? `the sender could not be verified (${mail.authFailure})` : undefined;
      const placed = await post(target, { address: fromAddress, name: mail.from?.name ?? '' }, words, asStaff, hold);
      const outcome = placed.held ? 'held' : 'placed';
      const reason = placed.held ? (hold ?? 'held for moderation, as the form would') : asStaff ? 'posted as a staff reply' : 'posted';
      await store.updateInbound(db, id, { outcome, reason, comment_id: placed.commentId });
      deps.log?.info({ via, outcome, commentId: placed.commentId }, 'mail placed');
      return { id, outcome, reason, commentId: placed.commentId };
    } catch (err) {
      if (!(err instanceof HearthError)) {
        await store.updateInbound(db, id, { placed_key: null, outcome: 'refused', reason: 'an error on the site; it can be placed again' });
        throw err;
      }
      const reason = err.message.replace(/;? ?your text is kept below\.?/i, '.');
      await store.updateInbound(db, id, { placed_key: null, outcome: 'refused', reason });
      // The form's own words for what was wrong (a field's, else the whole message's), in the site's language.
      const said = Object.values(err.said?.fields ?? {})[0] ?? err.said?.message;
      await answerOnce(fromAddress, mail.subject, reason, now, said);
      return { id, outcome: 'refused', reason };
    }
  }

  return {
    receive,
    unplaced: (limit) => store.listUnplaced(db, limit),
    async place(id, by) {
      const row = await store.findInbound(db, id);
      if (!row || !(store.UNPLACED as readonly string[]).includes(row.outcome))
        throw new NotFoundError('There is no such message to place.');
      if (!row.target_comment_id || !row.words) throw new ConflictError('This message answers no comment, or has no words to post.');
      if (await store.findPlaced(db, row.message_id)) throw new ConflictError('This message is already a comment.');
      const target = await store.findTargetComment(db, row.target_comment_id);
      if (!target) throw new ConflictError('The comment it answers is gone.');
      const sender = await staffFor(row.from_address);
      // A staff member's own words are her reply; anyone else's become a reader's comment.
      const asStaff = row.target_role === 'staff' && sender ? sender : undefined;
      await store.updateInbound(db, id, { placed_key: row.message_id });
      try {
        const placed = await post(target, { address: row.from_address, name: row.from_name }, row.words, asStaff, undefined);
        await store.updateInbound(db, id, {
          outcome: placed.held ? 'held' : 'placed',
          reason: `placed by ${by.name}${placed.held ? ', held for moderation' : ''}`,
          comment_id: placed.commentId,
        });
      } catch (err) {
        await store.updateInbound(db, id, { placed_key: null });
        throw err;
      }
      return (await store.findInbound(db, id)) as store.InboundRow;
    },
    async dismiss(id) {
      const row = await store.findInbound(db, id);
      if (!row || !(store.UNPLACED as readonly string[]).includes(row.outcome)) throw new NotFoundError('There is no such message.');
      await store.updateInbound(db, id, { outcome: 'dismissed' });
    },
    settings: () => readReplySettings(db),
    async lastReceived() {
      const row = await store.lastReceived(db);
      return row ? { at: row.received_at, via: row.via } : undefined;
    },
    setReplyAddress: (address) => writeReplySettings(db, address, clock.now()),
    async acceptsRecipient(address) {
      const { replyAddress } = await readReplySettings(db);
      const parts = splitAddress(replyAddress);
      if (!parts) return false;
      const m = /^([^@+]+)(\+[^@]*)?@(.+)$/.exec(address.trim().toLowerCase());
      return m !== null && m[1] === parts.local && m[3] === parts.domain;
    },
  };
}
