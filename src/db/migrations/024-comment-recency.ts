// Comments newest first across every status: the moderation queue's "All" tab and the admin API's
// list of several statuses, at any size.
//
// comments_moderation_idx (status, created_at) gives one status newest first; several statuses
// were read whole and sorted. At 10 million comments that tab took 6 s for an author (a scan of
// every comment, bench/SCALE.md); walking this index from the newest end, past the comments of
// other posts and statuses, takes 5 ms.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('comments_newest_idx').on('comments').columns(['created_at', 'id']).execute();
}
