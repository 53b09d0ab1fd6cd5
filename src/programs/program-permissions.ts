// Who may see a program's sign-ups (names, emails, messages of readers): the owner, and the author
// of that program. Moderators work with comments and never see them.
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

type Actor = Pick<Staff, 'id' | 'role'>;

export const canSeeSignups = (actor: Actor, program: Pick<PostRow, 'author_id'>): boolean =>
  actor.role === 'owner' || (actor.role === 'author' && program.author_id === actor.id);

/** The programs list: the roles that write. */
export const canWorkWithPrograms = (actor: Actor): boolean => actor.role === 'owner' || actor.role === 'author';
