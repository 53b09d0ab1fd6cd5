// The newsletter: the opt-in confirmation, and each new post as it goes to subscribers.
import { absoluteUrls } from '../../feeds/absolute-urls.js';
import { messagesFor } from '../../i18n/messages.js';
import { htmlToPlainText } from '../../text/plain-text.js';
import { sanitizedHtml } from '../../web/trusted-html.js';
import { Button, EmailLayout, type FooterLink, type MailSite, type RenderedMail, renderHtml, textPart } from './layout.js';

const ENGLISH = messagesFor('en');

export async function newsletterConfirmEmail(d: { site: MailSite; confirmUrl: string }): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const lead = m.t('mail.newsConfirmLead', { site: d.site.title });
  const ask = m.t('mail.confirmAsk');
  return {
    subject: m.t('mail.newsConfirmSubject', { site: d.site.title }),
    text: textPart(d.site, [lead, ask, m.t('mail.confirmText', { url: d.confirmUrl })]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <p>{ask}</p>
        <Button href={d.confirmUrl}>{m.t('mail.newsConfirmButton')}</Button>
      </EmailLayout>,
    ),
  };
}

export async function newsletterPostEmail(d: {
  site: MailSite;
  post: { title: string; url: string; html: string };
  footer: FooterLink[];
}): Promise<RenderedMail> {
  // The email is read away from the site: every link, image and in-page anchor gets the full
  // address of the post, and the text part is the post's text, not its Markdown source.
  const html = absoluteUrls(d.post.html, d.post.url);
  const m = d.site.m ?? ENGLISH;
  return {
    subject: d.post.title,
    text: textPart(d.site, [d.post.title, htmlToPlainText(html), m.t('mail.newsReadText', { url: d.post.url })], d.footer),
    html: await renderHtml(
      <EmailLayout site={d.site} footer={d.footer} note={m.t('mail.newsNote')}>
        <h1 style="font-size:26px;line-height:1.25;margin:0 0 16px">
          <a href={d.post.url} style="color:#2b2926;text-decoration:none">
            {d.post.title}
          </a>
        </h1>
        {sanitizedHtml(html)}
        <Button href={`${d.post.url}#comments`}>{m.t('mail.newsJoin')}</Button>
      </EmailLayout>,
    ),
  };
}
