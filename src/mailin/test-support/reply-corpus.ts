// Replies shaped the way real mail programs write them (headers, quoting, signatures, HTML), each
// with the words a reader would expect to see posted. Used by reply-text.test.ts.

export interface CorpusReply {
  name: string;
  raw: string;
  expected: string;
}

const TO = 'Hearth <reply+abcdefgh@mail.hearth.test>';
const QUOTED = 'Not that long, Maya.\nA week at most.';

function eml(parts: { mailer: string; from?: string; text?: string; html?: string; extra?: string }): string {
  const head = [
    `From: ${parts.from ?? 'Maya Lind <maya@example.org>'}`,
    `To: ${TO}`,
    'Subject: Re: Rosa Vale replied on “On waiting”',
    'Date: Tue, 03 Mar 2026 10:12:00 +0000',
    `Message-ID: <${Math.abs(hash(parts.mailer + (parts.text ?? '') + (parts.html ?? '')))}@example.org>`,
    'In-Reply-To: <0192-reply@hearth.test>',
    'MIME-Version: 1.0',
    parts.mailer,
    ...(parts.extra ? [parts.extra] : []),
  ];
  if (parts.text !== undefined && parts.html !== undefined) {
    return [
      ...head,
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding: 8bit',
      '',
      parts.text,
      '--b1',
      'Content-Type: text/html; charset="UTF-8"',
      'Content-Transfer-Encoding: 8bit',
      '',
      parts.html,
      '--b1--',
      '',
    ].join('\r\n');
  }
  const html = parts.html !== undefined;
  return [
    ...head,
    `Content-Type: ${html ? 'text/html' : 'text/plain'}; charset="UTF-8"${html ? '' : '; format=flowed'}`,
    'Content-Transfer-Encoding: 8bit',
    '',
    (html ? parts.html : parts.text) ?? '',
    '',
  ].join('\r\n');
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + (ch.codePointAt(0) ?? 0)) | 0;
  return h;
}

const q = (text: string) =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

const GMAIL = 'X-Mailer: Gmail';
const APPLE = 'X-Mailer: Apple Mail (2.3774.500.171.1.1)';
const IPHONE = 'X-Mailer: iPhone Mail (21D61)';
const OUTLOOK = 'X-Mailer: Microsoft Outlook 16.0';
const THUNDERBIRD = 'User-Agent: Mozilla Thunderbird 128.5.0';
const ANDROID = 'X-Mailer: Android Mail';

export const replyCorpus: CorpusReply[] = [
  {
    name: 'Gmail, plain text, attribution on one line',
    raw: eml({
      mailer: GMAIL,
      text: `Thank you, that helps.\n\nOn Mon, Mar 2, 2026 at 10:12 AM Rosa Vale <${TO}> wrote:\n\n${q(QUOTED)}\n`,
    }),
    expected: 'Thank you, that helps.',
  },
  {
    name: 'Gmail, plain text, attribution wrapped over two lines',
    raw: eml({
      mailer: GMAIL,
      text: `I will try a week then.\n\nOn Mon, Mar 2, 2026 at 10:12 AM Rosa Vale via Hearth <\nreply+abcdefgh@mail.hearth.test> wrote:\n\n${q(QUOTED)}\n`,
    }),
    expected: 'I will try a week then.',
  },
  {
    name: 'Gmail, multipart with gmail_quote HTML',
    raw: eml({
      mailer: GMAIL,
      text: `Two paragraphs here.\n\nAnd a second one.\n\nOn Mon, Mar 2, 2026 at 10:12 AM Rosa Vale wrote:\n\n${q(QUOTED)}\n`,
      html: '<div dir="ltr"><div>Two paragraphs here.</div><div><br></div><div>And a second one.</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 2, 2026 at 10:12 AM Rosa Vale wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Not that long, Maya.<br>A week at most.</blockquote></div>',
    }),
    expected: 'Two paragraphs here.\n\nAnd a second one.',
  },
  {
    name: 'Gmail, HTML only',
    raw: eml({
      mailer: GMAIL,
      html: '<div dir="ltr">Short and <b>sweet</b>.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 2, 2026 at 10:12 AM Rosa Vale &lt;reply+abcdefgh@mail.hearth.test&gt; wrote:<br></div><blockquote class="gmail_quote">Not that long, Maya.</blockquote></div>',
    }),
    expected: 'Short and sweet.',
  },
  {
    name: 'Gmail with a signature after "-- "',
    raw: eml({
      mailer: GMAIL,
      text: `Agreed.\n\n-- \nMaya Lind\nhttps://maya.example.org\n\nOn Mon, Mar 2, 2026 at 10:12 AM Rosa Vale wrote:\n${q(QUOTED)}\n`,
    }),
    expected: 'Agreed.',
  },
  {
    name: 'Gmail in French',
    raw: eml({ mailer: GMAIL, text: `Merci beaucoup !\n\nLe lun. 2 mars 2026 à 10:12, Rosa Vale <${TO}> a écrit :\n\n${q(QUOTED)}\n` }),
    expected: 'Merci beaucoup !',
  },
  {
    name: 'Gmail in German',
    raw: eml({
      mailer: GMAIL,
      text: `Danke, das hilft.\n\nAm Mo., 2. März 2026 um 10:12 Uhr schrieb Rosa Vale <\n${TO}>:\n\n${q(QUOTED)}\n`,
    }),
    expected: 'Danke, das hilft.',
  },
  {
    name: 'Apple Mail, plain text',
    raw: eml({
      mailer: APPLE,
      text: `Yes — I see what you mean.\n\n> On 2 Mar 2026, at 10:12, Rosa Vale <${TO}> wrote:\n> \n${q(QUOTED)}\n`,
    }),
    expected: 'Yes — I see what you mean.',
  },
  {
    name: 'Apple Mail, HTML with blockquote type=cite',
    raw: eml({
      mailer: APPLE,
      html: '<html><body style="overflow-wrap: break-word;">I read it twice. Lovely.<br id="lineBreakAtBeginningOfMessage"><div><br><blockquote type="cite"><div>On 2 Mar 2026, at 10:12, Rosa Vale &lt;reply+abcdefgh@mail.hearth.test&gt; wrote:</div><br><div><div>Not that long, Maya.</div></div></blockquote></div><br></body></html>',
    }),
    expected: 'I read it twice. Lovely.',
  },
  {
    name: 'Apple Mail with a multi-line signature',
    raw: eml({
      mailer: APPLE,
      text: `Count me in.\n\nMaya\n--\nMaya Lind · Oslo\n\n> On 2 Mar 2026, at 10:12, Rosa Vale wrote:\n${q(QUOTED)}\n`,
    }),
    expected: 'Count me in.\n\nMaya',
  },
  {
    name: 'iPhone Mail with "Sent from my iPhone"',
    raw: eml({
      mailer: IPHONE,
      text: `On my way home, will read properly tonight\n\nSent from my iPhone\n\n> On 2 Mar 2026, at 10:12, Rosa Vale <${TO}> wrote:\n> \n${q(QUOTED)}\n`,
    }),
    expected: 'On my way home, will read properly tonight',
  },
  {
    name: 'iPad Mail, no quote at all',
    raw: eml({ mailer: IPHONE, text: 'Just this.\n\nSent from my iPad\n' }),
    expected: 'Just this.',
  },
  {
    name: 'Outlook desktop, plain text with header block',
    raw: eml({
      mailer: OUTLOOK,
      text: `That is exactly the answer I needed.\n\nBest,\nMaya\n\nFrom: Rosa Vale <${TO}>\nSent: Monday, March 2, 2026 10:12 AM\nTo: Maya Lind <maya@example.org>\nSubject: Rosa Vale replied on “On waiting”\n\n${QUOTED}\n`,
    }),
    expected: 'That is exactly the answer I needed.\n\nBest,\nMaya',
  },
  {
    name: 'Outlook with an underscore rule',
    raw: eml({
      mailer: OUTLOOK,
      text: `Fine by me.\n\n________________________________\nFrom: Rosa Vale <${TO}>\nSent: Monday, March 2, 2026 10:12\nTo: Maya Lind\nSubject: Rosa Vale replied\n\n${QUOTED}\n`,
    }),
    expected: 'Fine by me.',
  },
  {
    name: 'Outlook, "-----Original Message-----"',
    raw: eml({
      mailer: OUTLOOK,
      text: `Noted, thanks.\n\n-----Original Message-----\nFrom: Rosa Vale\nSent: Monday, March 2, 2026 10:12 AM\n\n${QUOTED}\n`,
    }),
    expected: 'Noted, thanks.',
  },
  {
    name: 'Outlook HTML only, divRplyFwdMsg',
    raw: eml({
      mailer: OUTLOOK,
      html: '<html><body><div style="font-family:Calibri">I disagree, gently.</div><div><br></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Rosa Vale &lt;reply+abcdefgh@mail.hearth.test&gt;<br><b>Sent:</b> Monday, March 2, 2026 10:12 AM<br><b>To:</b> Maya Lind<br><b>Subject:</b> Rosa Vale replied</font><div>&nbsp;</div></div><div>Not that long, Maya.</div></body></html>',
    }),
    expected: 'I disagree, gently.',
  },
  {
    name: 'Outlook in German',
    raw: eml({
      mailer: OUTLOOK,
      text: `Sehr gut.\n\nVon: Rosa Vale <${TO}>\nGesendet: Montag, 2. März 2026 10:12\nAn: Maya Lind\nBetreff: Rosa Vale replied\n\n${QUOTED}\n`,
    }),
    expected: 'Sehr gut.',
  },
  {
    name: 'Outlook for iOS',
    raw: eml({
      mailer: 'X-Mailer: Outlook for iOS',
      text: `Will do!\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\nFrom: Rosa Vale <${TO}>\nSent: Monday, March 2, 2026 10:12:00 AM\n\n${QUOTED}\n`,
    }),
    expected: 'Will do!',
  },
  {
    name: 'Thunderbird, plain text, quote below',
    raw: eml({
      mailer: THUNDERBIRD,
      text: `I think a week is fair.\nMaybe less in summer.\n\nOn 02/03/2026 10:12, Rosa Vale wrote:\n${q(QUOTED)}\n`,
    }),
    expected: 'I think a week is fair.\nMaybe less in summer.',
  },
  {
    name: 'Thunderbird with signature',
    raw: eml({ mailer: THUNDERBIRD, text: `Thanks for answering.\n\n-- \nMaya\n\nOn 02/03/2026 10:12, Rosa Vale wrote:\n${q(QUOTED)}\n` }),
    expected: 'Thanks for answering.',
  },
  {
    name: 'Thunderbird HTML with moz-cite-prefix',
    raw: eml({
      mailer: THUNDERBIRD,
      html: '<html><body><p>Quite right.</p><div class="moz-cite-prefix">On 02/03/2026 10:12, Rosa Vale wrote:<br></div><blockquote type="cite" cite="mid:0192@hearth.test">Not that long, Maya.</blockquote></body></html>',
    }),
    expected: 'Quite right.',
  },
  {
    name: 'Thunderbird, interleaved answer keeps her words between quotes',
    raw: eml({
      mailer: THUNDERBIRD,
      text: `On 02/03/2026 10:12, Rosa Vale wrote:\n> Not that long, Maya.\n\nHow long is not that long?\n`,
    }),
    expected: '',
  },
  {
    name: 'Android Gmail app',
    raw: eml({ mailer: ANDROID, text: `Ok 👍\n\nOn Mon, 2 Mar 2026, 10:12 Rosa Vale, <${TO}> wrote:\n\n${q(QUOTED)}\n` }),
    expected: 'Ok 👍',
  },
  {
    name: 'Samsung mail',
    raw: eml({
      mailer: ANDROID,
      text: `Sounds good\n\n\n\nSent from my Galaxy\n\n\n-------- Original message --------\nFrom: Rosa Vale <${TO}>\nDate: 02/03/2026 10:12 (GMT+00:00)\n\n${QUOTED}\n`,
    }),
    expected: 'Sounds good',
  },
  {
    name: 'Yahoo mail',
    raw: eml({
      mailer: 'X-Mailer: WebService/1.1 YMailNorrin',
      text: `Lovely post.\n\nSent from Yahoo Mail on Android\n\n  On Mon, Mar 2, 2026 at 10:12, Rosa Vale<${TO}> wrote:   ${QUOTED}\n`,
    }),
    expected: 'Lovely post.',
  },
  {
    name: 'Proton Mail',
    raw: eml({
      mailer: 'X-Mailer: ProtonMail',
      text: `Thank you.\n\nSent with Proton Mail secure email.\n\nOn Monday, March 2nd, 2026 at 10:12, Rosa Vale <${TO}> wrote:\n\n${q(QUOTED)}\n`,
    }),
    expected: 'Thank you.',
  },
  {
    name: 'Fastmail HTML-only with quote',
    raw: eml({
      mailer: 'User-Agent: Cyrus-JMAP/3.11',
      html: '<!DOCTYPE html><html><body><div>Perfect timing.</div><div><br></div><div>On Mon, 2 Mar 2026, at 10:12, Rosa Vale wrote:</div><blockquote type="cite" id="qt"><div>Not that long, Maya.</div></blockquote></body></html>',
    }),
    expected: 'Perfect timing.',
  },
  {
    name: 'Markdown-ish list survives',
    raw: eml({
      mailer: THUNDERBIRD,
      text: `Three things:\n\n- patience\n- tea\n- a good book\n\nOn 02/03/2026 10:12, Rosa Vale wrote:\n${q(QUOTED)}\n`,
    }),
    expected: 'Three things:\n\n- patience\n- tea\n- a good book',
  },
  {
    name: 'Bottom quote without an attribution line',
    raw: eml({ mailer: THUNDERBIRD, text: `Yes.\n\n${q(QUOTED)}\n` }),
    expected: 'Yes.',
  },
  {
    name: 'No quote, no signature',
    raw: eml({ mailer: THUNDERBIRD, text: 'A plain answer with no quote at all.\n' }),
    expected: 'A plain answer with no quote at all.',
  },
  {
    name: 'Windows line endings and a non-breaking space signature',
    raw: eml({ mailer: OUTLOOK, text: `Ja,\u00a0bitte.\r\n\r\nFrom: Rosa Vale\r\nSent: Monday\r\n\r\n${QUOTED}\r\n` }),
    expected: 'Ja, bitte.',
  },
  {
    name: 'Mail for Windows',
    raw: eml({
      mailer: 'X-Mailer: Microsoft Windows Mail',
      text: `Got it.\n\nSent from Mail for Windows\n\nFrom: Rosa Vale\nSent: 02 March 2026 10:12\nTo: Maya Lind\n\n${QUOTED}\n`,
    }),
    expected: 'Got it.',
  },
  {
    name: 'Spanish Gmail',
    raw: eml({ mailer: GMAIL, text: `¡Gracias!\n\nEl lun, 2 mar 2026 a las 10:12, Rosa Vale (<${TO}>) escribió:\n\n${q(QUOTED)}\n` }),
    expected: '¡Gracias!',
  },
  {
    name: 'Only a quote: nothing new',
    raw: eml({ mailer: GMAIL, text: `On Mon, Mar 2, 2026 at 10:12 AM Rosa Vale wrote:\n${q(QUOTED)}\n` }),
    expected: '',
  },
];
