// The outbox's due rows in the order workers take them (next_attempt_at, then id), so a claim
// reads its twenty rows off the index and stops. With (status, next_attempt_at) alone, every claim
// read and sorted the whole due backlog, which under a burst of comments grows by the second.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('outbox_due_idx').execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox').columns(['status', 'next_attempt_at', 'id']).execute();
}
