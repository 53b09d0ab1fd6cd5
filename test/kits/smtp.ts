// A real SMTP server for tests, in this process on 127.0.0.1, that parses what it receives. It can
// be told to refuse the next recipients or messages, as a real server does when it is in trouble.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  port: number;
  /** Every accepted message, parsed, in arrival order. */
  messages: ParsedMail[];
  /** Refuse the next `n` RCPT TO commands with a temporary 451 error. */
  refuseRecipients(n: number): void;
  /** Refuse the next `n` messages after DATA with a 451. */
  refuseData(n: number): void;
  /** Resolves once `n` messages have been accepted in all. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

function tempFailure(message: string): Error {
  return Object.assign(new Error(message), { responseCode: 451 });
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  let refuseRcpt = 0;
  let refuseMsg = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuseRcpt > 0) {
        refuseRcpt--;
        return callback(tempFailure('Mailbox temporarily unavailable'));
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuseMsg > 0) {
          refuseMsg--;
          return callback(tempFailure('Try again later'));
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            messages.push(parsed);
            for (const w of waiters.filter((w) => messages.length >= w.n)) w.resolve();
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    refuseRecipients: (n) => {
      refuseRcpt = n;
    },
    refuseData: (n) => {
      refuseMsg = n;
    },
    waitFor(n, timeoutMs = 20_000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${n} messages arrived`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header of a parsed message as sent (unfolded), or '' when absent. */
export function header(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  if (!line) return '';
  return line.line
    .slice(line.line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** The first address a message was sent to. */
export function recipient(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address ?? '';
}

/** Links in a message's text part that point at the site. */
export function linksIn(mail: ParsedMail, base: string): string[] {
  return [...(mail.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]).filter((u) => u.startsWith(base));
}
