// Row types of every table, as Kysely sees them. Times are epoch milliseconds; ids are UUIDv7 text.
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

export const STAFF_ROLES = ['owner', 'author', 'moderator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const POST_KINDS = ['post', 'page', 'program'] as const;
/** A page of another site the owner registered (src/sites): a conversation only, never listed on this site. */
export const EXTERNAL_KIND = 'external' as const;
export type PostKind = (typeof POST_KINDS)[number] | typeof EXTERNAL_KIND;

export const POST_STATUSES = ['draft', 'scheduled', 'published'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const COMMENTS_MODES = ['open', 'closed', 'closes_after'] as const;
export type CommentsMode = (typeof COMMENTS_MODES)[number];

export const COMMENT_STATUSES = ['pending', 'published', 'spam', 'trash'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

// skipped: not sent on purpose (the address unsubscribed, or what it was about is gone).
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'parked', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  slug: string;
  role: StaffRole;
  password_hash: string | null;
  bio: string;
  source: string | null;
  source_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  label: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  /** Null: works until revoked. */
  expires_at: number | null;
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string;
}

/** The stored source of a post or comment: Hearth Markdown, or HTML brought in by an import. */
export const SOURCE_FORMATS = ['markdown', 'html'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface PostsTable {
  id: string;
  kind: PostKind;
  slug: string;
  title: string;
  markdown: string;
  html: string;
  excerpt: string;
  custom_excerpt: number; // 0 | 1: booleans are integers on both databases
  status: PostStatus;
  published_at: number | null;
  author_id: string;
  comments_mode: CommentsMode;
  comments_close_days: number | null;
  comment_count: number;
  /** Threads readers see: those with a published public comment (threads.public_count > 0). */
  public_thread_count: number;
  cover_image: string | null;
  meta_title: string | null;
  meta_description: string | null;
  sticky: number; // 0 | 1
  /** What `markdown` holds: Markdown, or HTML (imported posts) shown after sanitizing. Absent: markdown. */
  source_format?: SourceFormat;
  source: string | null;
  source_id: string | null;
  created_at: number;
  updated_at: number;
  /** The language it is written in (src/i18n/locales.ts); null: the site's. Its conversation follows it. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  /** The registered site an external page belongs to (019-other-sites); null for Hearth's own posts. */
  site_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** An external page's canonical address (src/sites/page-url.ts); null for Hearth's own posts. */
  external_url: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Another site whose pages carry Hearth conversations (src/sites). */
export interface SitesTable {
  id: string;
  /** scheme://host[:port], lowercased, the default port left out. */
  origin: string;
  name: string;
  created_at: number;
}

export interface TagsTable {
  id: string;
  slug: string;
  name: string;
}

export interface PostTagsTable {
  post_id: string;
  tag_id: string;
  position: number;
}

/** Where a comment came from (018-comment-origins): the site's own forms, email, ActivityPub, Webmention. */
export const COMMENT_ORIGINS = ['site', 'email', 'fediverse', 'web'] as const;
export type CommentOrigin = (typeof COMMENT_ORIGINS)[number];

export interface CommentsTable {
  id: string;
  post_id: string;
  parent_id: string | null;
  root_id: string;
  depth: number;
  status: CommentStatus;
  visibility: Visibility;
  author_name: string;
  author_email: string;
  author_url: string | null;
  staff_user_id: string | null;
  markdown: string;
  html: string;
  edit_token_hash: string | null;
  notify: number; // 0 | 1
  ip: string | null;
  user_agent: string | null;
  kind: 'comment' | 'mention';
  /** What `markdown` holds: Markdown, or HTML (imported comments) shown after sanitizing. Absent: markdown. */
  source_format?: SourceFormat;
  source: string | null;
  source_id: string | null;
  created_at: number;
  edited_at: number | null;
  /** Who last changed the words: 'writer' or a staff user id (as comment_revisions.edited_by). Absent: never edited. */
  edited_by?: string | null;
  /** Where it came from; 'site' when written here. */
  origin: ColumnType<CommentOrigin, CommentOrigin | undefined, CommentOrigin>;
  /** The words' own address elsewhere (a fediverse post, a web page), or null. */
  origin_url: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ThreadsTable {
  root_id: string;
  post_id: string;
  last_reader_at: number | null;
  last_staff_at: number | null;
  awaiting_since: number | null;
  awaiting_comment_id: string | null;
  reply_count: number;
  /** Published public comments in the thread: the thread is shown to readers when above 0. */
  public_count: ColumnType<number, number | undefined, number>;
  /** When staff marked it "no reply needed": reader comments up to then await nothing (008-inbox). */
  dismissed_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The thread as readers see it, rendered when it changed; emptied by triggers on every change (011-thread-html). */
  public_html: ColumnType<string | null, string | null | undefined, string | null>;
  /** What public_html was rendered with (src/comments/kept-html/thread-html.ts); another key means stale. */
  html_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: number;
  hits: number;
}

/** The dashboard's figures of one whole day for one part of the site (028-kept-dashboard-days). */
export interface CommentDaysTable {
  /** '' for every post, or the id of the author whose posts these are. */
  scope: string;
  day: number;
  /** JSON: src/dashboard/kept-days.ts, DayFigures. */
  figures: string;
  /** The day's mark (plus the mark of every day) when the figures were computed. */
  mark: number;
}

/** How many writes could have changed each day's figures; day -1 is every day's. */
export interface CommentDayMarksTable {
  day: number;
  mark: number;
}

export interface CommentRevisionsTable {
  id: string;
  comment_id: string;
  markdown: string;
  edited_at: number;
  edited_by: string; // 'writer' or a staff user id
}

export interface RedirectsTable {
  from_path: string;
  to_path: string;
  code: number;
}

export interface OutboxTable {
  id: string;
  kind: string;
  payload: string; // JSON
  dedupe_key: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_at: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface MediaTable {
  id: string;
  folder: string; // 'YYYY/MM/<id>' under the data folder's media/
  file: string; // the re-encoded original, e.g. 'original.jpg'
  type: string; // MIME type of the original, e.g. 'image/jpeg'
  width: number;
  height: number;
  bytes: number;
  variants: string; // JSON: [{ file, width, height, type, bytes }]
  original_name: string;
  uploaded_by: string | null;
  created_at: number;
}

/** One stored file's bytes, named by their SHA-256 (hex) and kept once however many paths name them. */
export interface MediaBlobsTable {
  sha256: string;
  bytes: number;
  created_at: number;
}

/** A blob's bytes in order: chunk `seq` holds bytes [seq × chunk size, ...). */
export interface MediaBlobChunksTable {
  sha256: string;
  seq: number;
  data: Uint8Array;
}

/** A path under /media/ ('YYYY/MM/<id>/<file>') and the blob it serves; never rewritten. */
export interface MediaFilesTable {
  path: string;
  sha256: string;
  created_at: number;
}

export const SUBSCRIPTION_STATUSES = ['unconfirmed', 'confirmed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface SubscriptionsTable {
  id: string;
  email: string;
  scope: string; // newsletter | thread:<root_id> | post:<id> | notify:<what>
  status: SubscriptionStatus;
  token_hash: string | null;
  source: string; // form | comment | import | staff
  requested_at: number;
  created_at: number;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
}

export interface EmailSuppressionsTable {
  email: string;
  reason: string;
  created_at: number;
}

/** A message that came in to a reply address (src/mailin). */
export interface InboundMailTable {
  id: string;
  received_at: number;
  via: 'smtp' | 'pipe' | 'imap';
  message_id: string;
  placed_key: string | null;
  from_address: string;
  from_name: string;
  subject: string;
  target_comment_id: string | null;
  target_role: 'reader' | 'staff' | null;
  outcome: 'placed' | 'held' | 'refused' | 'ignored' | 'dismissed';
  reason: string;
  words: string | null;
  comment_id: string | null;
  size: number;
}

export const ACCOUNT_LINK_PURPOSES = ['reset', 'invitation'] as const;
export type AccountLinkPurpose = (typeof ACCOUNT_LINK_PURPOSES)[number];

/** Sign-in attempts in a window that starts at its first attempt (013-throttles). */
export interface SignInCountersTable {
  /** SHA-256 of the scope and what it counts: (email, address), an address, or an email. */
  key: string;
  /** SHA-256 of the email, for the counters a password reset clears; null for an address's own. */
  account: string | null;
  window_start: number;
  attempts: number;
}

/** Where an account signed in successfully: those places still sign in while the account is besieged. */
export interface SignInAddressesTable {
  user_id: string;
  /** SHA-256 of the address. */
  address: string;
  last_success_at: number;
}

/** The last time something that may happen once per window happened (src/moderation/rate-limiter.ts). */
export interface RateMarksTable {
  key: string;
  marked_at: number;
}

/** A single-use link sent by email (password reset or staff invitation), kept as a hash. */
export interface AccountLinksTable {
  token_hash: string;
  user_id: string;
  purpose: AccountLinkPurpose;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A reader's sign-up for a program, with the post or staff reply she came from. */
export interface ProgramSignupsTable {
  id: string;
  program_id: string;
  name: string;
  email: string;
  message: string;
  source_post_id: string | null;
  source_comment_id: string | null;
  created_at: number;
}

/** A counted click on a link Hearth placed (a program card), with where it was placed. */
export interface LinkClicksTable {
  id: string;
  kind: string; // program
  target: string; // the program's post id
  source_post_id: string | null;
  source_comment_id: string | null;
  created_at: number;
}

/** A Webmention received for a post (020-webmentions), kept by (source, post). */
export interface WebmentionsTable {
  id: string;
  post_id: string;
  source: string;
  target: string;
  status: 'queued' | 'verified' | 'refused' | 'removed';
  kind: WebmentionKind | null;
  comment_id: string | null;
  author_name: string | null;
  author_url: string | null;
  note: string | null;
  received_at: number;
  checked_at: number | null;
}
export const WEBMENTION_KINDS = ['reply', 'like', 'repost', 'bookmark', 'mention'] as const;
export type WebmentionKind = (typeof WEBMENTION_KINDS)[number];

/** A Webmention this site sent for a link in one of its posts (020-webmentions). */
export interface WebmentionSendsTable {
  post_id: string;
  target: string;
  endpoint: string | null;
  status: 'sent' | 'no-endpoint' | 'failed';
  linked: number; // 0 | 1
  sent_at: number;
}

export interface Database {
  media: MediaTable;
  media_blobs: MediaBlobsTable;
  media_blob_chunks: MediaBlobChunksTable;
  media_files: MediaFilesTable;
  settings: SettingsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  posts: PostsTable;
  sites: SitesTable;
  tags: TagsTable;
  post_tags: PostTagsTable;
  comments: CommentsTable;
  threads: ThreadsTable;
  comment_revisions: CommentRevisionsTable;
  comment_days: CommentDaysTable;
  comment_day_marks: CommentDayMarksTable;
  redirects: RedirectsTable;
  outbox: OutboxTable;
  subscriptions: SubscriptionsTable;
  email_suppressions: EmailSuppressionsTable;
  rate_limits: RateLimitsTable;
  sign_in_counters: SignInCountersTable;
  sign_in_addresses: SignInAddressesTable;
  rate_marks: RateMarksTable;
  account_links: AccountLinksTable;
  program_signups: ProgramSignupsTable;
  link_clicks: LinkClicksTable;
  inbound_mail: InboundMailTable;
  webmentions: WebmentionsTable;
  webmention_sends: WebmentionSendsTable;
  fed_kv: FedKvTable;
  fed_actors: FedActorsTable;
  fed_follows: FedFollowsTable;
  fed_blocks: FedBlocksTable;
  fed_reactions: FedReactionsTable;
  fed_notes: FedNotesTable;
  fed_received: FedReceivedTable;
  fed_post_state: FedPostStateTable;
  fed_reactions_sent: FedReactionsSentTable;
  posts_gone: PostsGoneTable;
}

// source_format stays optional in rows built in code: absent means the Markdown every row had before it.
type WithSourceFormat<R> = Omit<R, 'source_format'> & { source_format?: SourceFormat };
export type PostRow = WithSourceFormat<Selectable<PostsTable>>;
export type NewPost = Insertable<PostsTable>;
export type PostPatch = Updateable<PostsTable>;
// edited_by too: a comment built in code is new, so never edited.
export type CommentRow = Omit<WithSourceFormat<Selectable<CommentsTable>>, 'edited_by'> & { edited_by?: string | null };
export type NewComment = Insertable<CommentsTable>;
export type UserRow = Selectable<UsersTable>;
export type SiteRow = Selectable<SitesTable>;
export type TagRow = Selectable<TagsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type MediaRow = Selectable<MediaTable>;
export type WebmentionRow = Selectable<WebmentionsTable>;
export type ProgramSignupRow = Selectable<ProgramSignupsTable>;

// ActivityPub (021-federation).
export interface FedKvTable {
  key: string;
  value: string;
  expires_at: number | null;
}
export interface FedActorsTable {
  handle: string;
  user_id: string | null;
  rsa_private: string;
  rsa_public: string;
  ed_private: string;
  ed_public: string;
  created_at: number;
}
export interface FedFollowsTable {
  id: string;
  /** 'follower': a remote account follows a local actor; 'following': the other way. */
  direction: 'follower' | 'following';
  local_handle: string;
  remote_actor: string;
  remote_handle: string;
  remote_name: string;
  inbox: string;
  shared_inbox: string | null;
  status: 'pending' | 'accepted';
  activity_id: string | null;
  created_at: number;
}
export interface FedBlocksTable {
  target: string;
  kind: 'domain' | 'actor';
  created_at: number;
}
export interface FedReactionsTable {
  activity_id: string;
  post_id: string;
  kind: 'like' | 'announce';
  actor: string;
  created_at: number;
}
export interface FedNotesTable {
  id: string;
  local_handle: string;
  comment_id: string | null;
  in_reply_to: string;
  recipients: string;
  public: number;
  content: string;
  created_at: number;
  /** When its author last edited it here (023), or null. */
  updated_at: number | null;
}
export interface FedReceivedTable {
  object_id: string;
  /** 'comment': a reply placed in a thread; 'article' or 'note': shown in the workspace. */
  kind: 'comment' | 'article' | 'note';
  comment_id: string | null;
  actor: string;
  actor_handle: string;
  actor_name: string;
  url: string;
  name: string | null;
  content: string;
  in_reply_to: string | null;
  published_at: number;
  received_at: number;
}
export interface FedPostStateTable {
  post_id: string;
  local_handle: string;
  version: number;
  state: 'sent' | 'deleted';
  updated_at: number;
}

// 023-reactions-and-gone.
/** A like or boost a local author sent, kept for its Undo. */
export interface FedReactionsSentTable {
  local_handle: string;
  object_id: string;
  kind: 'like' | 'announce';
  activity_id: string;
  created_at: number;
}
/** The address of a deleted post: it answers 410 Gone. */
export interface PostsGoneTable {
  path: string;
  deleted_at: number;
}
