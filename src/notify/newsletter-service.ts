// Sending a published post to the newsletter's confirmed subscribers, in throttled batches.
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { canEditPost } from '../posts/post-permissions.js';
import { NEWSLETTER_SCOPE } from './links.js';
import { findMailPost } from './notify-store.js';
import { insertOutbox } from './outbox-store.js';
import { listSubscriptions } from './subscription-store.js';

export interface NewsletterService {
  /**
   * Queues the post for every confirmed subscriber. Safe to repeat: each subscriber gets a post
   * once; a repeat reaches only those who subscribed since.
   */
  sendPost(staff: Staff, postId: string): Promise<{ postId: string; subscribers: number }>;
}

export function createNewsletterService(deps: { db: Db; clock: Clock }): NewsletterService {
  const { db, clock } = deps;
  return {
    async sendPost(staff, postId) {
      const post = await findMailPost(db, postId);
      if (!post) throw new NotFoundError('There is no such post.');
      if (!canEditPost(staff, post)) throw new ForbiddenError('Only the owner or the post’s author may send it to subscribers.');
      const now = clock.now();
      if (post.status !== 'published' || (post.published_at ?? 0) > now)
        throw new ConflictError('Publish the post before sending it to subscribers.');
      const runId = newId(now);
      await insertOutbox(db, {
        kind: 'newsletter.send',
        payload: { postId, runId },
        dedupeKey: `newsletter.send:${postId}:${runId}`,
        now,
        notBefore: now,
      });
      const { total } = await listSubscriptions(db, { scope: NEWSLETTER_SCOPE, status: 'confirmed', limit: 0 });
      return { postId, subscribers: total };
    },
  };
}
