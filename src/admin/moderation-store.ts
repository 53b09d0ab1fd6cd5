// The posts the moderation queue's comments sit under. The comments themselves are read through
// CommentQueries (src/comments/comment-queries.ts) and changed through the staff comment service.
import type { Db } from '../db/connect.js';

// The queue's tabs belong to the comments' query surface; named here too for the pages.
export { QUEUE_TABS, type QueueTab } from '../comments/comment-queries.js';

export interface QueuePost {
  id: string;
  slug: string;
  title: string;
  author_id: string;
}

export async function postsById(db: Db, ids: readonly string[]): Promise<Map<string, QueuePost>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('posts').select(['id', 'slug', 'title', 'author_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((p) => [p.id, p]));
}
