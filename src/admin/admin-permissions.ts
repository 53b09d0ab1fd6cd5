// Who may use which part of the workspace. Pure predicates over the actor (and the target when
// there is one): the owner does everything, an author writes her own posts and answers comments
// on them, a moderator works with comments and never with posts.
import type { Staff } from '../accounts/accounts-service.js';
import type { StaffRole } from '../db/tables.js';

type Actor = Pick<Staff, 'id' | 'role'>;

export const canUseWorkspace = (actor: Actor | undefined): actor is Actor => actor !== undefined;

export const canWritePosts = (actor: Actor): boolean => actor.role === 'owner' || actor.role === 'author';

/** Every role works with some comments: the owner all, an author those on her posts, a moderator the public ones. */
export const canWorkWithComments = (actor: Actor): boolean =>
  actor.role === 'owner' || actor.role === 'author' || actor.role === 'moderator';

export const canChangeSettings = (actor: Actor): boolean => actor.role === 'owner';

export const canManageStaff = (actor: Actor): boolean => actor.role === 'owner';

/** A role change may never leave the site without an owner. */
export const canChangeRole = (actor: Actor, target: Pick<Staff, 'id' | 'role'>, to: StaffRole, owners: number): boolean =>
  canManageStaff(actor) && !(target.role === 'owner' && to !== 'owner' && owners <= 1);

/** Nobody removes herself (no locking oneself out by a slip), and the last owner stays. */
export const canRemoveStaff = (actor: Actor, target: Pick<Staff, 'id' | 'role'>, owners: number): boolean =>
  canManageStaff(actor) && target.id !== actor.id && !(target.role === 'owner' && owners <= 1);
