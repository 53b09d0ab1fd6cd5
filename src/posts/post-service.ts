// Writing and reading posts: the rules (slugs, excerpts, rendering, tags, search) in one place.
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { CommentsMode, NewPost, PostKind, PostRow, PostStatus, TagRow } from '../db/tables.js';
import { newId } from '../ids.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { deriveExcerpt } from '../text/excerpt.js';
import { slugify, uniqueSlug } from '../text/slug.js';
import * as store from './post-store.js';

export interface PostDraft {
  kind?: PostKind;
  title: string;
  markdown: string;
  slug?: string;
  excerpt?: string;
  status?: PostStatus;
  publishedAt?: number | null;
  authorId: string;
  tags?: string[];
  commentsMode?: CommentsMode;
  source?: string | null;
  sourceId?: string | null;
}

export interface PostWithTags extends PostRow {
  tags: TagRow[];
}

export interface PostPage {
  posts: PostRow[];
  page: number;
  pages: number;
  total: number;
}

export interface PostService {
  create(draft: PostDraft): Promise<PostRow>;
  latest(page: number, perPage: number): Promise<PostPage>;
  publishedBySlug(slug: string): Promise<PostWithTags | undefined>;
  isEmpty(): Promise<boolean>;
}

export function createPostService(deps: { db: Db; clock: Clock; markdown: MarkdownRenderer }): PostService {
  const { db, clock, markdown } = deps;
  return {
    async create(draft) {
      const now = clock.now();
      const html = markdown.post(draft.markdown);
      const status = draft.status ?? 'draft';
      const row: NewPost = {
        id: newId(now),
        kind: draft.kind ?? 'post',
        slug: await uniqueSlug(slugify(draft.slug || draft.title), (s) => store.slugInUse(db, s)),
        title: draft.title.trim(),
        markdown: draft.markdown,
        html,
        excerpt: draft.excerpt?.trim() || deriveExcerpt(html),
        custom_excerpt: draft.excerpt?.trim() ? 1 : 0,
        status,
        published_at: draft.publishedAt ?? (status === 'published' ? now : null),
        author_id: draft.authorId,
        comments_mode: draft.commentsMode ?? 'open',
        comments_close_days: null,
        comment_count: 0,
        cover_image: null,
        meta_title: null,
        meta_description: null,
        sticky: 0,
        source: draft.source ?? null,
        source_id: draft.sourceId ?? null,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await store.insertPost(trx, row);
        const tags = (draft.tags ?? []).map((name) => ({ id: newId(now), slug: slugify(name), name: name.trim() })).filter((t) => t.slug);
        await store.setPostTags(trx, row.id, tags);
        await store.syncPostSearch(trx, { id: row.id, title: row.title, excerpt: row.excerpt ?? '', markdown: row.markdown });
      });
      return row as PostRow;
    },

    async latest(page, perPage) {
      const now = clock.now();
      const total = await store.countPublished(db, 'post', now);
      const pages = Math.max(1, Math.ceil(total / perPage));
      const posts = await store.listPublished(db, { kind: 'post', now, limit: perPage, offset: (page - 1) * perPage });
      return { posts, page, pages, total };
    },

    async publishedBySlug(slug) {
      const post = await store.findPublishedBySlug(db, slug, clock.now());
      if (!post) return undefined;
      return { ...post, tags: await store.tagsOfPost(db, post.id) };
    },

    async isEmpty() {
      return (await store.countPosts(db)) === 0;
    },
  };
}
