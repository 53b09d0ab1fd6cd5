// A reader's data: she asks for a link by email, and with it downloads her comments or erases
// her personal data (comments kept anonymous, or removed).
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { NotFoundError, TooManyError } from '../errors.js';
import { newId } from '../ids.js';
import { countHit } from '../moderation/rate-limit-store.js';
import { readReaderDataToken } from './links.js';
import { enqueueMail } from './mail-payloads.js';
import { anonymizeReaderComments, countReaderComments, readerComments, removeReaderComments } from './reader-data-store.js';
import { readerAddress } from './subscription-service.js';
import { deleteSubscriptionsOf } from './subscription-store.js';

export type EraseMode = 'anonymize' | 'remove';

export interface ReaderDataExport {
  email: string;
  exportedAt: string;
  comments: {
    id: string;
    post: { slug: string; title: string };
    parentId: string | null;
    status: string;
    visibility: string;
    authorName: string;
    authorUrl: string | null;
    markdown: string;
    createdAt: string;
    editedAt: string | null;
  }[];
}

export interface ReaderDataService {
  /** Emails a link when the address wrote comments here; says nothing either way (no probing). */
  requestLink(email: string, address: string | null): Promise<void>;
  /** The address a link stands for; throws when it is forged or expired. */
  emailFor(token: string | undefined): Promise<string>;
  /** How many comments the link's address wrote here. */
  overview(token: string | undefined): Promise<{ comments: number }>;
  exportData(token: string | undefined): Promise<ReaderDataExport>;
  erase(token: string | undefined, mode: EraseMode): Promise<{ comments: number }>;
}

const HOUR = 60 * 60 * 1000;

export function createReaderDataService(deps: { db: Db; clock: Clock; secret: () => Promise<string> }): ReaderDataService {
  const { db, clock } = deps;

  async function emailFor(token: string | undefined): Promise<string> {
    const email = readReaderDataToken(await deps.secret(), token, clock.now());
    if (!email)
      throw new NotFoundError('This link has expired or is not complete. Ask for a new one at /my-data.').saying({
        message: { key: 'link.dataExpired' },
      });
    return email;
  }

  return {
    async requestLink(raw, address) {
      const email = readerAddress(raw);
      const now = clock.now();
      const window = Math.floor(now / HOUR) * HOUR;
      // Per address and per sender, so the form cannot be used to flood an inbox.
      const [forEmail, forSender] = await Promise.all([
        countHit(db, `my-data:${email}`, window),
        address ? countHit(db, `my-data-ip:${address}`, window) : Promise.resolve(0),
      ]);
      if (forEmail > 3 || forSender > 10)
        throw new TooManyError('Too many requests for now. Please try again in an hour.', Math.ceil((window + HOUR - now) / 1000)).saying({
          message: { key: 'limit.hour' },
        });
      if ((await countReaderComments(db, email)) === 0) return;
      await enqueueMail(db, { type: 'reader-data', to: email }, `reader-data:${email}:${newId(now)}`, now);
    },

    emailFor,

    async overview(token) {
      return { comments: await countReaderComments(db, await emailFor(token)) };
    },

    async exportData(token) {
      const email = await emailFor(token);
      const rows = await readerComments(db, email);
      return {
        email,
        exportedAt: new Date(clock.now()).toISOString(),
        comments: rows.map((r) => ({
          id: r.id,
          post: { slug: r.post_slug, title: r.post_title },
          parentId: r.parent_id,
          status: r.status,
          visibility: r.visibility,
          authorName: r.author_name,
          authorUrl: r.author_url,
          markdown: r.markdown,
          createdAt: new Date(r.created_at).toISOString(),
          editedAt: r.edited_at === null ? null : new Date(r.edited_at).toISOString(),
        })),
      };
    },

    async erase(token, mode) {
      const email = await emailFor(token);
      return db.transaction().execute(async (trx) => {
        const comments = mode === 'remove' ? await removeReaderComments(trx, email) : await anonymizeReaderComments(trx, email);
        await deleteSubscriptionsOf(trx, email);
        return { comments };
      });
    },
  };
}
