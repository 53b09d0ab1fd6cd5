// Writing a conversation: a reader's comment sent, edited, deleted or published anonymously, and
// comments added as given (demo content, imports); with them, staff replies and moderation
// (staff-comment-service.ts). Every write keeps the post's counts, the thread summary, the kept
// thread HTML (through the KeptThreads hook) and the outbox in step, and tells open pages.
import type { ChangeFeed } from '../cache/change-feed.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { groupedOn } from '../db/grouped.js';
import type { CommentRow, PostRow } from '../db/tables.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, TooLargeError, TooManyError } from '../errors.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locales.js';
import { hashToken, newId } from '../ids.js';
import type { ConversationSettings, ConversationSettingsService } from '../moderation/conversation-settings.js';
import { afterEdit, receive } from '../moderation/moderation-rules.js';
import type { RateLimiter } from '../moderation/rate-limiter.js';
import type { SpamCheck } from '../moderation/spam-check.js';
import type { PostToWriteOn } from '../posts/post-store.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { canEditComment, canSeeComment, commentsOpen, type ReaderActor } from './comment-policy.js';
import * as store from './comment-store.js';
import {
  ANONYMOUS_NAME,
  type CommentInput,
  type EditedWords,
  type KeptThreads,
  type ReaderWords,
  type Submission,
  type SubmitResult,
} from './comment-types.js';
import { changeComment, insertNewComment, type RenderThread, threadStarter } from './comment-writes.js';
import { checkFormToken } from './signing.js';
import { createStaffCommentService, type StaffCommentService } from './staff-comment-service.js';

export interface ConversationWriting {
  /** Demo content and imports: a comment as given, with counts and threads kept in step. */
  add(input: CommentInput): Promise<CommentRow>;
  submit(sub: Submission): Promise<SubmitResult>;
  /**
   * The post published at `slug`, read with the writer's history on it for these words (for
   * `submit`, in one round trip); undefined when no post is published there.
   */
  postToWriteOn(slug: string, words: ReaderWords): Promise<{ post: PostToWriteOn; history: store.WriterHistory } | undefined>;
  writerEdit(post: PostRow, commentId: string, credentialHash: string | null, words: EditedWords, append: boolean): Promise<CommentRow>;
  writerDelete(post: PostRow, commentId: string, credentialHash: string | null): Promise<CommentRow>;
  /**
   * The words changed or were withdrawn where they were written (a fediverse Update or Delete, a
   * Webmention source changed or gone):
   * the caller proved the change comes from their author, so no edit window applies.
   */
  originEdit(commentId: string, markdown: string): Promise<CommentRow | undefined>;
  originDelete(commentId: string): Promise<CommentRow | undefined>;
  /** The writer agrees: her private question (and its answers) become public, her name withheld. */
  publishAnonymously(post: PostRow, commentId: string): Promise<CommentRow>;
}

export interface ConversationWritingDeps {
  db: Db;
  clock: Clock;
  markdown: MarkdownRenderer;
  conversationSettings: ConversationSettingsService;
  limiter: RateLimiter;
  spamCheck: SpamCheck;
  /** Tells every process what changed (page cache, live updates). */
  changes: ChangeFeed;
  /** The site's signing secret: a comment form's token is signed with it (signing.ts). */
  secret: () => Promise<string>;
  /** The kept thread HTML (src/comments/kept-html/): rendered with every write. */
  keptThreads: KeptThreads;
  /** Benchmarks only: publish what the hold rules and rate limits would keep back. */
  relaxed: boolean;
  /** The site's language, for the kept HTML of threads under posts without one of their own. */
  siteLocale?: (() => Promise<Locale>) | undefined;
  /** Program cards in staff replies (src/programs). */
  programCards?: ((html: string, from: { kind: 'comment'; id: string }, trx: Db) => Promise<string>) | undefined;
}

/**
 * What the store relies on whatever door a reader's words came in by: words to keep, within the
 * site's limit, from someone named. The form's rules (what is required, lengths, formats, and the
 * messages that say so in the reader's language) are not repeated here: they live once, in
 * comment-form.ts's readerWordsSchema, which every door parses through before it calls submit
 * (the post page's form and its JSON twin in comment-routes.tsx, replies by email in src/mailin).
 * Imports and demo content write through add(), as given. Failing this is a bug in a caller.
 */
function assertWords(w: ReaderWords, s: ConversationSettings): void {
  if (!w.body || w.body.length > s.bodyMaxChars || !w.name || !w.email.includes('@'))
    throw new Error('A reader comment reached the comment service without passing the form rules (comment-form.ts).');
}

export function createConversationWriting(deps: ConversationWritingDeps): ConversationWriting & StaffCommentService {
  const { db, clock, markdown, changes } = deps;
  const startThread = threadStarter(db);
  /** On PostgreSQL, the reads of comments sent together go together (src/db/grouped.ts). */
  const readPostToWriteOn = groupedOn<store.WriterAsk, Awaited<ReturnType<ConversationWriting['postToWriteOn']>>>(db, {
    together: (asks) => store.findPostsWithWriterHistory(db, asks, clock.now()),
    alone: (ask) => store.findPostWithWriterHistory(db, { ...ask, now: clock.now() }),
  });
  const windowMs = async () => (await deps.conversationSettings.get()).editWindowMinutes * 60_000;
  /**
   * Every write here renders its thread's HTML in its own transaction, so the next page has it.
   * Made before the transaction begins: reading the settings inside it would wait forever for
   * SQLite's one connection.
   */
  const siteLocale = async (): Promise<Locale> => (deps.siteLocale ? await deps.siteLocale() : DEFAULT_LOCALE);
  const threadRenderer = async (): Promise<RenderThread> => {
    const [{ maxDepth }, locale] = await Promise.all([deps.conversationSettings.get(), siteLocale()]);
    return (trx, rootId) => deps.keptThreads.renderIn(trx, [rootId], maxDepth, locale);
  };

  /**
   * A comment form's token: signed for this post, fresh, and not sent quicker than a person
   * writes. Then one use of it from an address: refused when it sent a comment from there less
   * than the minimum time on page ago, so a token cannot be replayed to skip that time. Per
   * address, because a cached page gives many readers the same token.
   */
  async function checkForm(
    post: Pick<PostRow, 'id'>,
    form: { ts: string; token: string },
    ip: string | null,
    s: ConversationSettings,
    now: number,
  ) {
    const check = checkFormToken(await deps.secret(), post.id, form.ts, form.token, now, s.minSecondsOnPage);
    if (check === 'invalid' || check === 'expired') {
      throw new InvalidError('This form had grown old, so it was not sent. Please send it again: your words are kept below.').saying({
        message: { key: 'form.stale' },
      });
    }
    if (check === 'too-quick') {
      throw new InvalidError('That was quicker than a person can write. Please look over your comment and send it again.').saying({
        message: { key: 'form.tooQuick' },
      });
    }
    if (deps.relaxed) return;
    if (!(await deps.limiter.once(`comment-form:${hashToken(`${form.token}\n${ip ?? ''}`)}`, s.minSecondsOnPage, now))) {
      throw new InvalidError(
        'This form sent a comment a moment ago. Please look over yours and send it again: your words are kept below.',
      ).saying({
        message: { key: 'form.repeated' },
      });
    }
  }

  const renderHtml = (row: Pick<CommentRow, 'staff_user_id'>, text: string) =>
    row.staff_user_id ? markdown.post(text) : markdown.comment(text);
  /**
   * After every committed change to a comment: the post's cached pages are stale, and when the
   * comment is now published for everyone, open pages (in every process) hear of it.
   */
  function announceLive(row: CommentRow) {
    const shown = row.status === 'published' && row.visibility === 'public';
    void changes.publish({ scope: 'post', postId: row.post_id, ...(shown ? { live: { id: row.id, parentId: row.parent_id } } : {}) });
  }

  /**
   * New words from the comment's own writer (her edit, or her words changed where she wrote them):
   * judged again as new words are, so a link-laden edit goes back to the queue; the old words are
   * kept as a revision.
   */
  async function reword(before: CommentRow, next: string, s: ConversationSettings, now: number): Promise<CommentRow> {
    const stricter = afterEdit(
      { name: before.author_name, email: before.author_email, url: before.author_url, markdown: next, ip: before.ip },
      s,
      deps.relaxed,
    );
    const status = stricter === 'spam' || (stricter === 'pending' && before.status === 'published') ? stricter : before.status;
    const patch = { markdown: next, html: markdown.comment(next), edited_at: now, edited_by: 'writer', status };
    return changeKeepingWords(before, 'writer', patch, now);
  }

  /** The comment withdrawn by its writer: to the trash, its words kept as a revision. */
  async function withdraw(before: CommentRow, now: number): Promise<CommentRow> {
    return changeKeepingWords(before, 'writer:deleted', { status: 'trash' }, now);
  }

  /** A writer's change to her comment, her words before it kept as a revision, in one transaction. */
  async function changeKeepingWords(
    before: CommentRow,
    editedBy: string,
    patch: Parameters<typeof changeComment>[2],
    now: number,
  ): Promise<CommentRow> {
    const render = await threadRenderer();
    const after = await db.transaction().execute(async (trx) => {
      await store.insertRevision(trx, {
        id: newId(now),
        comment_id: before.id,
        markdown: before.markdown,
        edited_at: now,
        edited_by: editedBy,
      });
      return changeComment(trx, before, patch, now, render);
    });
    announceLive(after);
    return after;
  }

  const writing: ConversationWriting = {
    async add(input) {
      const now = input.createdAt ?? clock.now();
      const render = await threadRenderer();
      const row = await db.transaction().execute(async (trx) => {
        const parent = input.parentId ? await store.findComment(trx, input.parentId) : undefined;
        if (input.parentId && (!parent || parent.post_id !== input.postId))
          throw new NotFoundError('The comment you answered is gone.').saying({ message: { key: 'form.errorParent' } });
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
          origin: input.origin?.kind ?? 'site',
          origin_url: input.origin?.url ?? null,
        };
        await insertNewComment(trx, row, clock.now(), render);
        return row;
      });
      announceLive(row);
      return row;
    },

    postToWriteOn(slug, words) {
      return readPostToWriteOn({ slug, email: words.email, markdown: words.body });
    },

    async submit(sub) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      if (!commentsOpen(sub.post, now))
        throw new ForbiddenError('Comments are closed on this post.').saying({ message: { key: 'comments.closed' } });
      if (sub.form) await checkForm(sub.post, sub.form, sub.ip, s, now);
      const f = sub.words;
      assertWords(f, s);
      const actor: ReaderActor = { kind: 'reader', credentialHash: sub.credentialHash };

      let parent: CommentRow | undefined;
      if (sub.parentId) {
        parent = await store.findComment(db, sub.parentId);
        const reachable = sub.mailed ? parent?.status === 'published' : parent && canSeeComment(actor, parent, sub.post);
        if (!parent || parent.post_id !== sub.post.id || !reachable) {
          throw new InvalidError('The comment you are answering is no longer here.', { parent: 'That comment is no longer here.' }).saying({
            fields: { parent: { key: 'form.errorParent' } },
          });
        }
        if (!sub.replyChosen && canEditComment(actor, parent, sub.post, now, s.editWindowMinutes * 60_000)) {
          return { kind: 'choose', original: parent };
        }
      }

      // The same words again from the same person: a resent form, answered as the first time.
      const history = sub.history ?? (await store.writerHistoryOf(db, sub.post.id, f.email, f.body));
      const duplicate = history.duplicateId === null ? undefined : await store.findComment(db, history.duplicateId);
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
            ).saying({ message: { key: 'form.tooMany', values: { seconds: verdict.retryAfterSeconds } } });
          }
        }
      }

      const firstTime = !history.published;
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
      if (sub.mailed?.hold && decision.status === 'published') decision.status = 'pending';

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
        origin: sub.origin?.kind ?? 'site',
        origin_url: sub.origin?.url ?? null,
      };
      let threadsBefore: store.ThreadsBefore | null = null;
      if (parent) {
        const render = await threadRenderer();
        await db.transaction().execute((trx) => insertNewComment(trx, row, now, render));
      } else {
        const [{ maxDepth }, locale] = await Promise.all([deps.conversationSettings.get(), siteLocale()]);
        ({ threadsBefore } = await startThread(row, now, deps.keptThreads.renderFirst(row, sub.post, maxDepth, locale)));
      }
      announceLive(row);
      return { kind: 'posted', comment: row, duplicate: false, threadsBefore };
    },

    async writerEdit(post, commentId, credentialHash, words, append) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      const actor: ReaderActor = { kind: 'reader', credentialHash };
      const before = await store.findComment(db, commentId);
      if (!before || before.post_id !== post.id || !canSeeComment(actor, before, post))
        throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
      if (!canEditComment(actor, before, post, now, s.editWindowMinutes * 60_000)) {
        throw new ForbiddenError(
          `A comment can be changed for ${s.editWindowMinutes} minutes after it is posted; that time has passed.`,
        ).saying({
          message: { key: 'comment.editTooLate', values: { minutes: s.editWindowMinutes } },
        });
      }
      // Her words passed the edit form's rules (comment-form.ts); how long the comment grows depends on what is stored.
      const next = append ? `${before.markdown}\n\n${words}` : words;
      if (next.length > s.bodyMaxChars)
        throw new TooLargeError(`Your comment would be ${next.length} characters long; the limit is ${s.bodyMaxChars}.`).saying({
          message: { key: 'form.tooLong', values: { length: next.length, max: s.bodyMaxChars } },
        });
      if (next === before.markdown) return before;
      return reword(before, next, s, now);
    },

    async writerDelete(post, commentId, credentialHash) {
      const s = await deps.conversationSettings.get();
      const now = clock.now();
      const actor: ReaderActor = { kind: 'reader', credentialHash };
      const before = await store.findComment(db, commentId);
      if (!before || before.post_id !== post.id || !canSeeComment(actor, before, post))
        throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
      if (!canEditComment(actor, before, post, now, s.editWindowMinutes * 60_000)) {
        throw new ForbiddenError(
          `A comment can be deleted for ${s.editWindowMinutes} minutes after it is posted; that time has passed.`,
        ).saying({
          message: { key: 'comment.deleteTooLate', values: { minutes: s.editWindowMinutes } },
        });
      }
      return withdraw(before, now);
    },

    async originEdit(commentId, text) {
      const now = clock.now();
      const before = await store.findComment(db, commentId);
      const s = await deps.conversationSettings.get();
      const next = text.replace(/\r\n?/g, '\n').trim().slice(0, s.bodyMaxChars);
      if (!before || before.status === 'trash' || !next || next === before.markdown) return before;
      return reword(before, next, s, now);
    },

    async originDelete(commentId) {
      const before = await store.findComment(db, commentId);
      if (!before || before.status === 'trash') return before;
      return withdraw(before, clock.now());
    },

    async publishAnonymously(post, commentId) {
      const now = clock.now();
      const root = await store.findComment(db, commentId);
      if (!root || root.post_id !== post.id || root.status === 'trash' || root.status === 'spam')
        throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
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
  };

  const staff = createStaffCommentService({
    db,
    clock,
    renderHtml,
    threadRenderer,
    programCards: deps.programCards,
    onPublished: announceLive,
    windowMs,
  });
  return { ...writing, ...staff };
}
