// The authors of the posts an inbox page shows. The waiting threads, their count and the "no reply
// needed" mark are the comments' own (CommentQueries and the staff comment service).
import type { Db } from '../db/connect.js';

/** Who wrote each of these posts: whose older posts are suggested beside a reply. */
export async function postAuthors(db: Db, postIds: readonly string[]): Promise<Map<string, string>> {
  if (postIds.length === 0) return new Map();
  const rows = await db.selectFrom('posts').select(['id', 'author_id']).where('id', 'in', postIds).execute();
  return new Map(rows.map((r) => [r.id, r.author_id]));
}
