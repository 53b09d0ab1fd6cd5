// Writing and reading posts: slugs, redirects, excerpts, rendering, tags, search and scheduling.

import type { Staff } from '../accounts/accounts-service.js';
import { findUserById } from '../accounts/user-store.js';
import type { ChangeFeed } from '../cache/change-feed.js';
import { createSiteMemo } from '../cache/site-memo.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { CommentsMode, NewPost, PostKind, PostPatch, PostRow, PostStatus, SourceFormat, TagRow, UserRow } from '../db/tables.js';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors.js';
import type { Locale } from '../i18n/locales.js';
import { newId } from '../ids.js';
import { type MediaLookup, responsiveImages } from '../media/responsive-images.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { sanitizeAuthorHtml } from '../render/sanitize.js';
import { isEmptyQuery, parseSearchQuery, snippetHtml } from '../search/search-query.js';
import { RANKED_MATCHES, relatedPosts, searchPosts } from '../search/search-store.js';
import { deriveExcerpt } from '../text/excerpt.js';
import { RESERVED_SLUGS, slugify, uniqueSlug } from '../text/slug.js';
import { canCreatePost, canEditPost, canReadPost } from './post-permissions.js';
import * as store from './post-store.js';

export { RESERVED_SLUGS } from '../text/slug.js';

export interface PostDraft {
  kind?: PostKind;
  title: string;
  markdown: string;
  slug?: string | undefined;
  excerpt?: string | undefined;
  status?: PostStatus;
  publishedAt?: number | null | undefined;
  authorId: string;
  tags?: string[] | undefined;
  commentsMode?: CommentsMode | undefined;
  commentsCloseDays?: number | null | undefined;
  coverImage?: string | null | undefined;
  metaTitle?: string | null | undefined;
  metaDescription?: string | null | undefined;
  /** The language it is written in (src/i18n/locales.ts); null: the site's. */
  language?: Locale | null | undefined;
  source?: string | null;
  sourceId?: string | null;
}

export type PostChanges = Partial<Omit<PostDraft, 'source' | 'sourceId' | 'excerpt'>> & { excerpt?: string | null };

export interface PostWithTags extends PostRow {
  tags: TagRow[];
}

export interface ListedPosts {
  posts: PostWithTags[];
  page: number;
  pages: number;
  total: number;
}

export interface ReadingContext {
  author: Pick<UserRow, 'name' | 'slug'> | undefined;
  previous: { slug: string; title: string } | undefined;
  next: { slug: string; title: string } | undefined;
  readNext: { slug: string; title: string; excerpt: string; published_at: number | null }[];
}

export interface PostService {
  create(draft: PostDraft, actor?: Staff): Promise<PostWithTags>;
  update(id: string, changes: PostChanges, actor: Staff): Promise<PostWithTags>;
  remove(id: string, actor: Staff): Promise<void>;
  get(id: string, actor: Staff): Promise<PostWithTags>;
  listForAdmin(q: store.AdminPostQuery, actor: Staff): Promise<{ posts: PostWithTags[]; total: number }>;
  /** How many posts listForAdmin would list in all, without reading them. */
  countForAdmin(q: Omit<store.AdminPostQuery, 'limit' | 'after'>, actor: Staff): Promise<number>;
  latest(page: number, perPage: number, filter?: { tagId?: string; authorId?: string; between?: [number, number] }): Promise<ListedPosts>;
  publishedBySlug(slug: string): Promise<PostWithTags | undefined>;
  readingContext(post: PostRow): Promise<ReadingContext>;
  /** When the next scheduled post becomes visible, or null: pages kept until then are stale after. */
  nextScheduledAt(): Promise<number | null>;
  redirectFor(path: string): Promise<{ to_path: string; code: number } | undefined>;
  /** Whether a post was deleted from this address (it answers 410 Gone). */
  isGone(path: string): Promise<boolean>;
  /** A page of search results; `total` stops at RANKED_MATCHES, and `more` says more posts match. */
  search(
    query: string,
    page: number,
    perPage: number,
  ): Promise<{ hits: (SearchResult & { snippetHtml: string })[]; total: number; more: boolean; pages: number }>;
  archiveMonths(): Promise<{ year: number; month: number; count: number }[]>;
  tagBySlug(slug: string): Promise<TagRow | undefined>;
  isEmpty(): Promise<boolean>;
}

type SearchResult = Awaited<ReturnType<typeof searchPosts>>['hits'][number];

export interface PostServiceDeps {
  db: Db;
  clock: Clock;
  markdown: MarkdownRenderer;
  /** Finds the uploads a post shows, so its images get srcset and WebP sources. */
  media?: { lookupFor(html: string): Promise<MediaLookup> };
  /** Program cards (src/programs): `{{program slug}}` paragraphs become cards whose link names the post. */
  programCards?: (html: string, from: { kind: 'post'; id: string }) => Promise<string>;
  /** Told after every write: a post shows on many pages (listings, neighbours, read next). */
  changes?: ChangeFeed;
  /** Whether a new post's comments start open, closed or closing (conversation settings). */
  commentDefaults?: () => Promise<{ mode: CommentsMode; closeDays: number }>;
  /**
   * Webmentions (src/webmention): a published or updated post's links are told, queued with the
   * write; a scheduled one's when its time comes; a deleted one's so that they learn it is gone.
   */
  webmentions?:
    | {
        postChanged(trx: Db, postId: string, now: number, at?: number): Promise<void>;
        postDeleted(trx: Db, post: PostRow, now: number): Promise<void>;
      }
    | undefined;
}

/** Published and not in the future: a post the world can read, whose links are told. */
const isLive = (status: string, publishedAt: number | null, now: number) => status === 'published' && (publishedAt ?? now + 1) <= now;
/** Seen by readers now (a scheduled post whose time has come is, with no job run: post-store's visibleAt). */
const isVisible = (status: string, publishedAt: number | null, now: number) =>
  (status === 'published' || status === 'scheduled') && (publishedAt ?? now + 1) <= now;
/** Scheduled for later: its links are told when it goes live. */
const goesLiveLater = (status: string, publishedAt: number | null, now: number) => status === 'scheduled' && (publishedAt ?? 0) > now;

export function createPostService(deps: PostServiceDeps): PostService {
  const { db, clock, markdown } = deps;

  /**
   * Source -> sanitized HTML, with responsive sources for uploaded images. Imported posts keep
   * their HTML as source (source_format 'html') and pass the same sanitizing policy.
   */
  async function render(source: string, postId: string, format: SourceFormat = 'markdown'): Promise<string> {
    const html = format === 'html' ? sanitizeAuthorHtml(source) : markdown.post(source);
    const sized = deps.media ? responsiveImages(html, await deps.media.lookupFor(html)) : html;
    return deps.programCards ? deps.programCards(sized, { kind: 'post', id: postId }) : sized;
  }

  // A post's neighbours, author and what to read next depend on posts alone, not on comments.
  const nextScheduledAt = () => store.nextScheduledAt(db, clock.now());
  const readingContexts = createSiteMemo<ReadingContext>({ clock, changes: deps.changes, nextScheduledAt });

  // Tags change only with their post or an import, both told on the change feed.
  const postTags = createSiteMemo<TagRow[]>({ clock, changes: deps.changes });

  // Object.assign, not a spread: spreading a driver's row object costs many times more.
  const withTags = async (row: PostRow): Promise<PostWithTags> =>
    Object.assign({}, row, { tags: await postTags.get(row.id, () => store.tagsOfPost(db, row.id)) });
  /** A workspace query as this staff member may run it: it obeys canReadPost, whatever filter was asked for. */
  function readableQuery<Q extends Omit<store.AdminPostQuery, 'limit' | 'after'>>(q: Q, actor: Staff): Q {
    if (actor.role === 'moderator') throw new ForbiddenError('Moderators work with comments, not posts.');
    return actor.role === 'owner' ? q : { ...q, readableBy: { authorId: actor.id, now: clock.now() } };
  }

  const withTagsMany = async (rows: PostRow[]): Promise<PostWithTags[]> => {
    const tags = await store.tagsOfPosts(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => Object.assign({}, r, { tags: tags.get(r.id) ?? [] }));
  };

  const slugTaken = (exceptId?: string) => async (slug: string) => RESERVED_SLUGS.has(slug) || (await store.slugInUse(db, slug, exceptId));

  /** The slug a post gets: an explicit one must be free; a derived one is made unique. */
  async function chooseSlug(explicit: string | undefined, title: string, exceptId?: string): Promise<string> {
    if (explicit !== undefined && explicit.trim() !== '') {
      const slug = slugify(explicit);
      if (!slug) throw new InvalidError('The slug needs letters or digits.', { slug: 'needs letters or digits' });
      if (RESERVED_SLUGS.has(slug)) throw new InvalidError(`"${slug}" is reserved for Hearth's own pages.`, { slug: 'is reserved' });
      if (await store.slugInUse(db, slug, exceptId))
        throw new InvalidError(`Another post already uses the slug "${slug}".`, { slug: 'is already used' });
      return slug;
    }
    return uniqueSlug(slugify(title), slugTaken(exceptId));
  }

  /** Status and time together: scheduled needs a future time; published without one means now. */
  function schedule(status: PostStatus, publishedAt: number | null | undefined, previous: number | null): number | null {
    const now = clock.now();
    if (status === 'scheduled') {
      const at = publishedAt ?? previous;
      if (at === null || at === undefined || at <= now) {
        throw new InvalidError('A scheduled post needs a publishedAt in the future.', { publishedAt: 'must be in the future' });
      }
      return at;
    }
    if (status === 'published') return publishedAt ?? previous ?? now;
    return publishedAt === undefined ? previous : publishedAt;
  }

  const tagRows = (names: string[], now: number) => {
    const seen = new Set<string>();
    return names
      .map((name) => ({ id: newId(now), slug: slugify(name), name: name.trim().slice(0, 60) }))
      .filter((t) => t.slug && !seen.has(t.slug) && seen.add(t.slug));
  };

  /** The post, when this staff member may read it; others' unpublished posts are not found at all. */
  async function findReadablePost(id: string, actor: Staff): Promise<PostRow> {
    const post = await store.findPostById(db, id);
    if (!post || !canReadPost(actor, post, clock.now())) throw new NotFoundError('No post has this id.');
    return post;
  }

  async function findOwnPost(id: string, actor: Staff): Promise<PostRow> {
    const post = await findReadablePost(id, actor);
    if (!canEditPost(actor, post)) throw new ForbiddenError('Only the owner and the post’s author may change it.');
    return post;
  }

  return {
    async create(draft, actor) {
      if (actor) {
        if (!canCreatePost(actor)) throw new ForbiddenError('Your role may not write posts.');
        if (draft.authorId !== actor.id && actor.role !== 'owner')
          throw new ForbiddenError('Only the owner may write in another author’s name.');
      }
      if (!(await findUserById(db, draft.authorId))) throw new InvalidError('The author does not exist.', { authorId: 'unknown user' });
      const defaults = (draft.commentsMode ? undefined : await deps.commentDefaults?.()) ?? { mode: 'open' as const, closeDays: 30 };
      const now = clock.now();
      // The id comes first: a program card in the text links back to this post by it.
      const id = newId(now);
      const html = await render(draft.markdown, id);
      const status = draft.status ?? 'draft';
      const row: NewPost = {
        id,
        kind: draft.kind ?? 'post',
        slug: await chooseSlug(draft.slug, draft.title),
        title: draft.title.trim(),
        markdown: draft.markdown,
        html,
        excerpt: draft.excerpt?.trim() || deriveExcerpt(html),
        custom_excerpt: draft.excerpt?.trim() ? 1 : 0,
        status,
        published_at: schedule(status, draft.publishedAt, null),
        author_id: draft.authorId,
        comments_mode: draft.commentsMode ?? defaults.mode,
        comments_close_days: draft.commentsCloseDays ?? (defaults.mode === 'closes_after' ? defaults.closeDays : null),
        comment_count: 0,
        public_thread_count: 0,
        cover_image: draft.coverImage ?? null,
        meta_title: draft.metaTitle ?? null,
        meta_description: draft.metaDescription ?? null,
        language: draft.language ?? null,
        sticky: 0,
        source: draft.source ?? null,
        source_id: draft.sourceId ?? null,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await store.insertPost(trx, row);
        await store.setPostTags(trx, row.id, tagRows(draft.tags ?? [], now));
        await store.syncPostSearch(trx, { id: row.id, title: row.title, excerpt: row.excerpt ?? '', markdown: row.markdown });
        // A new post takes its address back from any old redirect that pointed elsewhere.
        await store.deleteRedirect(trx, `/${row.slug}/`);
        await store.clearGone(trx, `/${row.slug}/`);
        // Imported posts were told long ago, on the site they came from.
        if (isLive(row.status, row.published_at ?? null, now) && !row.source) await deps.webmentions?.postChanged(trx, row.id, now);
        if (goesLiveLater(row.status, row.published_at ?? null, now) && !row.source && row.published_at)
          await deps.webmentions?.postChanged(trx, row.id, now, row.published_at);
      });
      await deps.changes?.publish({ scope: 'site' });
      return withTags(row as PostRow);
    },

    async update(id, changes, actor) {
      const post = await findOwnPost(id, actor);
      const now = clock.now();
      const patch: PostPatch = { updated_at: now };
      const title = changes.title?.trim() ?? post.title;
      if (changes.title !== undefined) patch.title = title;
      if (changes.slug !== undefined && slugify(changes.slug) !== post.slug) patch.slug = await chooseSlug(changes.slug, title, post.id);
      if (changes.markdown !== undefined) {
        patch.markdown = changes.markdown;
        patch.html = await render(changes.markdown, id, post.source_format);
      }
      const html = patch.html ?? post.html;
      if (changes.excerpt !== undefined) {
        const given = changes.excerpt?.trim();
        patch.excerpt = given || deriveExcerpt(html);
        patch.custom_excerpt = given ? 1 : 0;
      } else if (patch.html && !post.custom_excerpt) {
        patch.excerpt = deriveExcerpt(html);
      }
      if (changes.status !== undefined || changes.publishedAt !== undefined) {
        const status = changes.status ?? (post.status === 'scheduled' && (post.published_at ?? 0) <= now ? 'published' : post.status);
        patch.status = status;
        patch.published_at = schedule(status, changes.publishedAt, post.published_at);
      }
      if (changes.kind !== undefined) patch.kind = changes.kind;
      if (changes.commentsMode !== undefined) patch.comments_mode = changes.commentsMode;
      if (changes.commentsCloseDays !== undefined) patch.comments_close_days = changes.commentsCloseDays;
      if (changes.coverImage !== undefined) patch.cover_image = changes.coverImage;
      if (changes.metaTitle !== undefined) patch.meta_title = changes.metaTitle;
      if (changes.metaDescription !== undefined) patch.meta_description = changes.metaDescription;
      if (changes.language !== undefined) patch.language = changes.language;
      if (changes.authorId !== undefined && changes.authorId !== post.author_id) {
        if (actor.role !== 'owner') throw new ForbiddenError('Only the owner may give a post to another author.');
        if (!(await findUserById(db, changes.authorId))) throw new InvalidError('The author does not exist.', { authorId: 'unknown user' });
        patch.author_id = changes.authorId;
      }
      const updated = { ...post, ...patch } as PostRow;
      await db.transaction().execute(async (trx) => {
        await store.updatePost(trx, id, patch);
        if (changes.tags !== undefined) await store.setPostTags(trx, id, tagRows(changes.tags, now));
        await store.syncPostSearch(trx, updated);
        if (patch.slug) {
          // Readers' old links keep working: the old address answers 301 to the new one.
          await store.deleteRedirect(trx, `/${patch.slug}/`);
          if (post.published_at !== null) await store.insertRedirect(trx, `/${post.slug}/`, `/${patch.slug}/`);
        }
        if (patch.slug) await store.clearGone(trx, `/${patch.slug}/`);
        if (isVisible(updated.status, updated.published_at, now) || isVisible(post.status, post.published_at, now))
          await deps.webmentions?.postChanged(trx, id, now);
        // Scheduled (or moved to a new time): told when it goes live; a job for an older time finds it not yet visible.
        if (goesLiveLater(updated.status, updated.published_at, now) && updated.published_at)
          await deps.webmentions?.postChanged(trx, id, now, updated.published_at);
      });
      await deps.changes?.publish({ scope: 'site' });
      return withTags(updated);
    },

    async remove(id, actor) {
      const post = await findOwnPost(id, actor);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        // A post readers could see leaves a 410 Gone behind, and the pages it linked to are told (Webmention's deletion rule).
        if (isVisible(post.status, post.published_at, now)) {
          await store.markGone(trx, `/${post.slug}/`, now);
          if (!post.source) await deps.webmentions?.postDeleted(trx, post, now);
        }
        await store.dropPostSearch(trx, id);
        await store.deletePost(trx, id);
      });
      await deps.changes?.publish({ scope: 'site' });
    },

    async get(id, actor) {
      return withTags(await findReadablePost(id, actor));
    },

    async listForAdmin(q, actor) {
      const { rows, total } = await store.listForAdmin(db, readableQuery(q, actor));
      return { posts: await withTagsMany(rows), total };
    },

    countForAdmin: (q, actor) => store.countForAdmin(db, readableQuery(q, actor)),

    async latest(page, perPage, filter = {}) {
      const now = clock.now();
      const q = { kind: 'post' as const, now, ...filter };
      const total = await store.countPublished(db, q);
      const pages = Math.max(1, Math.ceil(total / perPage));
      const rows = await store.listPublished(db, { ...q, limit: perPage, offset: (page - 1) * perPage });
      return { posts: await withTagsMany(rows), page, pages, total };
    },

    async publishedBySlug(slug) {
      const post = await store.findPublishedBySlug(db, slug, clock.now());
      return post ? withTags(post) : undefined;
    },

    readingContext: (post) =>
      readingContexts.get(`${post.id}:${post.updated_at}`, async () => {
        const now = clock.now();
        const [author, adjacent, readNext] = await Promise.all([
          findUserById(db, post.author_id),
          post.kind === 'post' ? store.adjacentPosts(db, post, now) : Promise.resolve({ previous: undefined, next: undefined }),
          post.kind === 'post' ? relatedPosts(db, post, now, 3) : Promise.resolve([]),
        ]);
        return { author, previous: adjacent.previous, next: adjacent.next, readNext };
      }),

    nextScheduledAt,

    redirectFor: (path) => store.findRedirect(db, path),
    isGone: (path) => store.isGone(db, path),

    async search(query, page, perPage) {
      const terms = parseSearchQuery(query);
      if (isEmptyQuery(terms)) return { hits: [], total: 0, more: false, pages: 0 };
      const { hits, total } = await searchPosts(db, terms, clock.now(), perPage, (page - 1) * perPage);
      // Counted and paged as far as the ranked matches: a count above them means more match.
      const shown = Math.min(total, RANKED_MATCHES);
      const found = hits.map((h) => ({ ...h, snippetHtml: snippetHtml(h.snippet) }));
      return { hits: found, total: shown, more: total > RANKED_MATCHES, pages: Math.ceil(shown / perPage) };
    },

    archiveMonths: () => store.monthsWithPosts(db, clock.now()),
    tagBySlug: (slug) => store.findTagBySlug(db, slug),

    async isEmpty() {
      return (await store.countPosts(db)) === 0;
    },
  };
}
