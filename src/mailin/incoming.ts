// One received message, read once with mailparser into the facts the rules need: who sent it, to
// which addresses, whether a program sent it (auto-reply, bounce), what the receiving server said
// about its authenticity, and the new words in it.
import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { newWords } from './reply-text.js';

export interface Incoming {
  messageId: string;
  from: { address: string; name: string } | undefined;
  subject: string;
  /** Every address it was delivered to: the envelope's, then To, Cc, Delivered-To, X-Original-To. */
  recipients: string[];
  /** Why a program, not a person, sent it (an auto-reply); undefined for a person's mail. */
  automatic: string | undefined;
  /** Addresses a delivery-failure report says failed; undefined when it is no such report. */
  bounce: { failed: string[] } | undefined;
  /** "dkim=fail" and the like from Authentication-Results; undefined when nothing failed. */
  authFailure: string | undefined;
  /** Attachments' file names (they are never kept). */
  attachments: string[];
  words: string;
}

const headerText = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return String(v);
};

const linesOf = (mail: ParsedMail, name: string): string[] =>
  mail.headerLines
    .filter((h) => h.key === name)
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    );

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) =>
    a.value.flatMap((v) => (v.address ? [v.address] : (v.group ?? []).flatMap((g) => (g.address ? [g.address] : [])))),
  );
}

const OUT_OF_OFFICE =
  /^(auto(matic)?[ -]?(reply|response)|out of (the )?office|abwesenheit|absence|réponse automatique|respuesta automática|autosvar|auto:)/i;

/** Why this looks like mail a program sent in answer (RFC 3834 and what real systems send). */
function automaticReason(mail: ParsedMail): string | undefined {
  const auto = headerText(mail, 'auto-submitted').trim().toLowerCase();
  if (auto && auto !== 'no') return `an automatic message (Auto-Submitted: ${auto})`;
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'an automatic reply (X-Autoreply)';
  const precedence = headerText(mail, 'precedence').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `bulk or automatic mail (Precedence: ${precedence})`;
  if (headerText(mail, 'x-ms-exchange-generated-message-source') || mail.headers.has('x-auto-response-suppress')) {
    if (OUT_OF_OFFICE.test(mail.subject ?? '')) return 'an out-of-office reply';
  }
  if (OUT_OF_OFFICE.test((mail.subject ?? '').trim())) return 'an out-of-office reply';
  return undefined;
}

/** A delivery status notification (RFC 3464), or a bounce in the older shape from a mailer daemon. */
function bounceOf(mail: ParsedMail, raw: string, envelopeFrom: string | undefined): { failed: string[] } | undefined {
  const type = headerText(mail, 'content-type').toLowerCase();
  const contentType = linesOf(mail, 'content-type').join(' ').toLowerCase();
  const isReport = type.includes('multipart/report') && contentType.includes('delivery-status');
  const from = addressesOf(mail.from)[0]?.toLowerCase() ?? '';
  const daemon = /^(mailer-daemon|postmaster)@/.test(from) || envelopeFrom === '';
  if (!isReport && !daemon) return undefined;
  const failed = new Set<string>();
  // The delivery-status part: per recipient, Final-Recipient and Action.
  for (const block of raw.split(/\r?\n\r?\n/)) {
    const recipient = /^Final-Recipient:\s*rfc822;\s*<?([^\s>]+@[^\s>]+)>?/im.exec(block)?.[1];
    const action = /^Action:\s*(\w+)/im.exec(block)?.[1]?.toLowerCase();
    if (recipient && (action === undefined || action === 'failed')) failed.add(recipient.toLowerCase());
  }
  return { failed: [...failed] };
}

/** What the receiving server found: a failed DKIM, SPF or DMARC check. */
function authFailureOf(mail: ParsedMail): string | undefined {
  for (const line of linesOf(mail, 'authentication-results')) {
    const m = /\b(dkim|spf|dmarc)\s*=\s*(fail|softfail|permerror)\b/i.exec(line);
    if (m) return `${(m[1] as string).toLowerCase()}=${(m[2] as string).toLowerCase()}`;
  }
  return undefined;
}

export async function readIncoming(raw: Buffer, envelope?: { from?: string | undefined; to?: string[] }): Promise<Incoming> {
  // Loaded with the first message: a process that never receives mail never pays for the parser.
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(raw, { skipImageLinks: true });
  const text = raw.toString('latin1');
  const fromValue = Array.isArray(mail.from) ? mail.from[0]?.value[0] : mail.from?.value[0];
  const recipients = [
    ...(envelope?.to ?? []),
    ...addressesOf(mail.to),
    ...addressesOf(mail.cc),
    ...linesOf(mail, 'delivered-to'),
    ...linesOf(mail, 'x-original-to'),
  ].map((a) => a.replace(/^<|>$/g, '').trim());
  const messageId = mail.messageId?.trim() || `<sha256-${createHash('sha256').update(raw).digest('hex')}@hearth>`;
  // Her words: the plain text part, or the HTML part read as text (quotes as "> " lines).
  const body = mail.text ?? '';
  return {
    messageId,
    from: fromValue?.address ? { address: fromValue.address.toLowerCase(), name: (fromValue.name ?? '').trim() } : undefined,
    subject: (mail.subject ?? '').slice(0, 300),
    recipients: [...new Set(recipients)],
    automatic: automaticReason(mail),
    bounce: bounceOf(mail, text, envelope?.from),
    authFailure: authFailureOf(mail),
    attachments: mail.attachments.filter((a) => a.contentDisposition !== 'inline' || a.filename).map((a) => a.filename ?? 'an attachment'),
    words: newWords(body),
  };
}
