// Emails about conversations: a reply in a thread you follow, a reader's comment on your post,
// comments waiting for moderation, the answer to a private question, and the thread opt-in.
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

export async function threadConfirmEmail(d: { site: MailSite; post: MailPost; confirmUrl: string }): Promise<RenderedMail> {
  const subject = `Confirm: email me replies on “${d.post.title}”`;
  const lead = `You asked to be told by email when someone replies to your comment on “${d.post.title}”.`;
  const ask = 'Please confirm that this is your address. If you did not ask, ignore this message: nothing more will be sent.';
  return {
    subject,
    text: textPart(d.site, [lead, ask, `Confirm: ${d.confirmUrl}`]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <p>{ask}</p>
        <Button href={d.confirmUrl}>Yes, email me replies</Button>
      </EmailLayout>,
    ),
  };
}

export async function replyEmail(d: { site: MailSite; post: MailPost; reply: MailComment; footer: FooterLink[] }): Promise<RenderedMail> {
  const subject = `${d.reply.authorName} replied on “${d.post.title}”`;
  const lead = `${d.reply.authorName} replied in a conversation you follow on “${d.post.title}”:`;
  return {
    subject,
    text: textPart(d.site, [lead, quoted(htmlToPlainText(d.reply.html)), `Read and answer: ${d.reply.url}`], d.footer),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer} note="You get this because you asked for replies to your comment.">
        <p>{lead}</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.reply.html)}</blockquote>
        <Button href={d.reply.url}>Read and answer</Button>
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
  const subject = `Your question on “${d.post.title}” was answered`;
  const lead = `${d.answer.authorName} answered the question you asked privately on “${d.post.title}”. Only you and the site's staff can read it.`;
  return {
    subject,
    text: textPart(
      d.site,
      [
        lead,
        `You asked:\n${quoted(htmlToPlainText(d.question.html))}`,
        `The answer:\n${quoted(htmlToPlainText(d.answer.html))}`,
        `Read it on the site: ${d.answer.url}`,
      ],
      d.footer,
    ),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer}>
        <p>{lead}</p>
        <p style="color:#6b655c;margin-bottom:0">You asked:</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.question.html)}</blockquote>
        <p style="color:#6b655c;margin-bottom:0">The answer:</p>
        <blockquote style={quoteStyle}>{sanitizedHtml(d.answer.html)}</blockquote>
        <Button href={d.answer.url}>Read it on the site</Button>
      </EmailLayout>,
    ),
  };
}
