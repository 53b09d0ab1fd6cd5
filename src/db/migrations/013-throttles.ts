// Throttles that must hold under parallel requests and across processes: sign-in attempts counted
// per (account, address), per address and per account in one atomic statement each; the places
// an account has signed in from; and "once per window" marks (a comment form's token per use, a
// program card's click per reader). The failure log of 006 is replaced by the counters.
// Rolling upgrade: needs care. An older process still running after this migration cannot record
// a failed sign-in (its table is gone) and answers that attempt with an error; upgrade the
// processes together, or expect failed sign-ins to error until the old ones are stopped.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sign_in_failures').execute();

  await db.schema
    .createTable('sign_in_counters')
    // SHA-256 of what is counted (the scope, the email, the address): no address is kept readable.
    .addColumn('key', 'text', (c) => c.primaryKey())
    // SHA-256 of the email, so a password reset clears every counter of the account.
    .addColumn('account', 'text')
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_counters_account_idx').on('sign_in_counters').column('account').execute();
  await db.schema.createIndex('sign_in_counters_window_idx').on('sign_in_counters').column('window_start').execute();

  await db.schema
    .createTable('sign_in_addresses')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('last_success_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_addresses_pk', ['user_id', 'address'])
    .execute();

  await db.schema
    .createTable('rate_marks')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('marked_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_marks_marked_idx').on('rate_marks').column('marked_at').execute();
}
