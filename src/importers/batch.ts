// The neutral shape every importer produces and the one writer (apply-import.ts) consumes.
// Parsers yield records in small arrays as they read, so nothing holds a whole file: a record
// refers to others by their id in the source file, never by a Hearth id.
import type { CommentStatus, PostKind, PostStatus, Visibility } from '../db/tables.js';

/** How a text's source is turned into shown HTML. */
export type TextFormat =
  /** HTML as WordPress stores it: its paragraph logic still to be applied. */
  | 'wordpress'
  /** HTML already shaped into paragraphs (a Disqus message, a Hearth export). */
  | 'html'
  /** Hearth Markdown (a Hearth export of a post or comment written in Hearth). */
  | 'markdown';

/** Which site the records come from: with each record's id, the key that makes imports idempotent. */
export interface SiteRecord {
  type: 'site';
  source: string;
  title: string;
  /** The site's name and tagline as the export states them (a WXR channel): a site without its own takes them. */
  identity?: { title: string; tagline: string };
}

export interface AuthorRecord {
  type: 'author';
  /** The login, how posts name their author. */
  login: string;
  /** The numeric user id comments refer to (WXR 1.1+), if any. */
  userId: string | null;
  email: string | null;
  name: string;
}

export interface TagRecord {
  type: 'tag';
  slug: string;
  name: string;
}

export interface PostRecord {
  type: 'post';
  sourceId: string;
  /** The Hearth id of a post from a Hearth export: the same post wherever it is imported. */
  hearthId: string | null;
  kind: PostKind;
  title: string;
  slug: string;
  content: string;
  format: TextFormat;
  /** A custom excerpt, plain text; empty: derived from the content. */
  excerpt: string;
  status: PostStatus;
  publishedAt: number | null;
  createdAt: number | null;
  updatedAt: number | null;
  authorLogin: string | null;
  tags: { slug: string; name: string }[];
  sticky: boolean;
  commentsOpen: boolean;
  /** Paths the post answered at on the old site (`/2014/01/hello/`, `/?p=12`): they will redirect. */
  oldPaths: string[];
}

/** A conversation that belongs to a post found by address (Disqus): a draft post when none matches. */
export interface ThreadRecord {
  type: 'thread';
  sourceId: string;
  title: string;
  link: string;
  /** What the source calls the page (Disqus `<id>`): a path, a URL or "123 http://site/?p=123". */
  identifier: string;
  deleted: boolean;
  createdAt: number | null;
  /** A page of another site (Remark42, Isso): its conversation is keyed by `link`, and its site registered (src/sites). */
  external?: boolean;
}

export interface CommentRecord {
  type: 'comment';
  sourceId: string;
  /** The Hearth id of a comment from a Hearth export. */
  hearthId: string | null;
  /** The post (or thread) the comment belongs to, by its source id. */
  postSourceId: string;
  parentSourceId: string | null;
  status: CommentStatus;
  /** Private comments come only from a Hearth export. */
  visibility: Visibility;
  kind: 'comment' | 'mention';
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  /** The source's user id of a staff writer (WXR comment_user_id), matched to an imported author. */
  authorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  content: string;
  format: TextFormat;
  createdAt: number | null;
}

/** Something in the file Hearth does not keep (an attachment, a menu item), counted by what it is. */
export interface SkipRecord {
  type: 'skip';
  what: string;
}

export type ImportRecord = SiteRecord | AuthorRecord | TagRecord | PostRecord | ThreadRecord | CommentRecord | SkipRecord;

/** What a parser yields: records in file order, a few at a time. */
export type ImportBatch = AsyncIterable<ImportRecord[]>;

/** A parser reads text chunks and reports each repair or oddity it tolerated. */
export type Parser = (chunks: AsyncIterable<string>, warn: (message: string) => void) => ImportBatch;

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number | null;
  posts: number;
  comments: number;
}

export const IMPORT_FORMATS = ['wordpress', 'disqus', 'remark42', 'isso', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

type Counts<K extends string> = Record<K, number>;

export interface ImportSummary {
  format: ImportFormat;
  source: string;
  dryRun: boolean;
  users: { added: number; matched: number };
  tags: { added: number };
  posts: {
    /** Every post the file holds that Hearth keeps (added or already there). */
    total: number;
    added: number;
    existing: number;
    byStatus: Counts<PostStatus>;
    byKind: Counts<PostKind>;
    /** Draft posts made for conversations that matched no post (Disqus). */
    drafts: number;
    /** Items Hearth does not keep, by type (attachment, nav_menu_item, ...). */
    skipped: Record<string, number>;
  };
  comments: {
    total: number;
    added: number;
    existing: number;
    byStatus: Counts<CommentStatus>;
    mentions: number;
    replies: number;
    staff: number;
  };
  redirects: { added: number };
  /** Threads whose readers waited since before `before` (epoch ms): left out of the inbox. */
  inbox: { leftOut: number; before: number | null };
  /** The site's title and tagline, where the import gave them (they were unset); null where it did not. */
  site: { title: string | null; tagline: string | null };
  /** Rows restored by table (import json only). */
  tables?: Record<string, number>;
  warnings: string[];
  /** Warnings beyond the ones listed. */
  moreWarnings: number;
}

export function emptySummary(format: ImportFormat, dryRun: boolean): ImportSummary {
  return {
    format,
    source: '',
    dryRun,
    users: { added: 0, matched: 0 },
    tags: { added: 0 },
    posts: {
      total: 0,
      added: 0,
      existing: 0,
      byStatus: { draft: 0, scheduled: 0, published: 0 },
      byKind: { post: 0, page: 0, program: 0, external: 0 },
      drafts: 0,
      skipped: {},
    },
    comments: {
      total: 0,
      added: 0,
      existing: 0,
      byStatus: { pending: 0, published: 0, spam: 0, trash: 0 },
      mentions: 0,
      replies: 0,
      staff: 0,
    },
    redirects: { added: 0 },
    inbox: { leftOut: 0, before: null },
    site: { title: null, tagline: null },
    warnings: [],
    moreWarnings: 0,
  };
}

const MAX_LISTED_WARNINGS = 100;

export function addWarning(summary: ImportSummary, message: string): void {
  if (summary.warnings.length < MAX_LISTED_WARNINGS) summary.warnings.push(message);
  else summary.moreWarnings++;
}

/** What the site took from the export, having no title or tagline of its own, in words; null when nothing. */
export function siteNamed(s: ImportSummary): string | null {
  const given = [
    s.site.title !== null ? `site title "${s.site.title}"` : null,
    s.site.tagline !== null ? `tagline "${s.site.tagline}"` : null,
  ].filter(Boolean);
  if (given.length === 0) return null;
  return `${given.join(' and ')} ${s.dryRun ? 'to take' : 'taken'} from the export`;
}
