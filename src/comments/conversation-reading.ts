// Reading a conversation: a post's comments page by page as each viewer may see them (readers, the
// writer of held or private words, staff), where a comment falls, one comment for live updates,
// the JSON API's pages; and, for the workspace, the one surface through which the inbox, the
// moderation queue and the dashboard read comments (comment-queries.ts). Nothing here writes a
// comment; a page that finds a thread's kept HTML stale only asks for it to be rendered again.
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, PostRow } from '../db/tables.js';
import { NotFoundError } from '../errors.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.js';
import type { ConversationSettings, ConversationSettingsService } from '../moderation/conversation-settings.js';
import type { PostToWriteOn } from '../posts/post-store.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import {
  type Actor,
  canEditComment,
  canModerateComment,
  canSeeComment,
  commentsOpen,
  editWindowEnds,
  isWriter,
  type ReaderActor,
} from './comment-policy.js';
import { type CommentQueries, createCommentQueries } from './comment-queries.js';
import * as store from './comment-store.js';
import {
  ANONYMOUS_NAME,
  type Conversation,
  type ConversationQuery,
  type FullShownComment,
  type KeptThreads,
  type Located,
  type RowToShow,
  type ShownComment,
  type ShownExtras,
} from './comment-types.js';
import { buildThread, pageThreads, type ThreadNode } from './thread.js';

export interface ConversationReading {
  conversation(post: PostRow, q: ConversationQuery): Promise<Conversation>;
  /** The page of the post (oldest first) that shows the comment to this viewer. */
  locate(post: PostRow, commentId: string, actor: Actor, order?: store.ThreadOrder): Promise<Located>;
  /**
   * `locate` for a comment already read or just written: its page, with the same checks.
   * `threadsBefore`, when its write counted them, is how many of the post's public threads come
   * before its thread, oldest first: when that puts it on one page, nothing is read.
   */
  locateRow(
    post: PostToWriteOn,
    comment: CommentRow,
    actor: Actor,
    order?: store.ThreadOrder,
    threadsBefore?: store.ThreadsBefore | null,
  ): Promise<Located>;
  /** One published public comment as shown, for live updates. */
  shownComment(post: PostRow, commentId: string): Promise<ThreadNode<ShownComment> | undefined>;
  /**
   * The name, email and website she gave the last time she wrote from this browser (her
   * credential), to fill in her next comment form; null for a reader who never wrote here.
   */
  writerDetails(credentialHash: string): Promise<{ name: string; email: string; website: string } | null>;
  /** A private or held comment and its answers, for the writer's signed link. */
  writerView(post: PostRow, commentId: string): Promise<ThreadNode<FullShownComment>[]>;
  preview(markdown: string): Promise<string>;
  settings(): Promise<ConversationSettings>;
  /** Published public comments of these posts since a time, for live streams that missed them. */
  publishedSince(postIds: readonly string[], since: number): Promise<{ postId: string; id: string; parentId: string | null }[]>;
  /** The published public thread for the JSON API, paged by top-level thread. */
  publicPage(post: PostRow, offset: number, limit: number): Promise<{ threads: ThreadNode<FullShownComment>[]; total: number }>;
}

export interface ConversationReadingDeps {
  db: Db;
  clock: Clock;
  markdown: MarkdownRenderer;
  conversationSettings: ConversationSettingsService;
  /** The kept thread HTML (src/comments/kept-html/): which is current, and asking for the stale. */
  keptThreads: KeptThreads;
  /** The site's language: threads under posts without one of their own are kept in it. */
  siteLocale?: (() => Promise<Locale>) | undefined;
}

/** The page (from 1) that shows a thread with `before` threads ahead of it. */
const pageAfter = (before: number, perPage: number) => Math.floor(before / perPage) + 1;

export function createConversationReading(deps: ConversationReadingDeps): ConversationReading & CommentQueries {
  const { db, clock, markdown, keptThreads } = deps;
  const siteLocale = async (): Promise<Locale> => (deps.siteLocale ? await deps.siteLocale() : DEFAULT_LOCALE);

  async function withRoles<R extends RowToShow>(
    rows: R[],
    viewer: string | null,
    window: number,
    now: number,
  ): Promise<(R & ShownExtras)[]> {
    // Rows of a conversation page carry their writer's role; others are looked up.
    const staffIds = [...new Set(rows.filter((r) => r.author_role === undefined).map((r) => r.staff_user_id))].filter((id) => id !== null);
    const roles = await store.rolesOf(db, staffIds);
    const actor: ReaderActor = { kind: 'reader', credentialHash: viewer };
    return rows.map((r) => {
      const facts = {
        status: r.status,
        visibility: r.visibility,
        created_at: r.created_at,
        edit_token_hash: r.edit_token_hash ?? null,
        staff_user_id: r.staff_user_id,
      };
      const mine = viewer !== null && isWriter(actor, facts);
      const markdown = r.markdown ?? null;
      const editable = mine && markdown !== null && canEditComment(actor, facts, { author_id: '' }, now, window);
      // Object.assign, not a spread: spreading a driver's row object costs many times more.
      return Object.assign({}, r, {
        author_role: r.author_role !== undefined ? r.author_role : r.staff_user_id ? (roles.get(r.staff_user_id) ?? null) : null,
        mine,
        editable_until: editable ? editWindowEnds(r, window) : null,
        markdown,
      });
    });
  }
  /** Which page to show of a post's threads: the one asked for, or the last when there are fewer. */
  function pageWithin(post: PostRow, wanted: number, perPage: number) {
    const total = post.public_thread_count;
    const pages = Math.max(1, Math.ceil(total / perPage));
    return { total, pages, page: Math.min(Math.max(1, wanted), pages) };
  }

  /** Page `wanted` of a post's public conversation as readers see it, or its last page when there are fewer. */
  async function shownRowsPage(post: PostRow, order: store.ThreadOrder, wanted: number, perPage: number) {
    const { total, page } = pageWithin(post, wanted, perPage);
    if (total === 0) return { rows: [], total };
    return { rows: await store.publicConversationPage(db, post.id, order, perPage, (page - 1) * perPage), total };
  }

  /** The same page as whole rows (the writer's view: her own words for the edit form). */
  async function wholeRowsPage(post: PostRow, order: store.ThreadOrder, wanted: number, perPage: number) {
    const { total, page } = pageWithin(post, wanted, perPage);
    const roots = await store.publicRootsPage(db, post.id, order, perPage, (page - 1) * perPage);
    return { rows: await store.publicCommentRowsOfRoots(db, post.id, roots), total };
  }

  async function pageOf(post: Pick<PostRow, 'id'>, comment: CommentRow, order: store.ThreadOrder, perPage: number): Promise<number> {
    return pageAfter(await store.publicThreadsBefore(db, post.id, comment.root_id, order), perPage);
  }

  const reading: ConversationReading = {
    async conversation(post, q) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      const base = { count: post.comment_count, order: q.order, maxDepth: s.maxDepth, open: commentsOpen(post, now), now };
      // What every reader sees alike: each thread's kept HTML, when all of the page's is current.
      if (!q.credentialHash && !q.staff && !q.nodes) {
        const { total, page, pages } = pageWithin(post, q.page, s.threadsPerPage);
        if (total === 0) return { ...base, threads: [], threadHtml: [], threadCount: 0, page, pages };
        const kept = await store.publicThreadHtmlPage(db, post.id, q.order, s.threadsPerPage, (page - 1) * s.threadsPerPage);
        const language = post.language;
        const key = keptThreads.key(s.maxDepth, isLocale(language) ? language : await siteLocale());
        const stale = kept.filter((r) => r.public_html === null || r.html_key !== key).map((r) => r.root_id);
        if (kept.length > 0 && stale.length === 0) {
          const threadHtml = kept.map((r) => r.public_html as string);
          return { ...base, threads: [], threadHtml, threadCount: threadHtml.length, page, pages };
        }
        keptThreads.want(stale);
      }
      // A writer may edit her own published words on this page: she gets whole rows.
      const whole = q.credentialHash ? await wholeRowsPage(post, q.order, q.page, s.threadsPerPage) : undefined;
      const found = whole ?? (await shownRowsPage(post, q.order, q.page, s.threadsPerPage));
      const pages = Math.max(1, Math.ceil(found.total / s.threadsPerPage));
      const page = Math.min(Math.max(1, q.page), pages);
      const roots = new Set(found.rows.map((r) => r.root_id));
      let rows: RowToShow[] =
        whole && q.credentialHash
          ? await mergeWritersOwn(post, whole.rows, roots, q.credentialHash, q.order, s.threadsPerPage, page, pages)
          : found.rows;
      if (q.staff) rows = await mergeStaffView(post, rows, roots, q.staff, q.order, s.threadsPerPage, page, pages);
      const shown = await withRoles(rows, q.credentialHash, s.editWindowMinutes * 60_000, now);
      const threads = pageThreads(shown, s.maxDepth, q.order);
      return { ...base, threads: threads.flat(), threadCount: threads.length, page, pages };
    },

    async locate(post, commentId, actor, order = 'oldest') {
      const comment = await store.findComment(db, commentId);
      if (!comment) throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
      return reading.locateRow(post, comment, actor, order);
    },

    async locateRow(post, comment, actor, order = 'oldest', threadsBefore = null) {
      if (comment.post_id !== post.id || !canSeeComment(actor, comment, post))
        throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
      const s = await deps.conversationSettings.get();
      const per = s.threadsPerPage;
      if (threadsBefore && order === 'oldest' && pageAfter(threadsBefore.least, per) === pageAfter(threadsBefore.most, per)) {
        return { comment, page: pageAfter(threadsBefore.most, per) };
      }
      return { comment, page: await pageOf(post, comment, order, s.threadsPerPage) };
    },

    async publishedSince(postIds, since) {
      if (postIds.length === 0) return [];
      const rows = await store.publicCommentsSince(db, postIds, since, 500);
      return rows.map((r) => ({ postId: r.post_id, id: r.id, parentId: r.parent_id }));
    },

    async shownComment(post, commentId) {
      const row = await store.findComment(db, commentId);
      if (!row || row.post_id !== post.id || row.status !== 'published' || row.visibility !== 'public') return undefined;
      const [shown] = await withRoles([row], null, 0, clock.now());
      return shown ? { comment: shown, depth: 0, answers: undefined, replies: [] } : undefined;
    },

    async writerDetails(credentialHash) {
      const row = await store.writerDetails(db, credentialHash);
      // An anonymized comment (a private question published without her name) names no one.
      if (!row || row.author_name === ANONYMOUS_NAME) return null;
      return { name: row.author_name, email: row.author_email, website: row.author_url ?? '' };
    },

    async writerView(post, commentId) {
      const row = await store.findComment(db, commentId);
      if (!row || row.post_id !== post.id || row.status === 'trash')
        throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
      const thread = await store.commentsOfRoot(db, row.root_id);
      // The comment itself, whatever its state, and the published answers beneath it.
      const below = new Set([row.id]);
      const rows = [row];
      for (const r of [...thread].sort((a, b) => a.created_at - b.created_at)) {
        if (r.parent_id && below.has(r.parent_id) && r.status === 'published') {
          below.add(r.id);
          rows.push(r);
        }
      }
      const s = await deps.conversationSettings.get();
      const shown = await withRoles(rows, row.edit_token_hash, 0, clock.now());
      return buildThread(
        shown.map((c) => (c.id === row.id ? { ...c, mine: true } : c)),
        s.maxDepth,
      );
    },

    async preview(text) {
      const s = await deps.conversationSettings.get();
      return markdown.comment(text.slice(0, s.bodyMaxChars));
    },

    settings: () => deps.conversationSettings.get(),

    async publicPage(post, offset, limit) {
      const s = await deps.conversationSettings.get();
      // The post's row keeps its count of public threads.
      const total = post.public_thread_count;
      const roots = await store.publicRootsPage(db, post.id, 'oldest', limit, offset);
      const shown = await withRoles(await store.publicCommentRowsOfRoots(db, post.id, roots), null, 0, clock.now());
      return { threads: buildThread(shown, s.maxDepth + 100), total };
    },
  };

  /**
   * Adds the post's published private comments for staff who may read them (its author, the owner),
   * each on the page where its thread falls.
   */
  async function mergeStaffView(
    post: PostRow,
    rows: RowToShow[],
    pageRoots: Set<string>,
    staff: Staff,
    order: store.ThreadOrder,
    perPage: number,
    page: number,
    pages: number,
  ): Promise<RowToShow[]> {
    if (!canModerateComment({ kind: 'staff', id: staff.id, role: staff.role }, { visibility: 'private' }, post)) return rows;
    const seen = new Set(rows.map((r) => r.id));
    const merged: RowToShow[] = [...rows];
    const placed = new Map<string, boolean>();
    for (const r of await store.privateCommentsOfPost(db, post.id)) {
      if (seen.has(r.id)) continue;
      let here = placed.get(r.root_id);
      if (here === undefined) {
        here = pageRoots.has(r.root_id) || Math.min(await pageOf(post, r, order, perPage), pages) === page;
        placed.set(r.root_id, here);
      }
      if (here) merged.push(r);
    }
    return merged;
  }

  /**
   * Adds the viewer's own comments that readers do not see (held, private) and the answers to her
   * private questions, on the page where their thread falls.
   */
  async function mergeWritersOwn(
    post: PostRow,
    rows: CommentRow[],
    pageRoots: Set<string>,
    credentialHash: string,
    order: store.ThreadOrder,
    perPage: number,
    page: number,
    pages: number,
  ): Promise<CommentRow[]> {
    const all = await store.writerComments(db, post.id, credentialHash);
    if (all.length === 0) return rows;
    const own = all.filter((r) => !(r.status === 'published' && r.visibility === 'public'));
    const extra: CommentRow[] = [];
    const placed = new Map<string, boolean>();
    for (const r of own) {
      let here = placed.get(r.root_id);
      if (here === undefined) {
        if (pageRoots.has(r.root_id)) here = true;
        else {
          const p = await pageOf(post, r, order, perPage);
          here = Math.min(p, pages) === page;
        }
        placed.set(r.root_id, here);
      }
      if (here) extra.push(r);
    }
    // Answers to her private words are hers to read.
    for (const root of new Set(extra.filter((r) => r.visibility === 'private').map((r) => r.root_id))) {
      for (const r of await store.commentsOfRoot(db, root)) {
        if (r.staff_user_id && r.status === 'published' && r.visibility === 'private') extra.push(r);
      }
    }
    const seen = new Set(rows.map((r) => r.id));
    const merged = [...rows];
    for (const r of extra) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      merged.push(r);
    }
    return merged;
  }

  return { ...createCommentQueries(db), ...reading };
}
