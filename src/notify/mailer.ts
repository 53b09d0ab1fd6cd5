// How a finished message leaves: by SMTP when SMTP_URL is set, otherwise as an .eml file under
// HEARTH_DATA/mail/ so that a new site works (and can be inspected) before mail is set up.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createTransport as createNodemailer } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

export interface OutgoingMail {
  /** Stable across retries: derived from the outbox row, so receivers can drop duplicates. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface TransportOptions {
  smtpUrl?: string | undefined;
  /** Where .eml files go without SMTP_URL. */
  mailDir: string;
  dkim?: DkimOptions | undefined;
}

function messageOptions(mail: OutgoingMail) {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    // No file or URL content ever comes from a template.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The raw RFC 5322 message, exactly as it would go over SMTP (DKIM-signed when configured). */
export async function buildRawMessage(mail: OutgoingMail, dkim?: DkimOptions): Promise<Buffer> {
  return rawMessageBuilder(dkim)(mail);
}

/** One message builder, made once and used for every message (making it costs as much as a message). */
function rawMessageBuilder(dkim?: DkimOptions): (mail: OutgoingMail) => Promise<Buffer> {
  const builder = createNodemailer({ streamTransport: true, buffer: true, newline: 'windows', ...(dkim ? { dkim } : {}) });
  return async (mail) => (await builder.sendMail(messageOptions(mail))).message as Buffer;
}

/** The file name of a message: its Message-ID's local part, so a retry overwrites, never adds. */
export function mailFileName(messageId: string): string {
  return `${messageId.replace(/^<|@.*$/g, '').replace(/[^\w.-]/g, '_')}.eml`;
}

export function createMailTransport(options: TransportOptions): MailTransport {
  if (!options.smtpUrl) {
    const dir = options.mailDir;
    const build = rawMessageBuilder(options.dkim);
    // The folder is made before the first message, and again if it has gone since.
    let dirMade = false;
    return {
      kind: 'file',
      async send(mail) {
        const raw = await build(mail);
        // Written under a temporary name first: a listing never shows half a message.
        const file = path.join(dir, mailFileName(mail.messageId));
        if (!dirMade) {
          await fs.mkdir(dir, { recursive: true });
          dirMade = true;
        }
        try {
          await fs.writeFile(`${file}.part`, raw);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          await fs.mkdir(dir, { recursive: true });
          await fs.writeFile(`${file}.part`, raw);
        }
        await fs.rename(`${file}.part`, file);
      },
      close() {},
    };
  }
  // TLS and pooling options come from the URL's query (?pool=true&tls.rejectUnauthorized=false),
  // as nodemailer reads them.
  const smtp = createNodemailer({
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
    ...parseConnectionUrl(options.smtpUrl),
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await smtp.sendMail(messageOptions(mail));
    },
    close() {
      smtp.close();
    },
  };
}
