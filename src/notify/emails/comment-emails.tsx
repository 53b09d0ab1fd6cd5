// Emails about conversations: a reply in a thread you follow, a reader's comment on your post,
// comments waiting for moderation, the answer to a private question, and the thread opt-in.
import { messagesFor } from '../../i18n/messages.js';
import { htmlToPlainText } from '../../text/plain-text.js';
import { sanitizedHtml } from '../../web/trusted-html.js';
import {
  Button,
  EmailLayout,
  type FooterLink,
  type MailSite,
  quoted,
  quoteStyle,
  type RenderedMail,
  renderHtml,
  textPart,
} from './layout.js';

export interface MailComment {
  authorName: string;
  /** Sanitized on write. */
  html: string;
  url: string;
}

export interface MailPost {
  title: string;
  url: string;
}

const ENGLISH = messagesFor('en');

export async function threadConfirmEmail(d: { site: MailSite; post: MailPost; confirmUrl: string }): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const subject = m.t('mail.confirmSubject', { title: d.post.title });
  const lead = m.t('mail.confirmLead', { title: d.post.title });
  const ask = m.t('mail.confirmAsk');
  return {
    subject,
    text: textPart(d.site, [lead, ask, m.t('mail.confirmText', { url: d.confirmUrl })]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <p>{ask}</p>
        <Button href={d.confirmUrl}>{m.t('mail.confirmButton')}</Button>
      </EmailLayout>,
    ),
  };
}

export async function replyEmail(d: { site: MailSite; post: MailPost; reply: MailComment; footer: FooterLink[] }): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const names = { name: d.reply.authorName, title: d.post.title };
  const subject = m.t('mail.replySubject', names);
  const lead = m.t('mail.replyLead', names);
  return {
    subject,
    text: textPart(d.site, [lead, quoted(htmlToPlainText(d.reply.html)), `${m.t('mail.replyButton')}: ${d.reply.url}`], d.footer),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer} note={m.t('mail.replyNote')}>
        <p>{lead}</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.reply.html)}</blockquote>
        <Button href={d.reply.url}>{m.t('mail.replyButton')}</Button>
      </EmailLayout>,
    ),
  };
}

export async function readerCommentEmail(d: {
  site: MailSite;
  post: MailPost;
  comment: MailComment;
  isPrivate: boolean;
  footer: FooterLink[];
}): Promise<RenderedMail> {
  const subject = d.isPrivate
    ? `${d.comment.authorName} asked you privately on “${d.post.title}”`
    : `${d.comment.authorName} commented on “${d.post.title}”`;
  const lead = d.isPrivate
    ? `${d.comment.authorName} wrote to you alone, under “${d.post.title}”:`
    : `${d.comment.authorName} commented on “${d.post.title}”:`;
  return {
    subject,
    text: textPart(d.site, [lead, quoted(htmlToPlainText(d.comment.html)), `Answer: ${d.comment.url}`], d.footer),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer}>
        <p>{lead}</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.comment.html)}</blockquote>
        <Button href={d.comment.url}>Answer</Button>
      </EmailLayout>,
    ),
  };
}

export interface HeldItem {
  authorName: string;
  postTitle: string;
  excerpt: string;
}

export async function moderationEmail(d: {
  site: MailSite;
  items: HeldItem[];
  total: number;
  queueUrl: string;
  footer: FooterLink[];
}): Promise<RenderedMail> {
  const subject = d.total === 1 ? 'A comment awaits moderation' : `${d.total} comments await moderation`;
  const lead = d.total === 1 ? 'A comment is waiting for you to approve it:' : `${d.total} comments are waiting for you to approve them:`;
  return {
    subject,
    text: textPart(
      d.site,
      [lead, d.items.map((i) => `- ${i.authorName} on “${i.postTitle}”: ${i.excerpt}`).join('\n'), `Review them: ${d.queueUrl}`],
      d.footer,
    ),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer}>
        <p>{lead}</p>
        <ul>
          {d.items.map((i) => (
            <li style="margin-bottom:8px">
              <strong>{i.authorName}</strong> on “{i.postTitle}”: {i.excerpt}
            </li>
          ))}
        </ul>
        <Button href={d.queueUrl}>Review them</Button>
      </EmailLayout>,
    ),
  };
}

export async function privateAnswerEmail(d: {
  site: MailSite;
  post: MailPost;
  question: { html: string };
  answer: MailComment;
  footer: FooterLink[];
}): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const subject = m.t('mail.answerSubject', { title: d.post.title });
  const lead = m.t('mail.answerLead', { name: d.answer.authorName, title: d.post.title });
  return {
    subject,
    text: textPart(
      d.site,
      [
        lead,
        `${m.t('mail.youAsked')}\n${quoted(htmlToPlainText(d.question.html))}`,
        `${m.t('mail.theAnswer')}\n${quoted(htmlToPlainText(d.answer.html))}`,
        `${m.t('mail.readOnSite')}: ${d.answer.url}`,
      ],
      d.footer,
    ),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer}>
        <p>{lead}</p>
        <p style="color:#6b655c;margin-bottom:0">{m.t('mail.youAsked')}</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.question.html)}</blockquote>
        <p style="color:#6b655c;margin-bottom:0">{m.t('mail.theAnswer')}</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.answer.html)}</blockquote>
        <Button href={d.answer.url}>{m.t('mail.readOnSite')}</Button>
      </EmailLayout>,
    ),
  };
}
