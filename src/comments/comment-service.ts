// Comments: what readers write and see. The rules live here; HTTP lives in the routes.
import type { Logger } from 'pino';
import type { Staff } from '../accounts/accounts-service.js';
import type { ChangeFeed } from '../cache/change-feed.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus, PostRow, StaffRole, Visibility } from '../db/tables.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, TooLargeError, TooManyError } from '../errors.js';
import { hashToken, newId } from '../ids.js';
import type { ConversationSettings, ConversationSettingsService } from '../moderation/conversation-settings.js';
import { afterEdit, receive } from '../moderation/moderation-rules.js';
import type { RateLimiter } from '../moderation/rate-limiter.js';
import type { SpamCheck } from '../moderation/spam-check.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { EMAIL_TOO_LONG, MAX_EMAIL_LENGTH } from '../text/email.js';
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
import * as store from './comment-store.js';
import { changeComment, insertNewComment, type RenderThread } from './comment-writes.js';
import { createStaffCommentService, type StaffCommentService } from './staff-comment-service.js';
import { buildThread, pageThreads, type ThreadNode } from './thread.js';
import { createThreadHtmlKeeper, renderThreadsIn, type ThreadHtmlKeeper, threadHtmlKey } from './thread-html.js';

export interface CommentInput {
  postId: string;
  parentId?: string | null;
  authorName: string;
  authorEmail: string;
  authorUrl?: string | null;
  staff?: Staff | undefined;
  markdown: string;
  status: CommentStatus;
  visibility?: Visibility;
  /** When it was written, if not now (demo content, imports). */
  createdAt?: number;
  /** A pingback or trackback rather than a reader's words: counted, never awaiting an answer. */
  kind?: 'comment' | 'mention';
}

/** What a page adds to a comment's row: the role of its staff author, and what this viewer may do. */
export interface ShownExtras {
  author_role: StaffRole | null;
  /** Written by the viewer (her credential): she sees it even while held or private. */
  mine: boolean;
  /** Until when the viewer may still edit or delete it (epoch ms), or null. */
  editable_until: number | null;
  /** Her words as written, for the edit form: loaded only where the viewer may edit, else null. */
  markdown: string | null;
}

/** A comment as pages show it. */
export type ShownComment = store.ShownCommentRow & ShownExtras;
/** A comment with its whole row, for the JSON API. */
export type FullShownComment = CommentRow & ShownExtras;

type RowToShow = store.ShownCommentRow & Partial<Pick<CommentRow, 'markdown' | 'edit_token_hash'>> & { author_role?: StaffRole | null };

export interface Submission {
  post: PostRow;
  parentId: string | null;
  name: string;
  email: string;
  website: string;
  body: string;
  notify: boolean;
  private: boolean;
  honeypotFilled: boolean;
  /** The hash of the writer's credential (made by the route when she has none yet). */
  credentialHash: string;
  ip: string | null;
  userAgent: string | null;
  /** She already chose to post a reply to her own comment rather than edit it. */
  replyChosen: boolean;
}

export type SubmitResult =
  | { kind: 'posted'; comment: CommentRow; duplicate: boolean }
  /** A reply to her own comment still inside its edit window: she may prefer to edit it. */
  | { kind: 'choose'; original: CommentRow };

export interface ConversationQuery {
  page: number;
  order: store.ThreadOrder;
  credentialHash: string | null;
  /** Staff signed in to the workspace: the post's author and the owner also read private comments. */
  staff?: Staff | undefined;
  /** Every comment as a node (a reply form or an edit needs them), never the kept thread HTML. */
  nodes?: boolean;
}

export interface Conversation {
  /** The page's comments as nodes, thread by thread; empty when the page shows kept HTML instead. */
  threads: ThreadNode<ShownComment>[];
  /** Each thread's kept HTML, in page order (src/comments/thread-html.ts), when every one was current. */
  threadHtml?: string[] | undefined;
  /** Threads on this page. */
  threadCount: number;
  /** Published public comments: the post's public count. */
  count: number;
  page: number;
  pages: number;
  order: store.ThreadOrder;
  maxDepth: number;
  open: boolean;
  /** When it was read: the form's anti-spam time. */
  now: number;
}

export interface Located {
  comment: CommentRow;
  page: number;
}

export interface ReaderCommentService {
  /** Demo content and imports: a comment as given, with counts and threads kept in step. */
  add(input: CommentInput): Promise<CommentRow>;
  submit(sub: Submission): Promise<SubmitResult>;
  conversation(post: PostRow, q: ConversationQuery): Promise<Conversation>;
  /** The page of the post (oldest first) that shows the comment to this viewer. */
  locate(post: PostRow, commentId: string, actor: Actor, order?: store.ThreadOrder): Promise<Located>;
  /** `locate` for a comment already read or just written: its page, with the same checks. */
  locateRow(post: PostRow, comment: CommentRow, actor: Actor, order?: store.ThreadOrder): Promise<Located>;
  writerEdit(post: PostRow, commentId: string, credentialHash: string | null, markdown: string, append: boolean): Promise<CommentRow>;
  writerDelete(post: PostRow, commentId: string, credentialHash: string | null): Promise<CommentRow>;
  /** One published public comment as shown, for live updates. */
  shownComment(post: PostRow, commentId: string): Promise<ThreadNode<ShownComment> | undefined>;
  /**
   * The name, email and website she gave the last time she wrote from this browser (her
   * credential), to fill in her next comment form; null for a reader who never wrote here.
   */
  writerDetails(credentialHash: string): Promise<{ name: string; email: string; website: string } | null>;
  /** A private or held comment and its answers, for the writer's signed link. */
  writerView(post: PostRow, commentId: string): Promise<ThreadNode<FullShownComment>[]>;
  /** The writer agrees: her private question (and its answers) become public, her name withheld. */
  publishAnonymously(post: PostRow, commentId: string): Promise<CommentRow>;
  preview(markdown: string): Promise<string>;
  /**
   * One use of a comment form's token (checked by the route: signed, fresh, not too quick) from an
   * address. False when it sent a comment from there less than the minimum time on page ago: each
   * use needs that time, so a token cannot be replayed to skip it. True lets it through and starts
   * that time again. Per address, because a cached page gives many readers the same token.
   */
  claimFormToken(token: string, ip: string | null): Promise<boolean>;
  settings(): Promise<ConversationSettings>;
  /** Keeps each thread's public HTML rendered (src/comments/thread-html.ts). */
  threadHtml: ThreadHtmlKeeper;
  /** Published public comments of these posts since a time, for live streams that missed them. */
  publishedSince(postIds: readonly string[], since: number): Promise<{ postId: string; id: string; parentId: string | null }[]>;
  /** The published public thread for the JSON API, paged by top-level thread. */
  publicPage(post: PostRow, offset: number, limit: number): Promise<{ threads: ThreadNode<FullShownComment>[]; total: number }>;
}

export type CommentService = ReaderCommentService & StaffCommentService;

export interface CommentServiceDeps {
  db: Db;
  clock: Clock;
  markdown: MarkdownRenderer;
  conversationSettings: ConversationSettingsService;
  limiter: RateLimiter;
  spamCheck: SpamCheck;
  /** Tells every process what changed (page cache, live updates). */
  changes: ChangeFeed;
  /** Benchmarks only: publish what the hold rules and rate limits would keep back. */
  relaxed: boolean;
  /** Program cards in staff replies (src/programs). */
  programCards?: (html: string, from: { kind: 'comment'; id: string }, trx: Db) => Promise<string>;
  log?: Logger | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const ANONYMOUS_NAME = 'A reader';

function checkFields(sub: Submission, s: ConversationSettings): { name: string; email: string; url: string | null; body: string } {
  const name = sub.name.trim();
  const email = sub.email.trim().toLowerCase();
  const website = sub.website.trim();
  const body = sub.body.replace(/\r\n?/g, '\n').trim();
  if (body.length > s.bodyMaxChars) {
    throw new TooLargeError(
      `Your comment is ${body.length.toLocaleString('en-US')} characters long; the limit is ${s.bodyMaxChars.toLocaleString('en-US')}.`,
    );
  }
  const fields: Record<string, string> = {};
  if (!body) fields.body = 'Write your comment.';
  if (!name) fields.name = 'Tell us your name.';
  else if (name.length > s.nameMaxChars) fields.name = `Your name can be at most ${s.nameMaxChars} characters.`;
  if (email.length > MAX_EMAIL_LENGTH) fields.email = EMAIL_TOO_LONG;
  else if (!EMAIL.test(email)) fields.email = 'Give an email address like name@example.com (it is never shown).';
  let url: string | null = null;
  if (website) {
    const candidate = /^https?:\/\//i.test(website) ? website : `https://${website}`;
    if (!URL.canParse(candidate) || candidate.length > 500 || !/^https?:$/.test(new URL(candidate).protocol))
      fields.website = 'Give a web address like https://example.com, or leave it empty.';
    else url = new URL(candidate).href;
  }
  if (Object.keys(fields).length > 0) throw new InvalidError('Some fields need attention.', fields);
  return { name, email, url, body };
}

export function createCommentService(deps: CommentServiceDeps): CommentService {
  const { db, clock, markdown, changes } = deps;
  const windowMs = async () => (await deps.conversationSettings.get()).editWindowMinutes * 60_000;
  const maxDepth = async () => (await deps.conversationSettings.get()).maxDepth;
  const threadHtml = createThreadHtmlKeeper({ db, maxDepth, log: deps.log });
  /**
   * Every write here renders its thread's HTML in its own transaction, so the next page has it.
   * Made before the transaction begins: reading the settings inside it would wait forever for
   * SQLite's one connection.
   */
  const threadRenderer = async (): Promise<RenderThread> => {
    const depth = await maxDepth();
    return (trx, rootId) => renderThreadsIn(trx, [rootId], depth);
  };

  const renderHtml = (row: Pick<CommentRow, 'staff_user_id'>, text: string) =>
    row.staff_user_id ? markdown.post(text) : markdown.comment(text);

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

  /**
   * After every committed change to a comment: the post's cached pages are stale, and when the
   * comment is now published for everyone, open pages (in every process) hear of it.
   */
  function announceLive(row: CommentRow) {
    const shown = row.status === 'published' && row.visibility === 'public';
    void changes.publish({ scope: 'post', postId: row.post_id, ...(shown ? { live: { id: row.id, parentId: row.parent_id } } : {}) });
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

  async function pageOf(post: PostRow, comment: CommentRow, order: store.ThreadOrder, perPage: number): Promise<number> {
    const before = await store.publicThreadsBefore(db, post.id, comment.root_id, order);
    return Math.floor(before / perPage) + 1;
  }

  const reader: ReaderCommentService = {
    async add(input) {
      const now = input.createdAt ?? clock.now();
      const render = await threadRenderer();
      const row = await db.transaction().execute(async (trx) => {
        const parent = input.parentId ? await store.findComment(trx, input.parentId) : undefined;
        if (input.parentId && (!parent || parent.post_id !== input.postId)) throw new NotFoundError('The comment you answered is gone.');
        const id = newId(now);
        const row: CommentRow = {
          id,
          post_id: input.postId,
          parent_id: parent?.id ?? null,
          root_id: parent?.root_id ?? id,
          depth: parent ? parent.depth + 1 : 0,
          status: input.status,
          visibility: parent?.visibility === 'private' ? 'private' : (input.visibility ?? 'public'),
          author_name: input.authorName,
          author_email: input.authorEmail.toLowerCase(),
          author_url: input.authorUrl ?? null,
          staff_user_id: input.staff?.id ?? null,
          markdown: input.markdown,
          html: input.staff ? markdown.post(input.markdown) : markdown.comment(input.markdown),
          edit_token_hash: null,
          notify: 0,
          ip: null,
          user_agent: null,
          kind: input.kind ?? 'comment',
          source: null,
          source_id: null,
          created_at: now,
          edited_at: null,
        };
        await insertNewComment(trx, row, clock.now(), render);
        return row;
      });
      announceLive(row);
      return row;
    },

    async submit(sub) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      if (!commentsOpen(sub.post, now)) throw new ForbiddenError('Comments are closed on this post.');
      const f = checkFields(sub, s);
      const actor: ReaderActor = { kind: 'reader', credentialHash: sub.credentialHash };

      let parent: CommentRow | undefined;
      if (sub.parentId) {
        parent = await store.findComment(db, sub.parentId);
        if (!parent || parent.post_id !== sub.post.id || !canSeeComment(actor, parent, sub.post)) {
          throw new InvalidError('The comment you are answering is no longer here.', { parent: 'That comment is no longer here.' });
        }
        if (!sub.replyChosen && canEditComment(actor, parent, sub.post, now, s.editWindowMinutes * 60_000)) {
          return { kind: 'choose', original: parent };
        }
      }

      // The same words again from the same person: a resent form, answered as the first time.
      const duplicate = await store.findDuplicate(db, sub.post.id, f.email, f.body);
      if (duplicate) return { kind: 'posted', comment: duplicate, duplicate: true };

      if (!deps.relaxed) {
        const limits = [
          ...(sub.ip ? [{ bucket: `comment-ip:${sub.ip}`, ...s.ipLimit }] : []),
          { bucket: `comment-email:${f.email}`, ...s.emailLimit },
        ];
        for (const l of limits) {
          const verdict = await deps.limiter.hit(l.bucket, l.max, l.windowSeconds, now);
          if (!verdict.ok) {
            throw new TooManyError(
              `You have sent several comments in a short time. Please wait ${verdict.retryAfterSeconds} seconds and send it again; your text is kept below.`,
              verdict.retryAfterSeconds,
            );
          }
        }
      }

      const firstTime = !(await store.hasPublishedComment(db, f.email));
      const context = {
        postId: sub.post.id,
        authorName: f.name,
        authorEmail: f.email,
        authorUrl: f.url,
        markdown: f.body,
        ip: sub.ip,
        userAgent: sub.userAgent,
      };
      const decision = receive(
        {
          name: f.name,
          email: f.email,
          url: f.url,
          markdown: f.body,
          ip: sub.ip,
          honeypotFilled: sub.honeypotFilled,
          firstTime,
          spamVerdict: sub.honeypotFilled ? 'ham' : await deps.spamCheck(context),
        },
        s,
        deps.relaxed,
      );

      const id = newId(now);
      const row: CommentRow = {
        id,
        post_id: sub.post.id,
        parent_id: parent?.id ?? null,
        root_id: parent?.root_id ?? id,
        depth: parent ? parent.depth + 1 : 0,
        status: decision.status,
        // A reply inside a private conversation stays private.
        visibility: sub.private || parent?.visibility === 'private' ? 'private' : 'public',
        author_name: f.name,
        author_email: f.email,
        author_url: f.url,
        staff_user_id: null,
        markdown: f.body,
        html: markdown.comment(f.body),
        edit_token_hash: sub.credentialHash,
        notify: sub.notify ? 1 : 0,
        ip: sub.ip,
        user_agent: sub.userAgent?.slice(0, 500) ?? null,
        kind: 'comment',
        source: null,
        source_id: null,
        created_at: now,
        edited_at: null,
      };
      const render = await threadRenderer();
      await db.transaction().execute((trx) => insertNewComment(trx, row, now, render));
      announceLive(row);
      return { kind: 'posted', comment: row, duplicate: false };
    },

    async conversation(post, q) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      const base = { count: post.comment_count, order: q.order, maxDepth: s.maxDepth, open: commentsOpen(post, now), now };
      // What every reader sees alike: each thread's kept HTML, when all of the page's is current.
      if (!q.credentialHash && !q.staff && !q.nodes) {
        const { total, page, pages } = pageWithin(post, q.page, s.threadsPerPage);
        if (total === 0) return { ...base, threads: [], threadHtml: [], threadCount: 0, page, pages };
        const kept = await store.publicThreadHtmlPage(db, post.id, q.order, s.threadsPerPage, (page - 1) * s.threadsPerPage);
        const key = threadHtmlKey(s.maxDepth);
        const stale = kept.filter((r) => r.public_html === null || r.html_key !== key).map((r) => r.root_id);
        if (kept.length > 0 && stale.length === 0) {
          const threadHtml = kept.map((r) => r.public_html as string);
          return { ...base, threads: [], threadHtml, threadCount: threadHtml.length, page, pages };
        }
        threadHtml.want(stale);
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
      if (!comment) throw new NotFoundError('That comment is not here.');
      return reader.locateRow(post, comment, actor, order);
    },

    async locateRow(post, comment, actor, order = 'oldest') {
      if (comment.post_id !== post.id || !canSeeComment(actor, comment, post)) throw new NotFoundError('That comment is not here.');
      const s = await deps.conversationSettings.get();
      return { comment, page: await pageOf(post, comment, order, s.threadsPerPage) };
    },

    async writerEdit(post, commentId, credentialHash, text, append) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      const actor: ReaderActor = { kind: 'reader', credentialHash };
      const before = await store.findComment(db, commentId);
      if (!before || before.post_id !== post.id || !canSeeComment(actor, before, post))
        throw new NotFoundError('That comment is not here.');
      if (!canEditComment(actor, before, post, now, s.editWindowMinutes * 60_000)) {
        throw new ForbiddenError(`A comment can be changed for ${s.editWindowMinutes} minutes after it is posted; that time has passed.`);
      }
      const added = text.replace(/\r\n?/g, '\n').trim();
      const next = append ? `${before.markdown}\n\n${added}` : added;
      if (!added) throw new InvalidError('Some fields need attention.', { body: 'Write your comment.' });
      if (next.length > s.bodyMaxChars)
        throw new TooLargeError(`Your comment would be ${next.length} characters long; the limit is ${s.bodyMaxChars}.`);
      if (next === before.markdown) return before;
      const stricter = afterEdit(
        { name: before.author_name, email: before.author_email, url: before.author_url, markdown: next, ip: before.ip },
        s,
        deps.relaxed,
      );
      const status = stricter === 'spam' || (stricter === 'pending' && before.status === 'published') ? stricter : before.status;
      const render = await threadRenderer();
      const after = await db.transaction().execute(async (trx) => {
        await store.insertRevision(trx, {
          id: newId(now),
          comment_id: before.id,
          markdown: before.markdown,
          edited_at: now,
          edited_by: 'writer',
        });
        return changeComment(
          trx,
          before,
          { markdown: next, html: markdown.comment(next), edited_at: now, edited_by: 'writer', status },
          now,
          render,
        );
      });
      announceLive(after);
      return after;
    },

    async writerDelete(post, commentId, credentialHash) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      const actor: ReaderActor = { kind: 'reader', credentialHash };
      const before = await store.findComment(db, commentId);
      if (!before || before.post_id !== post.id || !canSeeComment(actor, before, post))
        throw new NotFoundError('That comment is not here.');
      if (!canEditComment(actor, before, post, now, s.editWindowMinutes * 60_000)) {
        throw new ForbiddenError(`A comment can be deleted for ${s.editWindowMinutes} minutes after it is posted; that time has passed.`);
      }
      const render = await threadRenderer();
      const deleted = await db.transaction().execute(async (trx) => {
        await store.insertRevision(trx, {
          id: newId(now),
          comment_id: before.id,
          markdown: before.markdown,
          edited_at: now,
          edited_by: 'writer:deleted',
        });
        return changeComment(trx, before, { status: 'trash' }, now, render);
      });
      announceLive(deleted);
      return deleted;
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
      if (!row || row.post_id !== post.id || row.status === 'trash') throw new NotFoundError('That comment is not here.');
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

    async publishAnonymously(post, commentId) {
      const now = clock.now();
      const root = await store.findComment(db, commentId);
      if (!root || root.post_id !== post.id || root.status === 'trash' || root.status === 'spam')
        throw new NotFoundError('That comment is not here.');
      if (root.visibility === 'public') return root;
      if (root.parent_id !== null) throw new ConflictError('Only a question that starts a conversation can be published this way.');
      const rows = await store.commentsOfRoot(db, root.root_id);
      const render = await threadRenderer();
      const result = await db.transaction().execute(async (trx) => {
        let updated = root;
        for (const r of rows) {
          if (r.visibility !== 'private') continue;
          // The writer's name and website are withheld; the author's answers keep hers.
          const patch = r.staff_user_id
            ? { visibility: 'public' as const }
            : { visibility: 'public' as const, author_name: ANONYMOUS_NAME, author_url: null };
          const after = await changeComment(trx, r, patch, now, render);
          if (r.id === root.id) updated = after;
        }
        return updated;
      });
      announceLive(result);
      return result;
    },

    async claimFormToken(token, ip) {
      if (deps.relaxed) return true;
      const { minSecondsOnPage } = await deps.conversationSettings.get();
      return deps.limiter.once(`comment-form:${hashToken(`${token}\n${ip ?? ''}`)}`, minSecondsOnPage, clock.now());
    },

    async preview(text) {
      const s = await deps.conversationSettings.get();
      return markdown.comment(text.slice(0, s.bodyMaxChars));
    },

    settings: () => deps.conversationSettings.get(),
    threadHtml,

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

  const staff = createStaffCommentService({
    db,
    clock,
    renderHtml,
    threadRenderer,
    programCards: deps.programCards,
    onPublished: announceLive,
    windowMs,
  });
  return { ...reader, ...staff };
}
