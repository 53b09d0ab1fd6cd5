// The new words of an emailed reply: what she wrote above (or without) the quoted message, without
// her signature. Mail clients mark a quote in their own ways ("On ... wrote:", Outlook's header
// block, "-----Original Message-----", "> " lines); those markers are cut here, and what is left
// goes through email-reply-parser, which knows quoted fragments and signatures.
import EmailReplyParser from 'email-reply-parser';

/** A line that starts the quoted message; everything from it on is the earlier email. */
const QUOTE_HEADERS: RegExp[] = [
  /^-{2,}\s*(original message|message d'origine|ursprüngliche nachricht|mensaje original)\s*-{2,}\s*$/i,
  /^-{2,}\s*(forwarded message|reply message)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^>?\s*begin forwarded message:\s*$/i,
];

/** "On <date>, <name> wrote:", wrapped over up to three lines, in a few languages. */
const ATTRIBUTION = /^(on|le|am|el|il|op|em)\s[\s\S]{0,300}?(wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu)\s*:?\s*$/i;
/** "Am <date> schrieb <name> <address>:": the verb before the name. */
const ATTRIBUTION_NAME_LAST =
  /^(am|el|le|il|op|em)\s[\s\S]{0,200}?\s(schrieb|escribió|a écrit|ha scritto|schreef|escreveu)\s[\s\S]{0,200}:\s*$/i;
/** The first line of Outlook's header block: From: ... followed by Sent:/Date: ... */
const OUTLOOK_FROM = /^\*?(from|de|von|van|da):\*?\s/i;
const OUTLOOK_NEXT = /^\*?(sent|date|envoyé|gesendet|enviado|to|à|an|para|subject|objet|betreff):\*?\s/i;

/** Lines phones and mail programs add under every message. */
const SENT_FROM = [
  /^sent from my (iphone|ipad|android|phone|mobile|samsung|galaxy|pixel|blackberry)[\w\s.,-]*$/i,
  /^sent from (mail|outlook) for (windows|ios|android|mac)[\w\s.]*$/i,
  /^get outlook for (ios|android)\s*<?[^>]*>?\s*$/i,
  /^sent from (yahoo mail|proton mail|protonmail|gmail mobile|fastmail)[\w\s.,-]*$/i,
  /^sent with proton mail[\w\s.,-]*$/i,
  /^(envoyé de mon|von meinem .* gesendet|enviado desde mi)/i,
];

function cutAtQuoteHeader(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (QUOTE_HEADERS.some((re) => re.test(line))) return lines.slice(0, i);
    // "On ... wrote:" may be wrapped: try this line joined with the next one or two.
    if (/^(on|le|am|el|il|op|em)\s/i.test(line)) {
      for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
        const joined = lines
          .slice(i, i + span)
          .map((l) => l.trim())
          .join(' ');
        if (ATTRIBUTION.test(joined) || ATTRIBUTION_NAME_LAST.test(joined)) return lines.slice(0, i);
      }
    }
    if (OUTLOOK_FROM.test(line)) {
      const next = lines.slice(i + 1, i + 4).map((l) => l.trim());
      if (next.some((l) => OUTLOOK_NEXT.test(l))) return lines.slice(0, i);
    }
  }
  return lines;
}

function dropSentFrom(lines: string[]): string[] {
  const out = [...lines];
  // Only at the end: a line in the middle that happens to say so is her words.
  for (;;) {
    while (out.length > 0 && (out[out.length - 1] ?? '').trim() === '') out.pop();
    const last = (out[out.length - 1] ?? '').trim();
    if (out.length > 0 && SENT_FROM.some((re) => re.test(last))) out.pop();
    else return out;
  }
}

/** Drops a trailing block of "> " lines (bottom quoting whose header was not recognised). */
function dropTrailingQuote(lines: string[]): string[] {
  let end = lines.length;
  // Also a rule left above a cut header block (Outlook draws one in HTML).
  while (end > 0 && /^(\s*>.*|\s*|[-_=]{10,})$/.test(lines[end - 1] ?? '')) end--;
  return lines.slice(0, end);
}

/** The reply's new words, as plain text (empty when she wrote nothing above the quote). */
export function newWords(text: string): string {
  const normalized = text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+$/gm, '');
  let lines = cutAtQuoteHeader(normalized.split('\n'));
  lines = dropTrailingQuote(lines);
  // A "-- " line starts a signature (RFC 3676); email-reply-parser wants it alone on its line.
  const sig = lines.findIndex((l) => l === '--' || l === '-- ');
  if (sig >= 0) lines = lines.slice(0, sig);
  lines = dropSentFrom(lines);
  const visible = new EmailReplyParser().read(`${lines.join('\n')}\n`).getVisibleText();
  return dropSentFrom(visible.split('\n'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
