// Emails a person asked for just now: a password reset, an invitation to the staff, a program
// sign-up, a link to her own data. They carry no unsubscribe link: they are not notifications.
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

export async function programSignupEmail(d: {
  site: MailSite;
  name: string;
  programTitle: string;
  programUrl: string;
  /** Optional next steps the author wrote for this program, plain text. */
  details?: string | undefined;
}): Promise<RenderedMail> {
  const lead = `Thank you, ${d.name}: you are signed up for “${d.programTitle}”.`;
  return {
    subject: `You are signed up for “${d.programTitle}”`,
    text: textPart(d.site, [lead, d.details, `About the program: ${d.programUrl}`]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        {d.details ? <p style="white-space:pre-line">{d.details}</p> : null}
        <Button href={d.programUrl}>About the program</Button>
      </EmailLayout>,
    ),
  };
}

export async function readerDataEmail(d: { site: MailSite; manageUrl: string }): Promise<RenderedMail> {
  const lead = `You asked for your comments on ${d.site.title}. With this link you can download them, or erase your personal data.`;
  const note = 'The link works for 24 hours. If you did not ask, ignore this message: nothing changes.';
  return {
    subject: `Your comments on ${d.site.title}`,
    text: textPart(d.site, [lead, `Your data: ${d.manageUrl}`, note]),
    html: await renderHtml(
      <EmailLayout site={d.site}>
        <p>{lead}</p>
        <Button href={d.manageUrl}>See your data</Button>
        <p style="color:#6b655c">{note}</p>
      </EmailLayout>,
    ),
  };
}
