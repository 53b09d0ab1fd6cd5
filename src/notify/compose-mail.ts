// Turns a queued "mail" row into a finished message at send time: checks that the address still
// wants it (unsubscribes count until the last moment), loads the latest data, renders the
// template and adds the standard headers. Returns a reason instead when it must not be sent.

import type { Db } from '../db/connect.js';
import type { OutboxRow } from '../db/tables.js';
import type { MessageKey } from '../i18n/catalogs/index.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import { messagesFor } from '../i18n/messages.js';
import { hashToken } from '../ids.js';
import { mailRefusedEmail } from '../mailin/refused-email.js';
import { replyToHeader } from '../mailin/reply-to.js';
import { htmlToText } from '../text/excerpt.js';
import { invitationEmail, passwordResetEmail, programSignupEmail, readerDataEmail } from './emails/account-emails.js';
import { moderationEmail, privateAnswerEmail, readerCommentEmail, replyEmail, threadConfirmEmail } from './emails/comment-emails.js';
import { awaitingDigestEmail, commentsDigestEmail } from './emails/digest-emails.js';
import type { FooterLink, MailSite, RenderedMail } from './emails/layout.js';
import { newsletterConfirmEmail, newsletterPostEmail } from './emails/newsletter-emails.js';
import { ALL_SCOPES, commentUrl, confirmUrl, NEWSLETTER_SCOPE, readerDataUrl, STAFF_SCOPES, threadScope, unsubscribeUrl } from './links.js';
import { type MailPayload, mailPayloadSchema } from './mail-payloads.js';
import type { OutgoingMail } from './mailer.js';
import {
  findMailComment,
  findMailPost,
  findMailUser,
  heldCommentsFor,
  type MailCommentRow,
  readerCommentsBetween,
  waitingThreadsFor,
} from './notify-store.js';
import { findSubscription, isSuppressed } from './subscription-store.js';

export interface ComposeContext {
  db: Db;
  now: number;
  baseUrl: string;
  from: string;
  secret: string;
  siteTitle: string;
  /** The site's language (English when absent); a reader's email about a post follows the post's. */
  siteLocale?: Locale | undefined;
}

/** The emails only staff receive. */
const STAFF_MAIL: ReadonlySet<MailPayload['type']> = new Set([
  'reader-comment',
  'moderation',
  'awaiting-digest',
  'comments-digest',
  'password-reset',
  'invitation',
] as const);

/** The comment a reply to this email answers, and whether its recipient is a reader or staff. */
type Answers = { commentId: string; role: 'reader' | 'staff' };

export type Composed = { send: OutgoingMail } | { skip: string };

/** What an address must have agreed to for a message: nothing (she asked just now), or a scope. */
type Consent =
  | { kind: 'requested' }
  /** Double opt-in: the scope must be confirmed. */
  | { kind: 'confirmed'; scope: string }
  /** Staff notices and answers to her own question: sent unless she said stop. */
  | { kind: 'not-unsubscribed'; scope: string };

function consentFor(p: MailPayload, root: string | undefined): Consent {
  switch (p.type) {
    case 'reply':
      return { kind: 'confirmed', scope: root ? threadScope(root) : 'thread:?' };
    case 'newsletter-post':
      return { kind: 'confirmed', scope: NEWSLETTER_SCOPE };
    case 'awaiting-digest':
      return { kind: 'confirmed', scope: STAFF_SCOPES.digest };
    case 'reader-comment':
    case 'comments-digest':
      return { kind: 'not-unsubscribed', scope: STAFF_SCOPES.comments };
    case 'moderation':
      return { kind: 'not-unsubscribed', scope: STAFF_SCOPES.moderation };
    case 'private-answer':
    case 'mail-refused':
      return { kind: 'not-unsubscribed', scope: ALL_SCOPES };
    default:
      return { kind: 'requested' };
  }
}

/** The start of a comment's visible text: its sanitized HTML read as text, never its tags or Markdown. */
const excerpt = (html: string, n = 160) => {
  const flat = htmlToText(html);
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

export async function composeMail(row: OutboxRow, ctx: ComposeContext): Promise<Composed> {
  const parsed = mailPayloadSchema.safeParse(JSON.parse(row.payload));
  if (!parsed.success) return { skip: 'unknown email type' };
  const p = parsed.data;
  const to = p.to.toLowerCase();
  const { db, baseUrl, secret } = ctx;
  const siteLocale = ctx.siteLocale ?? DEFAULT_LOCALE;
  // An email about a conversation, or a post sent to subscribers, speaks its post's language. The
  // comment it is about is read once, here, for its language, its thread and its words.
  const about = 'commentId' in p ? await findMailComment(db, p.commentId) : undefined;
  const postLanguage = about?.post_language ?? (p.type === 'newsletter-post' ? (await findMailPost(db, p.postId))?.language : undefined);
  // Emails to staff stay English, as the workspace does.
  const m = messagesFor(STAFF_MAIL.has(p.type) ? 'en' : isLocale(postLanguage) ? postLanguage : siteLocale);
  const site: MailSite = { title: ctx.siteTitle, baseUrl, m };

  const consent = consentFor(p, about?.root_id);
  if (consent.kind !== 'requested') {
    if (await isSuppressed(db, to)) return { skip: 'the address unsubscribed from all email' };
    if (consent.scope !== ALL_SCOPES) {
      const sub = await findSubscription(db, to, consent.scope);
      if (consent.kind === 'confirmed' && sub?.status !== 'confirmed') return { skip: `no confirmed subscription to ${consent.scope}` };
      if (consent.kind === 'not-unsubscribed' && sub?.status === 'unsubscribed') return { skip: `unsubscribed from ${consent.scope}` };
    }
  }
  // Notifications say how to stop them, in the body and in the List-Unsubscribe header.
  const unsubscribe = consent.kind === 'requested' ? undefined : unsubscribeUrl(baseUrl, secret, to, consent.scope);
  const stopAll = unsubscribeUrl(baseUrl, secret, to, ALL_SCOPES);
  const footer: FooterLink[] = [];
  if (unsubscribe && consent.kind !== 'requested' && consent.scope !== ALL_SCOPES) {
    const label = m.t(p.type === 'reply' ? 'mail.stopConversation' : p.type === 'newsletter-post' ? 'mail.unsubscribe' : 'mail.stopThese');
    footer.push({ label, url: unsubscribe });
  }
  if (consent.kind !== 'requested') footer.push({ label: m.t('mail.stopAll'), url: stopAll });

  const rendered = await render(p, { ...ctx, site, footer, to, about });
  if ('skip' in rendered) return rendered;
  const host = new URL(baseUrl).hostname;
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
  if (unsubscribe) {
    headers['List-Unsubscribe'] = `<${unsubscribe}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    // Named by the site's own title (quoted, as RFC 2919 allows a phrase), not by English words.
    headers['List-Id'] =
      `"${ctx.siteTitle.replace(/["\\\r\n]/g, '')}" <${p.type === 'newsletter-post' ? 'newsletter' : 'notifications'}.${host}>`;
  }
  if (p.type === 'newsletter-post') headers.Precedence = 'bulk';
  // A conversation email can be answered from the mailbox (src/mailin), when a reply address is set.
  if ('answers' in rendered && rendered.answers) {
    const replyTo = await replyToHeader(db, secret, to, rendered.answers, ctx.now);
    if (replyTo) headers['Reply-To'] = replyTo;
  }
  return {
    send: {
      messageId: `<${row.id}@${host}>`,
      from: ctx.from,
      to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers,
    },
  };
}

async function render(
  p: MailPayload,
  ctx: ComposeContext & { site: MailSite; footer: FooterLink[]; to: string; about: MailCommentRow | undefined },
): Promise<(RenderedMail & { answers?: Answers }) | { skip: string }> {
  const { db, site, footer, baseUrl } = ctx;
  switch (p.type) {
    case 'thread-confirm': {
      const c = ctx.about;
      const sub = await findSubscription(db, ctx.to, p.scope);
      // A newer request, a confirmation or an unsubscribe since then make this one moot.
      if (!c || !sub || sub.status !== 'unconfirmed' || sub.token_hash !== hashToken(p.token))
        return { skip: 'confirmation no longer pending' };
      return threadConfirmEmail({
        site,
        post: { title: c.post_title, url: `${baseUrl}/${c.post_slug}/` },
        confirmUrl: confirmUrl(baseUrl, p.token),
      });
    }
    case 'newsletter-confirm': {
      const sub = await findSubscription(db, ctx.to, NEWSLETTER_SCOPE);
      if (sub?.status !== 'unconfirmed' || sub.token_hash !== hashToken(p.token)) return { skip: 'confirmation no longer pending' };
      return newsletterConfirmEmail({ site, confirmUrl: confirmUrl(baseUrl, p.token) });
    }
    case 'reply': {
      const c = ctx.about;
      if (c?.status !== 'published' || c.visibility !== 'public') return { skip: 'the reply is no longer public' };
      const post = { title: c.post_title, url: `${baseUrl}/${c.post_slug}/` };
      const mail = await replyEmail({
        site,
        post,
        footer,
        reply: { authorName: c.author_name, html: c.html, url: commentUrl(baseUrl, c.post_slug, c.id) },
      });
      return { ...mail, answers: { commentId: c.id, role: 'reader' } };
    }
    case 'reader-comment': {
      const c = ctx.about;
      if (c?.status !== 'published') return { skip: 'the comment is no longer published' };
      const post = { title: c.post_title, url: `${baseUrl}/${c.post_slug}/` };
      const comment = { authorName: c.author_name, html: c.html, url: commentUrl(baseUrl, c.post_slug, c.id) };
      const mail = await readerCommentEmail({ site, post, comment, isPrivate: c.visibility === 'private', footer });
      return { ...mail, answers: { commentId: c.id, role: 'staff' } };
    }
    case 'private-answer': {
      const answer = ctx.about;
      const question = await findMailComment(db, p.questionId);
      if (!answer || !question || answer.status !== 'published') return { skip: 'the answer is gone' };
      const post = { title: answer.post_title, url: `${baseUrl}/${answer.post_slug}/` };
      const mail = await privateAnswerEmail({
        site,
        post,
        footer,
        question: { html: question.html },
        answer: {
          authorName: answer.author_name,
          html: answer.html,
          url: commentUrl(baseUrl, answer.post_slug, answer.id),
        },
      });
      return { ...mail, answers: { commentId: answer.id, role: 'reader' } };
    }
    case 'moderation': {
      const user = await findMailUser(db, p.userId);
      if (!user) return { skip: 'no such staff member' };
      const held = await heldCommentsFor(db, user, 20);
      if (held.total === 0) return { skip: 'nothing awaits moderation any more' };
      const items = held.rows.map((r) => ({ authorName: r.author_name, postTitle: r.post_title, excerpt: excerpt(r.html) }));
      return moderationEmail({ site, items, total: held.total, queueUrl: `${baseUrl}/admin/moderation`, footer });
    }
    case 'awaiting-digest': {
      const user = await findMailUser(db, p.userId);
      if (!user) return { skip: 'no such staff member' };
      const rows = await waitingThreadsFor(db, user, 50);
      if (rows.length === 0) return { skip: 'nobody is waiting' };
      const mail = await awaitingDigestEmail({
        site,
        staffName: user.name,
        now: ctx.now,
        footer,
        inboxUrl: `${baseUrl}/admin/inbox`,
        threads: rows.map((r) => ({
          postTitle: r.post_title,
          authorName: r.author_name,
          excerpt: excerpt(r.html),
          waitingSince: r.awaiting_since,
          url: commentUrl(baseUrl, r.post_slug, r.comment_id),
        })),
      });
      // Answering the digest answers the thread that has waited longest, listed first.
      return { ...mail, answers: { commentId: (rows[0] as (typeof rows)[number]).comment_id, role: 'staff' } };
    }
    case 'comments-digest': {
      const rows = await readerCommentsBetween(db, p.userId, p.since, p.until, 100);
      if (rows.length === 0) return { skip: 'no comments that day' };
      const mail = await commentsDigestEmail({
        site,
        footer,
        comments: rows.map((r) => ({
          authorName: r.author_name,
          postTitle: r.post_title,
          excerpt: excerpt(r.html),
          url: commentUrl(baseUrl, r.post_slug, r.id),
        })),
      });
      // Answering the digest answers its first comment.
      return { ...mail, answers: { commentId: (rows[0] as (typeof rows)[number]).id, role: 'staff' } };
    }
    case 'newsletter-post': {
      const post = await findMailPost(db, p.postId);
      if (post?.status !== 'published') return { skip: 'the post is not published' };
      return newsletterPostEmail({
        site,
        footer,
        post: { title: post.title, url: `${baseUrl}/${post.slug}/`, html: post.html },
      });
    }
    case 'password-reset':
      return passwordResetEmail({ site, name: p.name, link: p.link });
    case 'invitation':
      return invitationEmail({ site, name: p.name, inviterName: p.inviterName, role: p.role, link: p.link });
    case 'program-signup':
      return programSignupEmail({ site, name: p.name, programTitle: p.programTitle, programUrl: p.programUrl, details: p.details });
    case 'mail-refused':
      return mailRefusedEmail({
        site,
        subject: p.subject,
        reason: p.said && site.m ? site.m.t(p.said.key as MessageKey, p.said.values) : p.reason,
      });
    case 'reader-data':
      return readerDataEmail({ site, manageUrl: readerDataUrl(baseUrl, ctx.secret, ctx.to, ctx.now) });
  }
}
