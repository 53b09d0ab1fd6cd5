// Door three: an existing mailbox polled over IMAP, for a site without its own mail server. Every
// message in the folder is received and then moved to the "handled" folder, so a message is
// handled once even if the process stops halfway (the move comes after the receipt; a repeat is
// recognised by its Message-ID). On PostgreSQL only one process polls at a time.
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import { inExclusiveTurn } from '../db/exclusive-turn.js';
import { createNap } from '../nap.js';
import type { MailInService } from './mailin-service.js';

export interface ImapOptions {
  /** imap://user:password@host:port/INBOX or imaps://... */
  url: string;
  /** Where handled messages go (made when missing). */
  doneFolder: string;
  pollSeconds: number;
}

export interface ImapPoller {
  /** One round: receives what waits, returns how many messages it handled (0 when another process polled). */
  pollOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function parseImapUrl(url: string) {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export function createImapPoller(deps: { db: Db; mailIn: MailInService; log?: Logger | undefined }, options: ImapOptions): ImapPoller {
  const target = parseImapUrl(options.url);
  let stopping = false;
  let running: Promise<void> | undefined;
  const nap = createNap();

  async function round(): Promise<number> {
    // Loaded at the first round: only a site that polls a mailbox needs the IMAP client.
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.pass },
      logger: false,
    });
    let handled = 0;
    await client.connect();
    try {
      const folders = await client.list();
      if (!folders.some((f) => f.path === options.doneFolder)) await client.mailboxCreate(options.doneFolder);
      const lock = await client.getMailboxLock(target.mailbox);
      try {
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        for (const uid of uids) {
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (message === false || !message.source) continue;
          await deps.mailIn.receive(message.source, 'imap');
          await client.messageMove(String(uid), options.doneFolder, { uid: true });
          handled++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return handled;
  }

  async function pollOnce(): Promise<number> {
    let handled = 0;
    await inExclusiveTurn(deps.db, 'hearth:imap-poll', async () => {
      handled = await round();
    });
    return handled;
  }

  async function loop() {
    while (!stopping) {
      try {
        const n = await pollOnce();
        if (n > 0) deps.log?.info({ messages: n }, 'mailbox polled');
      } catch (err) {
        deps.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'mailbox not polled');
      }
      if (stopping) break;
      await nap.sleep(options.pollSeconds * 1000);
    }
  }

  return {
    pollOnce,
    start() {
      stopping = false;
      running ??= loop().finally(() => {
        running = undefined;
      });
    },
    async stop() {
      stopping = true;
      nap.wake();
      await running;
    },
  };
}
