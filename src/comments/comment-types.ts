// What the comment services, their routes, views and the kept thread HTML share: types only (and
// one name), so this file imports nothing of theirs and no import cycle can pass through it.
import type { z } from 'zod';
import type { Staff } from '../accounts/accounts-service.js';
import type { Db } from '../db/connect.js';
import type { CommentOrigin, CommentRow, CommentStatus, StaffRole, Visibility } from '../db/tables.js';
import type { Locale } from '../i18n/locales.js';
import type { PostToWriteOn } from '../posts/post-store.js';
import type { ShownCommentRow, ThreadOrder, ThreadsBefore, WriterHistory } from './comment-store.js';
import type { ThreadNode } from './thread.js';

/** The name an anonymized comment (a private question published without her name) shows. */
export const ANONYMOUS_NAME = 'A reader';

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
  /** Where the words came from, when not from the site itself. */
  origin?: Origin | undefined;
}

/** Where a comment came from, and the words' own address there (a fediverse post, a web page). */
export interface Origin {
  kind: CommentOrigin;
  url?: string | null | undefined;
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
export type ShownComment = ShownCommentRow & ShownExtras;
/** A comment with its whole row, for the JSON API. */
export type FullShownComment = CommentRow & ShownExtras;

export type RowToShow = ShownCommentRow & Partial<Pick<CommentRow, 'markdown' | 'edit_token_hash'>> & { author_role?: StaffRole | null };

/**
 * A reader's name, email, website and words as the form rules accepted them (comment-form.ts's
 * readerWordsSchema, the only maker of this type): trimmed, the email lowercased, the website a
 * full address or null.
 */
export type ReaderWords = { name: string; email: string; url: string | null; body: string } & z.$brand<'ReaderWords'>;

/** Her new words for a comment of hers, not empty, as comment-form.ts's editedWordsSchema accepted them. */
export type EditedWords = string & z.$brand<'EditedWords'>;

export interface Submission {
  post: PostToWriteOn;
  parentId: string | null;
  /** Checked at the door they came in by (the form's route, mail in): the service keeps no second copy of the rules. */
  words: ReaderWords;
  notify: boolean;
  private: boolean;
  honeypotFilled: boolean;
  /** The hash of the writer's credential (made by the route when she has none yet). */
  credentialHash: string;
  ip: string | null;
  userAgent: string | null;
  /** She already chose to post a reply to her own comment rather than edit it. */
  replyChosen: boolean;
  /** Sent with a comment form (the page's or the API's): its signed token, checked by the service. */
  form?: { ts: string; token: string } | undefined;
  /**
   * Sent by email to a signed reply address (src/mailin): the address proves she received the
   * comment she answers, private or not; `hold` keeps it for moderation whatever the rules say
   * (her mail server could not vouch for the sender).
   */
  mailed?: { hold?: string | undefined } | undefined;
  /** Where the words came from, when not from the site's own form or API (email, fediverse, web). */
  origin?: Origin | undefined;
  /** The writer's history on this post for these words, when read with the post (`postToWriteOn`). */
  history?: WriterHistory | undefined;
}

export type SubmitResult =
  | {
      kind: 'posted';
      comment: CommentRow;
      duplicate: boolean;
      /** A new thread readers see: how many come before it, oldest first, as its write counted them. */
      threadsBefore?: ThreadsBefore | null;
    }
  /** A reply to her own comment still inside its edit window: she may prefer to edit it. */
  | { kind: 'choose'; original: CommentRow };

export interface ConversationQuery {
  page: number;
  order: ThreadOrder;
  credentialHash: string | null;
  /** Staff signed in to the workspace: the post's author and the owner also read private comments. */
  staff?: Staff | undefined;
  /** Every comment as a node (a reply form or an edit needs them), never the kept thread HTML. */
  nodes?: boolean;
}

export interface Conversation {
  /** The page's comments as nodes, thread by thread; empty when the page shows kept HTML instead. */
  threads: ThreadNode<ShownComment>[];
  /** Each thread's kept HTML, in page order (src/comments/kept-html/thread-html.ts), when every one was current. */
  threadHtml?: string[] | undefined;
  /** Threads on this page. */
  threadCount: number;
  /** Published public comments: the post's public count. */
  count: number;
  page: number;
  pages: number;
  order: ThreadOrder;
  maxDepth: number;
  open: boolean;
  /** When it was read: the form's anti-spam time. */
  now: number;
}

export interface Located {
  comment: CommentRow;
  page: number;
}

/**
 * The kept thread HTML (src/comments/kept-html/) as the comment services use it, wired in main.ts:
 * they say when threads change and which kept HTML is current, and never render HTML themselves.
 */
export interface KeptThreads {
  /** What kept HTML must have been rendered with to be shown (this renderer, this reply depth, this language). */
  key(maxDepth: number, locale: Locale): string;
  /** Renders and keeps these threads' HTML in the caller's transaction (posts without a language in `siteLocale`). */
  renderIn(trx: Db, rootIds: readonly string[], maxDepth: number, siteLocale: Locale): Promise<void>;
  /**
   * The HTML a thread keeps when its first comment is all it holds, from that comment as written
   * (no read): null when readers see none of it.
   */
  renderFirst(
    comment: ShownCommentRow,
    post: { slug: string; language: string | null },
    maxDepth: number,
    siteLocale: Locale,
  ): { html: string | null; key: string };
  /** These threads changed, or a page found them empty or outdated: render them soon. */
  want(rootIds: Iterable<string>): void;
}
