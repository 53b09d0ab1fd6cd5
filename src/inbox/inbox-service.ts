// "Awaiting your reply": the threads on an author's posts whose latest reader words have no staff
// answer yet, oldest wait first, each with its thread, "no reply needed", and the author's own posts
// worth sharing beside the reply. Replies go through the staff comment service like every other.
import type { Staff } from '../accounts/accounts-service.js';
import type { ChangeFeed } from '../cache/change-feed.js';
import { createSiteMemo } from '../cache/site-memo.js';
import type { Clock } from '../clock.js';
import { canModerateComment } from '../comments/comment-policy.js';
import type { CommentQueries } from '../comments/comment-queries.js';
import { editorIds } from '../comments/edit-mark.js';
import type { InboxItem, StaffCommentService } from '../comments/staff-comment-service.js';
import type { Db } from '../db/connect.js';
import type { TextLanguage } from '../db/full-text.js';
import type { CommentRow } from '../db/tables.js';
import { nextScheduledAt } from '../posts/post-store.js';
import { indexLanguage } from '../search/search-index.js';
import { postAuthors } from './inbox-store.js';
import { postsMatching, publishedOf, type ShareablePost } from './reading-store.js';
import { namedPosts, rankSuggestions, SUGGESTIONS, significantWords, type TitleIndex, titleIndex } from './reading-to-share.js';

/** One waiting thread as the inbox shows it. */
export interface InboxEntry {
  item: InboxItem;
  /** What came before the waiting words (published, visible to this staff member), oldest first. */
  earlier: CommentRow[];
  /** The waiting reader comment and any reader follow-ups after it, oldest first. */
  waiting: CommentRow[];
  /** The names of staff who edited any comment the page shows, by id (for "edited by"). */
  editors: ReadonlyMap<string, string>;
  /** The comment a reply answers: the reader's latest words. */
  replyTo: CommentRow;
  /** The author's posts most worth sharing here, the ones the reader names first. */
  suggestions: ShareablePost[];
  /** The author's programs, offered as cards. */
  programs: ShareablePost[];
}

export interface InboxPage {
  entries: InboxEntry[];
  total: number;
  last: [number, string] | null;
}

export interface InboxService {
  page(staff: Staff, q: { limit: number; after: [number, string] | undefined }): Promise<InboxPage>;
  /** How many threads await this staff member: the navigation badge. */
  count(staff: Staff): Promise<number>;
  /**
   * "No reply needed" for the thread, up to and including `commentId` (the reader's latest words the
   * author saw): it leaves the inbox until a reader writes in it again.
   */
  dismiss(staff: Staff, commentId: string): Promise<void>;
  /** Up to five of the author's own published posts for a reader's words (and never `postId` itself). */
  suggest(authorId: string, postId: string, words: string): Promise<ShareablePost[]>;
}

/** How many programs are offered beside a reply. */
const PROGRAMS = 5;
/** How many of an author's titles are checked for being named: far beyond a personal site. */
const TITLES = 5000;
/** How many authors' titles and programs a process keeps. */
const KEPT_AUTHORS = 20;

export function createInboxService(deps: {
  db: Db;
  clock: Clock;
  comments: StaffCommentService & CommentQueries;
  /** Keeps each author's titles and programs between pages until a post changes (without it, read each time). */
  changes?: ChangeFeed | undefined;
}): InboxService {
  const { db, clock, comments } = deps;
  // An author's titles (up to 5,000 rows: most of an inbox page's database time at 25,000 posts)
  // and programs, kept until a post changes or a scheduled one appears.
  const memo = <T>() =>
    createSiteMemo<T>({ clock, changes: deps.changes, nextScheduledAt: () => nextScheduledAt(db, clock.now()), maxEntries: KEPT_AUTHORS });
  const keptTitles = memo<TitleIndex<ShareablePost>>();
  const keptPrograms = memo<ShareablePost[]>();
  const titlesOf = (authorId: string) =>
    keptTitles.get(authorId, async () => titleIndex(await publishedOf(db, authorId, 'post', clock.now(), TITLES)));
  const programsOf = (authorId: string) => keptPrograms.get(authorId, () => publishedOf(db, authorId, 'program', clock.now(), PROGRAMS));

  async function suggestWith(
    titles: TitleIndex<ShareablePost>,
    lang: TextLanguage,
    authorId: string,
    postId: string,
    words: string,
  ): Promise<ShareablePost[]> {
    const named = namedPosts(words, titles).filter((p) => p.id !== postId);
    const similar = await postsMatching(db, {
      authorId,
      words: significantWords(words),
      excludeId: postId,
      now: clock.now(),
      limit: SUGGESTIONS,
      lang,
    });
    return rankSuggestions(named, similar);
  }

  /** What came before the waiting words and what waits, as this staff member may see them. */
  function conversationOf(staff: Staff, item: InboxItem, authorId: string, threadRows: readonly CommentRow[]) {
    const waitingFrom = item.comment.comment;
    const post = { author_id: authorId };
    const actor = { kind: 'staff' as const, id: staff.id, role: staff.role };
    const thread = threadRows
      .filter((r) => r.status === 'published' && canModerateComment(actor, r, post))
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    const at = thread.findIndex((r) => r.id === waitingFrom.id);
    const earlier = at === -1 ? [] : thread.slice(0, at);
    const waiting = at === -1 ? [waitingFrom] : thread.slice(at).filter((r) => r.staff_user_id === null);
    return { earlier, waiting, replyTo: waiting.at(-1) ?? waitingFrom };
  }

  return {
    async page(staff, q) {
      const page = await comments.inbox(staff, q);
      // The page's threads, their posts' authors and the index's language are read once for all
      // its entries, and the entries' suggestions are looked up side by side: one entry at a time
      // made an inbox page some seventy round trips in a row.
      const [authors, threadRows, lang] = await Promise.all([
        postAuthors(db, [...new Set(page.items.map((i) => i.post.id))]),
        comments.threadsComments([...new Set(page.items.map((i) => i.comment.comment.root_id))]),
        indexLanguage(db),
      ]);
      const byRoot = new Map<string, CommentRow[]>();
      for (const r of threadRows) {
        const rows = byRoot.get(r.root_id);
        if (rows) rows.push(r);
        else byRoot.set(r.root_id, [r]);
      }
      const conversations = page.items.map((item) => {
        const authorId = authors.get(item.post.id) ?? '';
        return { item, authorId, ...conversationOf(staff, item, authorId, byRoot.get(item.comment.comment.root_id) ?? []) };
      });
      const [editors, suggestions, programs] = await Promise.all([
        comments.staffNames(editorIds(conversations.flatMap((c) => [...c.earlier, ...c.waiting]))),
        Promise.all(
          conversations.map(async (c) =>
            suggestWith(await titlesOf(c.authorId), lang, c.authorId, c.item.post.id, c.waiting.map((r) => r.markdown).join('\n\n')),
          ),
        ),
        Promise.all(conversations.map((c) => programsOf(c.authorId))),
      ]);
      const entries = conversations.map(
        ({ item, earlier, waiting, replyTo }, i): InboxEntry => ({
          item,
          earlier,
          waiting,
          editors,
          replyTo,
          suggestions: suggestions[i] ?? [],
          programs: programs[i] ?? [],
        }),
      );
      return { entries, total: page.total, last: page.last };
    },

    count: (staff) => comments.countAwaiting(staff),

    dismiss: (staff, commentId) => comments.dismiss(staff, commentId),

    async suggest(authorId, postId, words) {
      const [titles, lang] = await Promise.all([titlesOf(authorId), indexLanguage(db)]);
      return suggestWith(titles, lang, authorId, postId, words);
    },
  };
}
