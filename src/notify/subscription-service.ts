// Subscriptions as readers and staff see them: ask (double opt-in), confirm, unsubscribe, and the
// owner's list with CSV import and export. Rules only; routes and the worker call in.
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { SubscriptionRow, SubscriptionStatus } from '../db/tables.js';
import { InvalidError, NotFoundError } from '../errors.js';
import { hashToken } from '../ids.js';
import { EMAIL_TOO_LONG, MAX_EMAIL_LENGTH } from '../text/email.js';
import { type ConfirmationOutcome, requestConfirmation } from './consent.js';
import { ALL_SCOPES, NEWSLETTER_SCOPE, readUnsubscribeToken, STAFF_SCOPES } from './links.js';
import {
  findSubscription,
  findSubscriptionByTokenHash,
  insertSubscription,
  isSuppressed,
  listSubscriptions,
  markConfirmed,
  markUnsubscribed,
  suppress,
  unsubscribeEverything,
  unsuppress,
} from './subscription-store.js';

/** A plausible address; the confirmation email is the real test. */
export const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export interface SubscriptionService {
  subscribeNewsletter(email: string): Promise<ConfirmationOutcome>;
  /** The subscription a confirmation token belongs to, if it is still waiting. */
  pendingConfirmation(token: string): Promise<SubscriptionRow>;
  confirm(token: string): Promise<SubscriptionRow>;
  /** What an unsubscribe token would stop, for the page that asks "are you sure". */
  readUnsubscribe(token: string | undefined): Promise<{ email: string; scope: string }>;
  unsubscribe(token: string | undefined): Promise<{ email: string; scope: string }>;
  listNewsletter(args: {
    status?: SubscriptionStatus | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<{ rows: SubscriptionRow[]; total: number }>;
  importNewsletterCsv(csv: string): Promise<{ added: number; existing: number; skipped: number; invalid: string[] }>;
  exportNewsletterCsv(): Promise<string>;
  /** A staff member's own notice choices: reader comments, moderation, the daily digest. */
  setStaffNotice(staff: Staff, notice: keyof typeof STAFF_SCOPES, on: boolean): Promise<void>;
  staffNotices(staff: Staff): Promise<Record<keyof typeof STAFF_SCOPES, boolean>>;
}

/** Splits CSV text into rows of fields (quotes, doubled quotes and CRLF handled). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/**
 * The address a reader typed in, trimmed and lower-cased; an InvalidError that speaks her
 * language (the form shows it) when it cannot be one.
 */
export function readerAddress(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH) {
    const said = { key: 'address.tooLong', values: { max: MAX_EMAIL_LENGTH } };
    throw new InvalidError(EMAIL_TOO_LONG, { email: EMAIL_TOO_LONG }).saying({ message: said, fields: { email: said } });
  }
  if (!EMAIL_PATTERN.test(email))
    throw new InvalidError('Please check the address.', { email: 'must be an address like name@example.com' }).saying({
      message: { key: 'address.check' },
      fields: { email: { key: 'address.like' } },
    });
  return email;
}

const usedLink = () =>
  new NotFoundError('This confirmation link was already used or replaced by a newer one.').saying({ message: { key: 'link.confirmUsed' } });

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function createSubscriptionService(deps: { db: Db; clock: Clock; secret: () => Promise<string> }): SubscriptionService {
  const { db, clock } = deps;

  async function tokenTarget(token: string | undefined) {
    const target = readUnsubscribeToken(await deps.secret(), token);
    if (!target)
      throw new NotFoundError('This unsubscribe link is not valid. Copy the whole link from the email, or write to the site.').saying({
        message: { key: 'link.unsubscribeInvalid' },
      });
    return target;
  }

  return {
    async subscribeNewsletter(raw) {
      const email = readerAddress(raw);
      const now = clock.now();
      return db.transaction().execute((trx) =>
        requestConfirmation(trx, {
          email,
          scope: NEWSLETTER_SCOPE,
          source: 'form',
          dedupeKey: `newsletter-confirm:${email}:${now}`,
          now,
          message: (token) => ({ type: 'newsletter-confirm', to: email, token }),
        }),
      );
    },

    async pendingConfirmation(token) {
      const sub = token ? await findSubscriptionByTokenHash(db, hashToken(token)) : undefined;
      if (sub?.status !== 'unconfirmed') throw usedLink();
      return sub;
    },

    async confirm(token) {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const sub = token ? await findSubscriptionByTokenHash(trx, hashToken(token)) : undefined;
        if (sub?.status !== 'unconfirmed') throw usedLink();
        await markConfirmed(trx, sub.id, now);
        // Confirming from her own inbox is a new, explicit yes: it lifts an earlier "stop all".
        await unsuppress(trx, sub.email);
        return { ...sub, status: 'confirmed' as const, confirmed_at: now, token_hash: null };
      });
    },

    readUnsubscribe: tokenTarget,

    async unsubscribe(token) {
      const target = await tokenTarget(token);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (target.scope === ALL_SCOPES) {
          await unsubscribeEverything(trx, target.email, now);
          await suppress(trx, target.email, 'unsubscribed from all', now);
        } else {
          await markUnsubscribed(trx, target.email, target.scope, now);
        }
      });
      return target;
    },

    listNewsletter(args) {
      return listSubscriptions(db, { scope: NEWSLETTER_SCOPE, ...args });
    },

    async importNewsletterCsv(csv) {
      const rows = parseCsv(csv);
      const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
      const column = header.includes('email') ? header.indexOf('email') : 0;
      const body = header.includes('email') ? rows.slice(1) : rows;
      if (body.length > 100_000) throw new InvalidError('Import at most 100,000 addresses at a time.', { body: 'too many rows' });
      const result = { added: 0, existing: 0, skipped: 0, invalid: [] as string[] };
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        for (const row of body) {
          const email = (row[column] ?? '').trim().toLowerCase();
          if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) {
            if (result.invalid.length < 100) result.invalid.push(email.slice(0, MAX_EMAIL_LENGTH));
            continue;
          }
          const existing = await findSubscription(trx, email, NEWSLETTER_SCOPE);
          // Someone who unsubscribed, here or from everything, stays unsubscribed.
          if (existing?.status === 'unsubscribed' || (await isSuppressed(trx, email))) {
            result.skipped++;
            continue;
          }
          if (existing) {
            result.existing++;
            continue;
          }
          // An import moves a list whose consent was given elsewhere: it arrives confirmed.
          await insertSubscription(trx, { email, scope: NEWSLETTER_SCOPE, status: 'confirmed', tokenHash: null, source: 'import', now });
          result.added++;
        }
      });
      return result;
    },

    async exportNewsletterCsv() {
      const lines = ['email,status,subscribed_at,confirmed_at'];
      let after: string | undefined;
      for (;;) {
        const { rows } = await listSubscriptions(db, { scope: NEWSLETTER_SCOPE, after, limit: 1000 });
        for (const r of rows) {
          lines.push(
            [r.email, r.status, new Date(r.created_at).toISOString(), r.confirmed_at ? new Date(r.confirmed_at).toISOString() : '']
              .map(csvField)
              .join(','),
          );
        }
        if (rows.length < 1000) break;
        after = rows[rows.length - 1]?.email;
      }
      return `${lines.join('\r\n')}\r\n`;
    },

    async setStaffNotice(staff, notice, on) {
      const scope = STAFF_SCOPES[notice];
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const existing = await findSubscription(trx, staff.email, scope);
        if (!on) return markUnsubscribed(trx, staff.email, scope, now);
        // Staff choose for themselves while signed in: no confirmation email needed.
        if (!existing)
          await insertSubscription(trx, { email: staff.email, scope, status: 'confirmed', tokenHash: null, source: 'staff', now });
        else await markConfirmed(trx, existing.id, now);
      });
    },

    async staffNotices(staff) {
      const [comments, moderation, digest] = await Promise.all(
        [STAFF_SCOPES.comments, STAFF_SCOPES.moderation, STAFF_SCOPES.digest].map((s) => findSubscription(db, staff.email, s)),
      );
      return {
        comments: comments?.status !== 'unsubscribed',
        moderation: moderation?.status !== 'unsubscribed',
        digest: digest?.status === 'confirmed',
      };
    },
  };
}
