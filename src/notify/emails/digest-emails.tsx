// Daily emails for staff: threads still awaiting an answer, and the day's reader comments.
import { Button, EmailLayout, type FooterLink, type MailSite, type RenderedMail, renderHtml, textPart } from './layout.js';

export interface WaitingThread {
  postTitle: string;
  authorName: string;
  excerpt: string;
  /** Epoch ms of the oldest unanswered reader comment. */
  waitingSince: number;
  url: string;
}

function waited(since: number, now: number): string {
  const hours = Math.max(0, Math.floor((now - since) / 3_600_000));
  if (hours < 1) return 'less than an hour';
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

/** The "awaiting your reply" digest: the list of waiting threads, oldest wait first. */
export async function awaitingDigestEmail(d: {
  site: MailSite;
  staffName: string;
  threads: WaitingThread[];
  inboxUrl: string;
  now: number;
  footer: FooterLink[];
}): Promise<RenderedMail> {
  const n = d.threads.length;
  const subject = n === 1 ? 'One reader is waiting for your answer' : `${n} readers are waiting for your answer`;
  const lead = `Good morning, ${d.staffName}. These conversations wait for an answer, the longest wait first:`;
  return {
    subject,
    text: textPart(
      d.site,
      [
        lead,
        d.threads
          .map((t) => `- ${t.authorName} on “${t.postTitle}”, waiting ${waited(t.waitingSince, d.now)}: ${t.excerpt}\n  ${t.url}`)
          .join('\n'),
        `Your inbox: ${d.inboxUrl}`,
      ],
      d.footer,
    ),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer}>
        <p>{lead}</p>
        <ul>
          {d.threads.map((t) => (
            <li style="margin-bottom:10px">
              <a href={t.url}>
                {t.authorName} on “{t.postTitle}”
              </a>
              , waiting {waited(t.waitingSince, d.now)}: {t.excerpt}
            </li>
          ))}
        </ul>
        <Button href={d.inboxUrl}>Open your inbox</Button>
      </EmailLayout>,
    ),
  };
}

export interface DigestComment {
  authorName: string;
  postTitle: string;
  excerpt: string;
  url: string;
}

/** Reader comments of the last day, for an author who chose a daily digest over single emails. */
export async function commentsDigestEmail(d: { site: MailSite; comments: DigestComment[]; footer: FooterLink[] }): Promise<RenderedMail> {
  const n = d.comments.length;
  const subject = n === 1 ? 'A new comment on your posts' : `${n} new comments on your posts`;
  const lead = 'Readers wrote on your posts since yesterday:';
  return {
    subject,
    text: textPart(
      d.site,
      [lead, d.comments.map((c) => `- ${c.authorName} on “${c.postTitle}”: ${c.excerpt}\n  ${c.url}`).join('\n')],
      d.footer,
    ),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer}>
        <p>{lead}</p>
        <ul>
          {d.comments.map((c) => (
            <li style="margin-bottom:10px">
              <a href={c.url}>
                {c.authorName} on “{c.postTitle}”
              </a>
              : {c.excerpt}
            </li>
          ))}
        </ul>
      </EmailLayout>,
    ),
  };
}
