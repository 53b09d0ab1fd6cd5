// Who may do what with posts. Pure predicates: the owner does everything, an author writes and
// changes her own posts, a moderator works with comments only.
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

export const canCreatePost = (actor: Pick<Staff, 'role'>): boolean => actor.role === 'owner' || actor.role === 'author';

export const canEditPost = (actor: Pick<Staff, 'id' | 'role'>, post: Pick<PostRow, 'author_id'>): boolean =>
  actor.role === 'owner' || (actor.role === 'author' && post.author_id === actor.id);
