// What other features call to send email, and the owner's view of the outbox. Every function
// queues (optionally inside the caller's transaction); the worker sends.
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { OutboxRow, OutboxStatus } from '../db/tables.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { listMailFiles, type MailFileSummary, readMailFile } from './mail-files.js';
import { enqueueMail } from './mail-payloads.js';
import { findMailUser } from './notify-store.js';
import { listOutbox, requeueParked } from './outbox-store.js';

export interface MailService {
  /** `link` is the accounts feature's one-time reset URL. */
  sendPasswordReset(input: { to: string; name: string; link: string }, trx?: Db): Promise<void>;
  sendInvitation(input: { to: string; name: string; inviterName: string; role: string; link: string }, trx?: Db): Promise<void>;
  sendProgramSignupConfirmation(
    input: { to: string; name: string; programTitle: string; programUrl: string; details?: string | undefined },
    trx?: Db,
  ): Promise<void>;
  /** The awaiting-reply digest for one staff member, now (the daily one is scheduled by the worker). */
  queueAwaitingDigest(staffId: string, trx?: Db): Promise<void>;
  listOutbox(args: { status: OutboxStatus; limit: number; before?: string | undefined }): Promise<{ rows: OutboxRow[]; total: number }>;
  retry(id: string): Promise<OutboxRow>;
  /** Messages written as files (no SMTP_URL). */
  listMailFiles(): Promise<MailFileSummary[]>;
  readMailFile(name: string): Promise<Buffer>;
}

export function createMailService(deps: { db: Db; clock: Clock; mailDir: string }): MailService {
  const { db, clock } = deps;
  // Requested emails are unique per request: a fresh key each call.
  const once = (what: string, to: string) => `${what}:${to.toLowerCase()}:${newId(clock.now())}`;
  return {
    async sendPasswordReset(input, trx = db) {
      await enqueueMail(trx, { type: 'password-reset', ...input }, once('password-reset', input.to), clock.now());
    },
    async sendInvitation(input, trx = db) {
      await enqueueMail(trx, { type: 'invitation', ...input }, once('invitation', input.to), clock.now());
    },
    async sendProgramSignupConfirmation(input, trx = db) {
      const { details, ...rest } = input;
      await enqueueMail(
        trx,
        { type: 'program-signup', ...rest, ...(details ? { details } : {}) },
        once('program-signup', input.to),
        clock.now(),
      );
    },
    async queueAwaitingDigest(staffId, trx = db) {
      const user = await findMailUser(trx, staffId);
      if (!user) throw new NotFoundError('There is no such staff member.');
      await enqueueMail(
        trx,
        { type: 'awaiting-digest', to: user.email, userId: user.id },
        once('awaiting-digest', user.email),
        clock.now(),
      );
    },
    listOutbox: (args) => listOutbox(db, args),
    async retry(id) {
      const row = await requeueParked(db, id, clock.now());
      if (!row) throw new NotFoundError('There is no parked message with this id.');
      return row;
    },
    listMailFiles: () => listMailFiles(deps.mailDir),
    readMailFile: (name) => readMailFile(deps.mailDir, name),
  };
}
