// Emails a person asked for just now: a password reset, an invitation to the staff, a program
// sign-up, a link to her own data. They carry no unsubscribe link: they are not notifications.
// The staff's (reset, invitation) stay English, as the workspace does; the readers' speak the site's language.
import { messagesFor } from '../../i18n/messages.js';
import { Button, EmailLayout, type MailSite, type RenderedMail, renderHtml, textPart } from './layout.js';

export async function passwordResetEmail(d: { site: MailSite; name: string; link: string }): Promise<RenderedMail> {
  const lead = `Hello ${d.name}, someone (we hope you) asked to set a new password for ${d.site.title}.`;
  const note = 'The link works once, for a short while. If you did not ask, ignore this message: your password stays as it is.';
  return {
    subject: `Set a new password for ${d.site.title}`,
    text: textPart(d.site, [lead, `Set a new password: ${d.link}`, note]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <Button href={d.link}>Set a new password</Button>
        <p style="color:#6b655c">{note}</p>
      </EmailLayout>,
    ),
  };
}

export async function invitationEmail(d: {
  site: MailSite;
  name: string;
  inviterName: string;
  role: string;
  link: string;
}): Promise<RenderedMail> {
  const lead = `Hello ${d.name}, ${d.inviterName} invited you to join ${d.site.title} as ${d.role === 'author' ? 'an author' : `a ${d.role}`}.`;
  const note = 'Choose a password to accept. The link works once, for a few days.';
  return {
    subject: `${d.inviterName} invited you to ${d.site.title}`,
    text: textPart(d.site, [lead, note, `Accept the invitation: ${d.link}`]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <p>{note}</p>
        <Button href={d.link}>Accept the invitation</Button>
      </EmailLayout>,
    ),
  };
}

const ENGLISH = messagesFor('en');

export async function programSignupEmail(d: {
  site: MailSite;
  name: string;
  programTitle: string;
  programUrl: string;
  /** Optional next steps the author wrote for this program, plain text. */
  details?: string | undefined;
}): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const names = { name: d.name, program: d.programTitle };
  const lead = m.t('mail.signupLead', names);
  const about = m.t('mail.signupAbout');
  return {
    subject: m.t('mail.signupSubject', names),
    text: textPart(d.site, [lead, d.details, `${about}: ${d.programUrl}`]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        {d.details ? <p style="white-space:pre-line">{d.details}</p> : null}
        <Button href={d.programUrl}>{about}</Button>
      </EmailLayout>,
    ),
  };
}

export async function readerDataEmail(d: { site: MailSite; manageUrl: string }): Promise<RenderedMail> {
  const m = d.site.m ?? ENGLISH;
  const lead = m.t('mail.dataLead', { site: d.site.title });
  const note = m.t('mail.dataNote');
  const see = m.t('mail.dataButton');
  return {
    subject: m.t('mail.dataSubject', { site: d.site.title }),
    text: textPart(d.site, [lead, `${see}: ${d.manageUrl}`, note]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <Button href={d.manageUrl}>{see}</Button>
        <p style="color:#6b655c">{note}</p>
      </EmailLayout>,
    ),
  };
}
