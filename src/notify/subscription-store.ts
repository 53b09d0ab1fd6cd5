// Subscriptions (who asked for which emails) and suppressions (who wants none). Callers own the
// transaction. Addresses are stored lower-cased.
import type { Db } from '../db/connect.js';
import type { SubscriptionRow, SubscriptionStatus } from '../db/tables.js';
import { newId } from '../ids.js';

export function findSubscription(db: Db, email: string, scope: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('email', '=', email).where('scope', '=', scope).executeTakeFirst();
}

export function findSubscriptionByTokenHash(db: Db, tokenHash: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('subscriptions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function insertSubscription(
  db: Db,
  s: { email: string; scope: string; status: SubscriptionStatus; tokenHash: string | null; source: string; now: number },
): Promise<SubscriptionRow> {
  const row: SubscriptionRow = {
    id: newId(s.now),
    email: s.email,
    scope: s.scope,
    status: s.status,
    token_hash: s.tokenHash,
    source: s.source,
    requested_at: s.now,
    created_at: s.now,
    confirmed_at: s.status === 'confirmed' ? s.now : null,
    unsubscribed_at: null,
  };
  await db
    .insertInto('subscriptions')
    .values(row)
    .onConflict((oc) => oc.columns(['email', 'scope']).doNothing())
    .execute();
  return (await findSubscription(db, s.email, s.scope)) ?? row;
}

/** A fresh request to confirm: a new token replaces any earlier one. */
export async function markRequested(db: Db, id: string, tokenHash: string, now: number): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ status: 'unconfirmed', token_hash: tokenHash, requested_at: now })
    .where('id', '=', id)
    .execute();
}

export async function markConfirmed(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ status: 'confirmed', token_hash: null, confirmed_at: now, unsubscribed_at: null })
    .where('id', '=', id)
    .execute();
}

/** Unsubscribes one scope, creating the row if needed so that the choice is remembered. */
export async function markUnsubscribed(db: Db, email: string, scope: string, now: number): Promise<void> {
  const existing = await findSubscription(db, email, scope);
  if (!existing) {
    await insertSubscription(db, { email, scope, status: 'unsubscribed', tokenHash: null, source: 'unsubscribe', now });
  }
  await db
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', token_hash: null, unsubscribed_at: now })
    .where('email', '=', email)
    .where('scope', '=', scope)
    .execute();
}

/** Unsubscribes every scope of an address (the first step of "unsubscribe from all"). */
export async function unsubscribeEverything(db: Db, email: string, now: number): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', token_hash: null, unsubscribed_at: now })
    .where('email', '=', email)
    .where('status', '!=', 'unsubscribed')
    .execute();
}

export async function deleteSubscriptionsOf(db: Db, email: string): Promise<void> {
  await db.deleteFrom('subscriptions').where('email', '=', email).execute();
}

/** Confirmed addresses of a scope, in address order, after `after`: a batch of a fan-out. */
export async function confirmedEmails(db: Db, scope: string, args: { after?: string | undefined; limit: number }): Promise<string[]> {
  let q = db.selectFrom('subscriptions').select('email').where('scope', '=', scope).where('status', '=', 'confirmed');
  if (args.after !== undefined) q = q.where('email', '>', args.after);
  const rows = await q.orderBy('email').limit(args.limit).execute();
  return rows.map((r) => r.email);
}

/** A page of a scope's subscriptions in address order, with the exact total. */
export async function listSubscriptions(
  db: Db,
  args: { scope: string; status?: SubscriptionStatus | undefined; after?: string | undefined; limit: number },
): Promise<{ rows: SubscriptionRow[]; total: number }> {
  let q = db.selectFrom('subscriptions').where('scope', '=', args.scope);
  if (args.status) q = q.where('status', '=', args.status);
  const count = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  let page = q.selectAll();
  if (args.after !== undefined) page = page.where('email', '>', args.after);
  const rows = await page.orderBy('email').limit(args.limit).execute();
  return { rows, total: Number(count.n) };
}

export async function isSuppressed(db: Db, email: string): Promise<boolean> {
  const row = await db.selectFrom('email_suppressions').select('email').where('email', '=', email).executeTakeFirst();
  return row !== undefined;
}

export async function suppress(db: Db, email: string, reason: string, now: number): Promise<void> {
  await db
    .insertInto('email_suppressions')
    .values({ email, reason, created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

/** Lifts a suppression: only when the address itself confirms a new subscription. */
export async function unsuppress(db: Db, email: string): Promise<void> {
  await db.deleteFrom('email_suppressions').where('email', '=', email).execute();
}
