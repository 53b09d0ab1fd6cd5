// Posts, their tags, redirects and search rows. Plain functions of (db, args); callers own transactions.
import type { ExpressionBuilder } from 'kysely';
import { compiledStatement } from '../db/compiled-statement.js';
import type { Db } from '../db/connect.js';
import {
  type Database,
  EXTERNAL_KIND,
  type NewPost,
  POST_KINDS,
  type PostKind,
  type PostPatch,
  type PostRow,
  type PostStatus,
  type PostsTable,
  type TagRow,
} from '../db/tables.js';
import { indexPost, unindexPost } from '../search/search-index.js';

// A scheduled post becomes visible the moment its time comes, with no job to run (and none to miss
// across a restart): readers see published posts and scheduled ones whose time has passed.
const VISIBLE_STATUSES = ['published', 'scheduled'] as const;

/** What readers may see at `now`, as a where-clause over posts. */
export const visibleAt = (now: number) => (eb: ExpressionBuilder<Database, 'posts'>) =>
  eb.and([eb('posts.status', 'in', VISIBLE_STATUSES), eb('posts.published_at', '<=', now)]);

export async function insertPost(db: Db, post: NewPost): Promise<void> {
  await db.insertInto('posts').values(post).execute();
}

export async function updatePost(db: Db, id: string, patch: PostPatch): Promise<void> {
  await db.updateTable('posts').set(patch).where('id', '=', id).execute();
}

export async function deletePost(db: Db, id: string): Promise<void> {
  await db.deleteFrom('posts').where('id', '=', id).execute();
}

export function findPostById(db: Db, id: string): Promise<PostRow | undefined> {
  return db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function slugInUse(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('posts').select('id').where('slug', '=', slug);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export interface PublishedQuery {
  kind: PostKind;
  now: number;
  limit: number;
  offset: number;
  tagId?: string;
  authorId?: string;
  /** [from, to) epoch ms, for the archive. */
  between?: [number, number];
}

function publishedQuery(db: Db, q: Omit<PublishedQuery, 'limit' | 'offset'>) {
  let qb = db.selectFrom('posts').where('posts.kind', '=', q.kind).where(visibleAt(q.now));
  if (q.tagId) {
    const tagId = q.tagId;
    qb = qb.where((eb) =>
      eb.exists(
        eb
          .selectFrom('post_tags')
          .select('post_tags.post_id')
          .whereRef('post_tags.post_id', '=', 'posts.id')
          .where('post_tags.tag_id', '=', tagId),
      ),
    );
  }
  if (q.authorId) qb = qb.where('posts.author_id', '=', q.authorId);
  if (q.between) qb = qb.where('posts.published_at', '>=', q.between[0]).where('posts.published_at', '<', q.between[1]);
  return qb;
}

/**
 * Published posts, newest first: what readers see. The page's ids are found first: sorting whole
 * rows (bodies included) to keep ten of them costs more than fetching the ten again by id.
 */
export async function listPublished(db: Db, q: PublishedQuery): Promise<PostRow[]> {
  const ids = (
    await publishedQuery(db, q)
      .select('posts.id')
      .orderBy('posts.published_at', 'desc')
      .orderBy('posts.id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('posts').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
}

export async function countPublished(db: Db, q: Omit<PublishedQuery, 'limit' | 'offset'>): Promise<number> {
  const row = await publishedQuery(db, q)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A post's own columns, named: a statement prepared on each connection must not select `*` (a
 * column a migration adds would fail a process of the version before during a rolling upgrade),
 * and PostgreSQL's search column, the whole post again as a tsvector, is never read back.
 */
export const POST_COLUMNS = [
  'id',
  'kind',
  'slug',
  'title',
  'markdown',
  'html',
  'excerpt',
  'custom_excerpt',
  'status',
  'published_at',
  'author_id',
  'comments_mode',
  'comments_close_days',
  'comment_count',
  'public_thread_count',
  'cover_image',
  'meta_title',
  'meta_description',
  'sticky',
  'source_format',
  'source',
  'source_id',
  'created_at',
  'updated_at',
  'language',
  'site_id',
  'external_url',
] as const satisfies readonly (keyof PostsTable)[];
// A column added to PostsTable and not to the list above fails the type check here.
const everyPostColumn: [Exclude<keyof PostsTable, (typeof POST_COLUMNS)[number]>] extends [never] ? true : never = true;
void everyPostColumn;

/**
 * A post as a comment is written on it: all but its text. The writing needs its address, state and
 * counts, never its words, which for a long post are most of its row (and the form turned back reads
 * the whole post again, to show it).
 */
const POST_WORDS = ['markdown', 'html'] as const;
type PostWords = (typeof POST_WORDS)[number];
export type PostToWriteOn = Omit<PostRow, PostWords>;
export const POST_COLUMNS_TO_WRITE_ON = POST_COLUMNS.filter(
  (column): column is Exclude<(typeof POST_COLUMNS)[number], PostWords> => !(POST_WORDS as readonly string[]).includes(column),
);

// Every page view reads its post this way (a comment sent with the post's form reads it with the
// writer's history: findPostWithWriterHistory).
const publishedBySlug = compiledStatement<{ slug: string; now: number }, PostRow>((db, value) =>
  db
    .selectFrom('posts')
    .select([...POST_COLUMNS])
    .where('slug', '=', value('slug'))
    .where('posts.status', 'in', VISIBLE_STATUSES)
    .where('posts.published_at', '<=', value('now')),
);

export async function findPublishedBySlug(db: Db, slug: string, now: number): Promise<PostRow | undefined> {
  return (await publishedBySlug(db, { slug, now })).rows[0];
}

/** The published post just before and just after `post` in time (same kind). */
export async function adjacentPosts(db: Db, post: Pick<PostRow, 'id' | 'kind' | 'published_at'>, now: number) {
  // (published_at, id) orders posts with the same time; the row comparison walks posts_timeline_idx.
  const here = [post.published_at ?? 0, post.id] as const;
  const base = () =>
    db.selectFrom('posts').select(['posts.slug', 'posts.title']).where('posts.kind', '=', post.kind).where(visibleAt(now)).limit(1);
  const [previous, next] = await Promise.all([
    base()
      .where((eb) => eb(eb.refTuple('posts.published_at', 'posts.id'), '<', eb.tuple(...here)))
      .orderBy('posts.published_at', 'desc')
      .orderBy('posts.id', 'desc')
      .executeTakeFirst(),
    base()
      .where((eb) => eb(eb.refTuple('posts.published_at', 'posts.id'), '>', eb.tuple(...here)))
      .orderBy('posts.published_at', 'asc')
      .orderBy('posts.id', 'asc')
      .executeTakeFirst(),
  ]);
  return { previous, next };
}

/** When the next scheduled post becomes visible (epoch ms), or null when none is waiting. */
export async function nextScheduledAt(db: Db, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('posts')
    .select((eb) => eb.fn.min('published_at').as('at'))
    .where('kind', 'in', POST_KINDS)
    .where('status', '=', 'scheduled')
    .where('published_at', '>', now)
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

export async function countPosts(db: Db): Promise<number> {
  const row = await db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface AdminPostQuery {
  kind?: PostKind;
  status?: PostStatus;
  authorId?: string;
  /** Only what an author may read: her own posts, and others' once readers see them at `now`. */
  readableBy?: { authorId: string; now: number };
  limit: number;
  /** Keyset: the (updated_at, id) of the last item of the previous page. */
  after?: { updatedAt: number; id: string };
}

/** The posts an AdminPostQuery selects, before paging. */
function adminPosts(db: Db, q: Omit<AdminPostQuery, 'limit' | 'after'>) {
  let base = db.selectFrom('posts');
  // Other sites' pages (src/sites) are conversations, not writing: listed only when asked for.
  base = q.kind ? base.where('kind', '=', q.kind) : base.where('kind', '<>', EXTERNAL_KIND);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.authorId) base = base.where('author_id', '=', q.authorId);
  if (q.readableBy) {
    const { authorId, now } = q.readableBy;
    base = base.where((eb) => eb.or([eb('posts.author_id', '=', authorId), visibleAt(now)(eb)]));
  }
  return base;
}

/** Every post for the workspace and the API, most recently changed first. */
export async function listForAdmin(db: Db, q: AdminPostQuery): Promise<{ rows: PostRow[]; total: number }> {
  let page = adminPosts(db, q).selectAll();
  if (q.after) {
    const { updatedAt, id } = q.after;
    page = page.where((eb) => eb.or([eb('updated_at', '<', updatedAt), eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)])]));
  }
  const [rows, total] = await Promise.all([
    page.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute(),
    countForAdmin(db, q),
  ]);
  return { rows, total };
}

/** How many posts an AdminPostQuery selects (the dashboard's counts). */
export async function countForAdmin(db: Db, q: Omit<AdminPostQuery, 'limit' | 'after'>): Promise<number> {
  const row = await adminPosts(db, q)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Finds each tag by slug, creating the missing ones, and links them to the post in order. */
export async function setPostTags(db: Db, postId: string, tags: { slug: string; name: string; id: string }[]): Promise<void> {
  await db.deleteFrom('post_tags').where('post_id', '=', postId).execute();
  for (const [position, tag] of tags.entries()) {
    await db
      .insertInto('tags')
      .values(tag)
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    const stored = await db.selectFrom('tags').select('id').where('slug', '=', tag.slug).executeTakeFirstOrThrow();
    await db.insertInto('post_tags').values({ post_id: postId, tag_id: stored.id, position }).execute();
  }
}

export function tagsOfPost(db: Db, postId: string): Promise<TagRow[]> {
  return db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['tags.id', 'tags.slug', 'tags.name'])
    .where('post_tags.post_id', '=', postId)
    .orderBy('post_tags.position')
    .execute();
}

/** The tags of many posts at once, by post id. */
export async function tagsOfPosts(db: Db, postIds: readonly string[]): Promise<Map<string, TagRow[]>> {
  const byPost = new Map<string, TagRow[]>();
  if (postIds.length === 0) return byPost;
  const rows = await db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['post_tags.post_id', 'tags.id', 'tags.slug', 'tags.name'])
    .where('post_tags.post_id', 'in', postIds)
    .orderBy('post_tags.position')
    .execute();
  for (const { post_id, ...tag } of rows) {
    const list = byPost.get(post_id) ?? [];
    list.push(tag);
    byPost.set(post_id, list);
  }
  return byPost;
}

export function findTagBySlug(db: Db, slug: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Published posts per month, newest month first, for the archive. */
export async function monthsWithPosts(db: Db, now: number): Promise<{ year: number; month: number; count: number }[]> {
  const rows = await db
    .selectFrom('posts')
    .select('published_at')
    .where('kind', '=', 'post')
    .where(visibleAt(now))
    .orderBy('published_at', 'desc')
    .execute();
  // Grouping in the app keeps the SQL portable (no strftime/date_trunc); the archive is small.
  const months: { year: number; month: number; count: number }[] = [];
  for (const { published_at } of rows) {
    const d = new Date(published_at ?? 0);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const last = months.at(-1);
    if (last && last.year === year && last.month === month) last.count += 1;
    else months.push({ year, month, count: 1 });
  }
  return months;
}

export async function insertRedirect(db: Db, fromPath: string, toPath: string, code = 301): Promise<void> {
  await db
    .insertInto('redirects')
    .values({ from_path: fromPath, to_path: toPath, code })
    .onConflict((oc) => oc.column('from_path').doUpdateSet({ to_path: toPath, code }))
    .execute();
  // A chain a -> b -> c collapses to a -> c, so every old address answers in one hop.
  await db.updateTable('redirects').set({ to_path: toPath }).where('to_path', '=', fromPath).execute();
}

export async function deleteRedirect(db: Db, fromPath: string): Promise<void> {
  await db.deleteFrom('redirects').where('from_path', '=', fromPath).execute();
}

/** A deleted post's address: it answers 410 Gone until a post takes it again. */
export async function markGone(db: Db, path: string, now: number): Promise<void> {
  await db
    .insertInto('posts_gone')
    .values({ path, deleted_at: now })
    .onConflict((oc) => oc.column('path').doUpdateSet({ deleted_at: now }))
    .execute();
}

export async function clearGone(db: Db, path: string): Promise<void> {
  await db.deleteFrom('posts_gone').where('path', '=', path).execute();
}

export async function isGone(db: Db, path: string): Promise<boolean> {
  return (await db.selectFrom('posts_gone').select('path').where('path', '=', path).executeTakeFirst()) !== undefined;
}

export function findRedirect(db: Db, fromPath: string) {
  return db.selectFrom('redirects').select(['to_path', 'code']).where('from_path', '=', fromPath).executeTakeFirst();
}

/**
 * Keeps the SQLite FTS5 table in step with a post, its words stemmed in the site's language
 * (src/search/search-index.ts); PostgreSQL's tsvector column is generated by the database.
 */
export async function syncPostSearch(db: Db, post: Pick<PostRow, 'id' | 'title' | 'excerpt' | 'markdown'>): Promise<void> {
  await indexPost(db, post);
}

export async function dropPostSearch(db: Db, postId: string): Promise<void> {
  await unindexPost(db, postId);
}
