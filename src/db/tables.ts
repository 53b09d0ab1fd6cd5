// Row types of every table, as Kysely sees them. Times are epoch milliseconds; ids are UUIDv7 text.
import type { Insertable, Selectable, Updateable } from 'kysely';

export const STAFF_ROLES = ['owner', 'author', 'moderator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const POST_KINDS = ['post', 'page', 'program'] as const;
export type PostKind = (typeof POST_KINDS)[number];

export const POST_STATUSES = ['draft', 'scheduled', 'published'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export const COMMENTS_MODES = ['open', 'closed', 'closes_after'] as const;
export type CommentsMode = (typeof COMMENTS_MODES)[number];

export const COMMENT_STATUSES = ['pending', 'published', 'spam', 'trash'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'parked'] as const;
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
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string;
}

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
  cover_image: string | null;
  meta_title: string | null;
  meta_description: string | null;
  sticky: number; // 0 | 1
  source: string | null;
  source_id: string | null;
  created_at: number;
  updated_at: number;
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
  source: string | null;
  source_id: string | null;
  created_at: number;
  edited_at: number | null;
}

export interface ThreadsTable {
  root_id: string;
  post_id: string;
  last_reader_at: number | null;
  last_staff_at: number | null;
  awaiting_since: number | null;
  awaiting_comment_id: string | null;
  reply_count: number;
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

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  posts: PostsTable;
  tags: TagsTable;
  post_tags: PostTagsTable;
  comments: CommentsTable;
  threads: ThreadsTable;
  comment_revisions: CommentRevisionsTable;
  redirects: RedirectsTable;
  outbox: OutboxTable;
}

export type PostRow = Selectable<PostsTable>;
export type NewPost = Insertable<PostsTable>;
export type PostPatch = Updateable<PostsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type NewComment = Insertable<CommentsTable>;
export type UserRow = Selectable<UsersTable>;
export type TagRow = Selectable<TagsTable>;
export type OutboxRow = Selectable<OutboxTable>;
