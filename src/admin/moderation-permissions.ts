// Who may mark a commenter. Trusting a reader only spares her the hold, so anyone who works with her
// comments may; blocking sends her words to spam on every post of the site, so it is for those who
// look after the whole site: the owner and moderators.
import type { Staff } from '../accounts/accounts-service.js';
import { canWorkWithComments } from './admin-permissions.js';

type Actor = Pick<Staff, 'id' | 'role'>;

export const canTrustCommenter = (actor: Actor): boolean => canWorkWithComments(actor);

export const canBlockCommenter = (actor: Actor): boolean => actor.role === 'owner' || actor.role === 'moderator';
