// Door one: an SMTP server of Hearth's own, for a site whose MX record points at it. It takes
// mail only for the reply address (reply+...@domain), refuses anything larger than the limit
// while it arrives, and offers STARTTLS when a certificate is given.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { MAX_MESSAGE_BYTES, type MailInService } from './mailin-service.js';

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** PEM files: with both, STARTTLS is offered. */
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** The name the server greets with. */
  hostname?: string | undefined;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

export async function startSmtpListener(mailIn: MailInService, options: SmtpListenerOptions, log?: Logger): Promise<SmtpListener> {
  const tls =
    options.tlsCert && options.tlsKey ? { cert: fs.readFileSync(options.tlsCert), key: fs.readFileSync(options.tlsKey) } : undefined;
  // Loaded only where the listener is wanted (HEARTH_SMTP_LISTEN).
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    name: options.hostname,
    banner: 'Hearth',
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    size: MAX_MESSAGE_BYTES,
    logger: false,
    async onRcptTo(address, _session, callback) {
      try {
        if (await mailIn.acceptsRecipient(address.address)) return callback();
        callback(Object.assign(new Error('No such recipient here'), { responseCode: 550 }));
      } catch (err) {
        callback(Object.assign(new Error('Try again later'), { responseCode: 451, cause: err }));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
        }
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mailIn.receive(Buffer.concat(chunks), 'smtp', { from, to: session.envelope.rcptTo.map((r) => r.address) }).then(
          // Accepted whatever became of it: a refused message is kept and answered, not bounced.
          () => callback(),
          (err: unknown) => {
            log?.error({ err }, 'incoming mail not handled');
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => log?.warn({ err }, 'SMTP listener'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
