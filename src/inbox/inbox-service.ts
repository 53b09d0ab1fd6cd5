// "Awaiting your reply": the threads on an author's posts whose latest reader words have no staff
// answer yet, oldest wait first, each with its thread, "no reply needed", and the author's own posts
// worth sharing beside the reply. Replies go through the staff comment service like every other.
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import { canModerateComment } from '../comments/comment-policy.js';
import type { CommentQueries } from '../comments/comment-queries.js';
import { editorIds } from '../comments/edit-mark.js';
import type { InboxItem, StaffCommentService } from '../comments/staff-comment-service.js';
import type { Db } from '../db/connect.js';
import type { CommentRow } from '../db/tables.js';
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
  /** The names of staff who edited any of these comments, by id (for "edited by"). */
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

export function createInboxService(deps: { db: Db; clock: Clock; comments: StaffCommentService & CommentQueries }): InboxService {
  const { db, clock, comments } = deps;

  /** The author's titles and programs, read once per page however many entries share her. */
  function perAuthor<T>(load: (authorId: string) => Promise<T>) {
    const cache = new Map<string, Promise<T>>();
    return (authorId: string) => {
      let hit = cache.get(authorId);
      if (!hit) {
        hit = load(authorId);
        cache.set(authorId, hit);
      }
      return hit;
    };
  }

  async function suggestWith(titles: TitleIndex<ShareablePost>, authorId: string, postId: string, words: string): Promise<ShareablePost[]> {
    const named = namedPosts(words, titles).filter((p) => p.id !== postId);
    const similar = await postsMatching(db, {
      authorId,
      words: significantWords(words),
      excludeId: postId,
      now: clock.now(),
      limit: SUGGESTIONS,
    });
    return rankSuggestions(named, similar);
  }

  async function entryOf(
    staff: Staff,
    item: InboxItem,
    authorId: string,
    titles: TitleIndex<ShareablePost>,
    programs: ShareablePost[],
  ): Promise<InboxEntry> {
    const waitingFrom = item.comment.comment;
    const post = { author_id: authorId };
    const actor = { kind: 'staff' as const, id: staff.id, role: staff.role };
    const thread = (await comments.threadComments(waitingFrom.root_id))
      .filter((r) => r.status === 'published' && canModerateComment(actor, r, post))
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    const at = thread.findIndex((r) => r.id === waitingFrom.id);
    const earlier = at === -1 ? [] : thread.slice(0, at);
    const waiting = at === -1 ? [waitingFrom] : thread.slice(at).filter((r) => r.staff_user_id === null);
    const replyTo = waiting.at(-1) ?? waitingFrom;
    const words = waiting.map((r) => r.markdown).join('\n\n');
    return {
      item,
      earlier,
      waiting,
      editors: await comments.staffNames(editorIds([...earlier, ...waiting])),
      replyTo,
      suggestions: await suggestWith(titles, authorId, item.post.id, words),
      programs,
    };
  }

  return {
    async page(staff, q) {
      const page = await comments.inbox(staff, q);
      const authors = await postAuthors(db, [...new Set(page.items.map((i) => i.post.id))]);
      const titlesOf = perAuthor(async (id) => titleIndex(await publishedOf(db, id, 'post', clock.now(), TITLES)));
      const programsOf = perAuthor((id) => publishedOf(db, id, 'program', clock.now(), PROGRAMS));
      const entries: InboxEntry[] = [];
      for (const item of page.items) {
        const authorId = authors.get(item.post.id) ?? '';
        entries.push(await entryOf(staff, item, authorId, await titlesOf(authorId), await programsOf(authorId)));
      }
      return { entries, total: page.total, last: page.last };
    },

    count: (staff) => comments.countAwaiting(staff),

    dismiss: (staff, commentId) => comments.dismiss(staff, commentId),

    async suggest(authorId, postId, words) {
      return suggestWith(titleIndex(await publishedOf(db, authorId, 'post', clock.now(), TITLES)), authorId, postId, words);
    },
  };
}
