// Email: who asked to hear from the site (subscriptions, double opt-in) and who never wants to
// again (suppressions). Delivery itself rides on the outbox of 001-core.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    // newsletter | thread:<root_id> | post:<id> | notify:<what> (a staff member's own notices)
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // SHA-256 of the pending confirmation token; null once confirmed.
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('form'))
    // When a confirmation was last asked for: one per address and scope per few minutes.
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('unsubscribed_at', 'bigint')
    .addUniqueConstraint('subscriptions_email_scope_uq', ['email', 'scope'])
    .execute();
  // Fan-out reads the confirmed subscribers of one scope in email order (newsletter batches).
  await db.schema.createIndex('subscriptions_scope_idx').on('subscriptions').columns(['scope', 'status', 'email']).execute();

  // "Unsubscribe from all": checked at send time, whatever was queued before.
  await db.schema
    .createTable('email_suppressions')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Expired leases are found among rows being sent.
  await db.schema.createIndex('outbox_lease_idx').on('outbox').columns(['claimed_at']).where(sql.ref('status'), '=', 'sending').execute();
}
