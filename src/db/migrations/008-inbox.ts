// The author's inbox: "no reply needed" is kept on the thread, so that a reader's later words bring
// the thread back while what was already read stays dismissed.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // When staff last marked the thread as needing no reply: reader comments written up to then await nothing.
  await db.schema.alterTable('threads').addColumn('dismissed_at', 'bigint').execute();
}
