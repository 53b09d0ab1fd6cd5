// The calm frame every email shares, and the helpers that turn a template into text and HTML parts.
// Mail clients ignore stylesheets, so styles are inline; JSX still escapes every value.
import type { Child } from 'hono/jsx';
import type { Messages } from '../../i18n/messages.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What every template knows about the site. */
export interface MailSite {
  title: string;
  baseUrl: string;
  /** The language the email speaks (English when absent). */
  m?: Messages | undefined;
}

/** Links at the foot of notifications: each one stops a kind of email. */
export interface FooterLink {
  label: string;
  url: string;
}

const page = 'margin:0;padding:24px 12px;background:#f6f4ef;color:#2b2926;font-family:Georgia,serif;font-size:17px;line-height:1.55';
const card = 'max-width:560px;margin:0 auto;background:#fffdf9;border:1px solid #e7e1d6;border-radius:8px;padding:24px 28px';
const foot = 'max-width:560px;margin:16px auto 0;color:#6b655c;font-family:Helvetica,Arial,sans-serif;font-size:13px;line-height:1.5';

export function EmailLayout(props: { site: MailSite; footer?: FooterLink[]; note?: string; children?: Child }) {
  return (
    <html lang={props.site.m?.locale ?? 'en'} dir={props.site.m?.dir ?? 'ltr'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
      </head>
      <body style={page}>
        <div style={card}>{props.children}</div>
        <div style={foot}>
          <p style="margin:0 0 6px">
            <a href={props.site.baseUrl} style="color:#6b655c">
              {props.site.title}
            </a>
          </p>
          {props.note ? <p style="margin:0 0 6px">{props.note}</p> : null}
          {props.footer?.length ? (
            <p style="margin:0">
              {props.footer.map((link, i) => (
                <>
                  {i > 0 ? ' · ' : ''}
                  <a href={link.url} style="color:#6b655c">
                    {link.label}
                  </a>
                </>
              ))}
            </p>
          ) : null}
        </div>
      </body>
    </html>
  );
}

export function Button(props: { href: string; children?: Child }) {
  return (
    <p style="margin:24px 0">
      <a
        href={props.href}
        style="display:inline-block;background:#8a4b2a;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-family:Helvetica,Arial,sans-serif;font-size:15px"
      >
        {props.children}
      </a>
    </p>
  );
}

/** A quoted comment or excerpt. */
export const quoteStyle = 'margin:16px 0;padding:4px 0 4px 16px;border-left:3px solid #d9cfbf;color:#3d3a35';

export async function renderHtml(element: unknown): Promise<string> {
  return `<!doctype html>${await String(element)}`;
}

/** A plain-text part: paragraphs, then the footer links spelled out. */
export function textPart(site: MailSite, paragraphs: (string | false | null | undefined)[], footer: FooterLink[] = []): string {
  const body = paragraphs.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
  const links = footer.map((l) => `${l.label}: ${l.url}`).join('\n');
  return `${body}\n\n-- \n${site.title} ${site.baseUrl}${links ? `\n${links}` : ''}\n`;
}

/** Plain text as a quotation in a text part. */
export function quoted(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
