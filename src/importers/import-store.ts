// The rows an import writes: users, tags, posts, comments, thread summaries and redirects, the same
// tables the post and comment stores keep. Plain functions of (db, args); the caller's transaction.
import { NEW_COMMENT_COLUMNS, recountPublicThreads } from '../comments/comment-store.js';
import { summarizeThread } from '../comments/thread-summary.js';
import { insertRows } from '../db/bulk-insert.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, NewPost, StaffRole, UserRow } from '../db/tables.js';
import { indexPost } from '../search/search-index.js';

export function allUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at').execute();
}

export async function insertUser(db: Db, user: Omit<UserRow, never>): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function userSlugTaken(db: Db, slug: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export async function tagIdBySlug(db: Db, slug: string): Promise<string | undefined> {
  return (await db.selectFrom('tags').select('id').where('slug', '=', slug).executeTakeFirst())?.id;
}

export async function insertTag(db: Db, tag: { id: string; slug: string; name: string }): Promise<void> {
  await db.insertInto('tags').values(tag).execute();
}

export async function linkPostTags(db: Db, postId: string, tagIds: readonly string[]): Promise<void> {
  if (tagIds.length === 0) return;
  await db
    .insertInto('post_tags')
    .values(tagIds.map((tagId, position) => ({ post_id: postId, tag_id: tagId, position })))
    .onConflict((oc) => oc.columns(['post_id', 'tag_id']).doNothing())
    .execute();
}

export function findPostBySource(db: Db, source: string, sourceId: string) {
  return db.selectFrom('posts').select(['id', 'slug']).where('source', '=', source).where('source_id', '=', sourceId).executeTakeFirst();
}

export function findPostById(db: Db, id: string) {
  return db.selectFrom('posts').select(['id', 'slug']).where('id', '=', id).executeTakeFirst();
}

/** Comments by id (those a Hearth export names). */
export function commentsByIds(db: Db, ids: readonly string[]): Promise<KnownComment[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('comments').select(['id', 'source_id', 'root_id', 'depth', 'post_id']).where('id', 'in', ids).execute();
}

export function findPostBySlug(db: Db, slug: string) {
  return db.selectFrom('posts').select(['id', 'slug', 'status']).where('slug', '=', slug).executeTakeFirst();
}

export async function postSlugTaken(db: Db, slug: string): Promise<boolean> {
  return (await findPostBySlug(db, slug)) !== undefined;
}

export async function insertPost(db: Db, post: NewPost & { source_format: 'markdown' | 'html' }): Promise<void> {
  await db.insertInto('posts').values(post).execute();
}

/**
 * Keeps the post's full-text entry in step (src/db/full-text.ts). A post just created (`created`)
 * has no entry to replace: finding one by post id reads the whole table, which made an import's
 * time grow with the square of its posts.
 */
export async function indexPostForSearch(
  db: Db,
  post: { id: string; title: string; excerpt: string; body: string },
  created = false,
): Promise<void> {
  await indexPost(db, { id: post.id, title: post.title, excerpt: post.excerpt, markdown: post.body }, created);
}

export interface KnownComment {
  id: string;
  source_id: string | null;
  root_id: string;
  depth: number;
  post_id: string;
}

/** The comments of this source already stored, among the given source ids. */
export function commentsBySource(db: Db, source: string, sourceIds: readonly string[]): Promise<KnownComment[]> {
  if (sourceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('comments')
    .select(['id', 'source_id', 'root_id', 'depth', 'post_id'])
    .where('source', '=', source)
    .where('source_id', 'in', sourceIds)
    .execute();
}

/** Every column an imported comment gives a value for: a written one's, and the format of its text. */
const COMMENT_COLUMNS = [...NEW_COMMENT_COLUMNS, 'source_format'] as const;

/** An imported comment's row: every column given, the text's format said. */
export type ImportedComment = Omit<CommentRow, 'source_format'> & { source_format: 'markdown' | 'html' };

export async function insertComments(db: Db, rows: readonly ImportedComment[]): Promise<void> {
  await insertRows(db, 'comments', COMMENT_COLUMNS, rows);
  // The dashboard's kept days (migration 028) are all stale after an import: its comments move
  // no day's mark one by one, so every day's mark (day -1) moves once per batch.
  await db
    .insertInto('comment_day_marks')
    .values({ day: -1, mark: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ mark: eb('comment_day_marks.mark', '+', 1) })))
    .execute();
}

/**
 * Rebuilds a post's thread summaries, its count of published public comments and its count of
 * threads readers see from its comment rows, with the same rule every comment write uses
 * (summarizeThread). A thread whose reader has waited since before `leaveOutBefore` (an old
 * conversation moving in) is marked as needing no reply up to then, as staff would mark it, so the
 * inbox shows only what is recent; returns how many threads were left out so.
 */
export async function refreshPostConversation(db: Db, postId: string, leaveOutBefore: number | null = null): Promise<number> {
  const rows = await db
    .selectFrom('comments')
    .select(['id', 'root_id', 'status', 'visibility', 'staff_user_id', 'kind', 'created_at'])
    .where('post_id', '=', postId)
    .orderBy('root_id')
    .execute();
  const marks = new Map(
    (await db.selectFrom('threads').select(['root_id', 'dismissed_at']).where('post_id', '=', postId).execute()).map((t) => [
      t.root_id,
      t.dismissed_at,
    ]),
  );
  const byRoot = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byRoot.get(row.root_id);
    if (list) list.push(row);
    else byRoot.set(row.root_id, [row]);
  }
  let leftOut = 0;
  const threads = [...byRoot].map(([rootId, list]) => {
    const dismissedAt = marks.get(rootId) ?? null;
    const summary = summarizeThread(list, dismissedAt);
    if (leaveOutBefore === null || summary.awaiting_since === null || summary.awaiting_since > leaveOutBefore) {
      return { root_id: rootId, post_id: postId, dismissed_at: dismissedAt, ...summary };
    }
    // Counted again from the mark: a reader's words after it still wait.
    leftOut++;
    return { root_id: rootId, post_id: postId, dismissed_at: leaveOutBefore, ...summarizeThread(list, leaveOutBefore) };
  });
  for (let i = 0; i < threads.length; i += 200) {
    await db
      .insertInto('threads')
      .values(threads.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column('root_id').doUpdateSet((eb) => ({
          post_id: eb.ref('excluded.post_id'),
          dismissed_at: eb.ref('excluded.dismissed_at'),
          last_reader_at: eb.ref('excluded.last_reader_at'),
          last_staff_at: eb.ref('excluded.last_staff_at'),
          awaiting_since: eb.ref('excluded.awaiting_since'),
          awaiting_comment_id: eb.ref('excluded.awaiting_comment_id'),
          reply_count: eb.ref('excluded.reply_count'),
          public_count: eb.ref('excluded.public_count'),
        })),
      )
      .execute();
  }
  const publicCount = rows.filter((r) => r.status === 'published' && r.visibility === 'public').length;
  await db.updateTable('posts').set({ comment_count: publicCount }).where('id', '=', postId).execute();
  await recountPublicThreads(db, postId);
  return leftOut;
}

/** The threads an import left out of the inbox (marked at exactly `leftOutBefore`). */
export function threadsLeftOut(db: Db, leftOutBefore: number) {
  return db.selectFrom('threads').select(['root_id', 'post_id']).where('dismissed_at', '=', leftOutBefore).execute();
}

export async function insertRedirect(db: Db, fromPath: string, toPath: string): Promise<boolean> {
  const result = await db
    .insertInto('redirects')
    .values({ from_path: fromPath, to_path: toPath, code: 301 })
    .onConflict((oc) => oc.column('from_path').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function findRedirect(db: Db, paths: readonly string[]) {
  if (paths.length === 0) return Promise.resolve(undefined);
  return db.selectFrom('redirects').select(['from_path', 'to_path', 'code']).where('from_path', 'in', paths).executeTakeFirst();
}

export type { StaffRole };
