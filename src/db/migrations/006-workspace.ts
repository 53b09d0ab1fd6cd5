// The author's workspace: failed sign-ins (throttling shared by every process) and single-use
// account links (password resets and staff invitations). Sessions live in 001-core.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // Counting the failures of one address (or one email) in the last minutes is one index range.
  await db.schema.createIndex('sign_in_failures_email_idx').on('sign_in_failures').columns(['email', 'created_at']).execute();
  await db.schema.createIndex('sign_in_failures_ip_idx').on('sign_in_failures').columns(['ip', 'created_at']).execute();

  await db.schema
    .createTable('account_links')
    // SHA-256 of the token sent by email: a database leak gives no working link.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('account_links_user_idx').on('account_links').column('user_id').execute();
}
