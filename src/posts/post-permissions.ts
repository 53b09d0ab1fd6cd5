// Who may do what with posts. Pure predicates: the owner does everything, an author writes and
// changes her own posts, a moderator works with comments only.
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

type Actor = Pick<Staff, 'id' | 'role'>;

export const canCreatePost = (actor: Pick<Staff, 'role'>): boolean => actor.role === 'owner' || actor.role === 'author';

export const canEditPost = (actor: Actor, post: Pick<PostRow, 'author_id'>): boolean =>
  actor.role === 'owner' || (actor.role === 'author' && post.author_id === actor.id);

/**
 * Whether readers see the post at `now`: published, or scheduled and its time has come (the same
 * rule as the store's visibleAt). Everything else (a draft, a post still waiting for its time) is
 * unpublished.
 */
export const isOutAt = (post: Pick<PostRow, 'status' | 'published_at'>, now: number): boolean =>
  (post.status === 'published' || post.status === 'scheduled') && post.published_at !== null && post.published_at <= now;

/**
 * Reading a post through the workspace or the API: the owner reads every post, an author her own
 * and what readers already see, a moderator only what readers see (she has no drafts, not even
 * old ones of her own from when she wrote).
 */
export const canReadPost = (actor: Actor, post: Pick<PostRow, 'author_id' | 'status' | 'published_at'>, now: number): boolean =>
  actor.role === 'owner' || (actor.role === 'author' && post.author_id === actor.id) || isOutAt(post, now);
