// What feeds and the sitemap read. Plain functions of (db, args).
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect.js';
import { type Database, EXTERNAL_KIND, type PostKind, type TagRow } from '../db/tables.js';

// The same rule as the post pages (src/posts/post-store.ts): published posts, and scheduled ones
// whose time has come. A feed must never show what the page would answer with a 404.
const visibleAt = (now: number) => (eb: ExpressionBuilder<Database, 'posts'>) =>
  eb.and([eb('posts.status', 'in', ['published', 'scheduled']), eb('posts.published_at', '<=', now)]);

export interface FeedPostRow {
  id: string;
  slug: string;
  title: string;
  html: string;
  excerpt: string;
  published_at: number;
  updated_at: number;
  author_name: string;
  author_slug: string;
}

/** The newest visible posts (kind post), optionally of one tag, with their author. */
export async function latestVisiblePosts(db: Db, q: { now: number; limit: number; tagId?: string }): Promise<FeedPostRow[]> {
  let query = db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select([
      'posts.id',
      'posts.slug',
      'posts.title',
      'posts.html',
      'posts.excerpt',
      'posts.published_at',
      'posts.updated_at',
      'users.name as author_name',
      'users.slug as author_slug',
    ])
    .where('posts.kind', '=', 'post')
    .where(visibleAt(q.now));
  if (q.tagId) {
    const tagId = q.tagId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('post_tags')
          .select('post_tags.post_id')
          .whereRef('post_tags.post_id', '=', 'posts.id')
          .where('post_tags.tag_id', '=', tagId),
      ),
    );
  }
  const rows = await query.orderBy('posts.published_at', 'desc').orderBy('posts.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => Object.assign({}, r, { published_at: r.published_at ?? 0 }));
}

export interface PostTagRow {
  post_id: string;
  slug: string;
  name: string;
}

/** The tags of several posts in one query, each post's in its own order. */
export async function tagsOfPosts(db: Db, postIds: readonly string[]): Promise<PostTagRow[]> {
  if (postIds.length === 0) return [];
  return db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['post_tags.post_id', 'tags.slug', 'tags.name'])
    .where('post_tags.post_id', 'in', postIds)
    .orderBy('post_tags.post_id')
    .orderBy('post_tags.position')
    .execute();
}

export function findTagBySlug(db: Db, slug: string): Promise<TagRow | undefined> {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export interface SitemapPostRow {
  slug: string;
  kind: PostKind;
  published_at: number | null;
  updated_at: number;
}

/** Every visible post, page and program, newest first. */
export function visibleForSitemap(db: Db, q: { now: number; limit: number }): Promise<SitemapPostRow[]> {
  return (
    db
      .selectFrom('posts')
      .select(['posts.slug', 'posts.kind', 'posts.published_at', 'posts.updated_at'])
      // Other sites' pages are theirs to list (src/sites).
      .where('posts.kind', '<>', EXTERNAL_KIND)
      .where(visibleAt(q.now))
      .orderBy('posts.published_at', 'desc')
      .orderBy('posts.id', 'desc')
      .limit(q.limit)
      .execute()
  );
}

export interface SitemapTagRow {
  slug: string;
  last_published: number | null;
  last_updated: number | null;
}

/** Tags that have at least one visible post, with the latest change among those posts. */
export async function tagsWithVisiblePosts(db: Db, now: number): Promise<SitemapTagRow[]> {
  const rows = await db
    .selectFrom('tags')
    .innerJoin('post_tags', 'post_tags.tag_id', 'tags.id')
    .innerJoin('posts', 'posts.id', 'post_tags.post_id')
    .select((eb) => ['tags.slug', eb.fn.max('posts.published_at').as('last_published'), eb.fn.max('posts.updated_at').as('last_updated')])
    .where('posts.kind', '=', 'post')
    .where(visibleAt(now))
    .groupBy('tags.slug')
    .orderBy('tags.slug')
    .execute();
  // pg may hand back max() of a bigint as a string.
  return rows.map((r) => ({ slug: r.slug, last_published: toNumber(r.last_published), last_updated: toNumber(r.last_updated) }));
}

function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
