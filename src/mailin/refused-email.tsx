// The one answer to mail that came in to a reply address and could not be placed: what happened
// and what to do instead, in the site's language. Sent at most a few times a day per address
// (src/mailin/mailin-service.ts).
import { messagesFor } from '../i18n/messages.js';
import { EmailLayout, type MailSite, type RenderedMail, renderHtml, textPart } from '../notify/emails/layout.js';

const ENGLISH = messagesFor('en');

export async function mailRefusedEmail(d: { site: MailSite; subject: string; reason: string }): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const subject = d.subject || m.t('mail.refusedNoSubject');
  const lead = m.t('mail.refusedLead', { subject, site: d.site.title });
  const why = m.t('mail.refusedWhy', { reason: d.reason });
  const next = m.t('mail.refusedNext');
  return {
    subject: m.t('mail.refusedSubject', { subject }).slice(0, 200),
    text: textPart(d.site, [lead, why, `${next} ${d.site.baseUrl}`]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <p>{why}</p>
        <p>
          {next} <a href={d.site.baseUrl}>{d.site.baseUrl}</a>
        </p>
      </EmailLayout>,
    ),
  };
}
