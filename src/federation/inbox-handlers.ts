// What each activity received does here. Fedify has checked its HTTP Signature (and that the
// object belongs to the signing actor) before any of these run; a blocked server or account is
// ignored before anything is read.
import { randomBytes } from 'node:crypto';
import {
  Accept,
  type Activity,
  type Actor,
  type Announce,
  Article,
  type Create,
  type Delete,
  Follow,
  type InboxContext,
  isActor,
  type Like,
  Note,
  type Undo,
  type Update,
} from '@fedify/fedify';
import type { Logger } from 'pino';
import type { ChangeFeed } from '../cache/change-feed.js';
import { checkReaderWords } from '../comments/comment-form.js';
import type { ReaderCommentService } from '../comments/comment-service.js';
import { findComment } from '../comments/comment-store.js';
import type { Db } from '../db/connect.js';
import { hashToken } from '../ids.js';
import { findPostById } from '../posts/post-store.js';
import * as store from './federation-store.js';
import { textOfHtml } from './html-text.js';

type Ctx = InboxContext<void>;
type Listener<T> = (ctx: Ctx, activity: T) => Promise<void>;

export interface InboxHandlers {
  follow: Listener<Follow>;
  accept: Listener<Accept>;
  undo: Listener<Undo>;
  create: Listener<Create>;
  update: Listener<Update>;
  remove: Listener<Delete>;
  like: Listener<Like>;
  announce: Listener<Announce>;
}

export interface InboxDeps {
  db: Db;
  now: () => number;
  log: Logger;
  baseUrl: string;
  comments: Pick<ReaderCommentService, 'submit' | 'originEdit' | 'originDelete' | 'settings'>;
  /** A like or boost changes the post's page (its counts): kept pages are told. */
  changes: Pick<ChangeFeed, 'publish'>;
}

/** "@maya@example.social": how the fediverse names an account. */
export function handleOf(actor: Actor): string {
  const id = actor.id as URL;
  return `@${actor.preferredUsername ?? id.pathname.split('/').pop()}@${id.host}`;
}

const nameOf = (actor: Actor) => (actor.name?.toString() || handleOf(actor).slice(1)).slice(0, 100);
const contentOf = (o: Note | Article) => o.content?.toString() ?? '';
// Mastodon opens a reply with the mention of whom it answers; the thread shows that already.
const bodyOf = (o: Note | Article) => textOfHtml(contentOf(o)).replace(/^(@[\w.-]+(@[\w.:-]+)?\s*)+/, '');

export function createInboxHandlers(deps: InboxDeps): InboxHandlers {
  const { db, now, log, baseUrl } = deps;

  const refused = async (activity: Activity) => !activity.actorId || (await store.isBlocked(db, activity.actorId));

  /** The local actor a URL names (ours), or undefined. */
  const localHandle = (ctx: Ctx, url: URL | null) => {
    if (!url) return undefined;
    const parsed = ctx.parseUri(url);
    return parsed?.type === 'actor' ? parsed.identifier : undefined;
  };

  /** Where a reply goes: a post (its Article), a comment (its page address), or a Note sent or received here. */
  async function placeOf(ctx: Ctx, target: URL) {
    const parsed = ctx.parseUri(target);
    if (parsed?.type === 'object' && parsed.class === Article) return { postId: parsed.values.id as string, parentId: null };
    if (parsed?.type === 'object' && parsed.class === Note) {
      const note = await store.findNote(db, parsed.values.id as string);
      if (!note) return undefined;
      if (note.comment_id) {
        const comment = await findComment(db, note.comment_id);
        return comment ? { postId: comment.post_id, parentId: comment.id } : undefined;
      }
      return { answerTo: note };
    }
    if (target.origin === new URL(baseUrl).origin) {
      const id = /^#comment-([0-9a-f-]{36})$/.exec(target.hash)?.[1];
      const comment = id ? await findComment(db, id) : undefined;
      return comment ? { postId: comment.post_id, parentId: comment.id } : undefined;
    }
    const received = await store.findReceived(db, target.href);
    if (received?.comment_id) {
      const comment = await findComment(db, received.comment_id);
      return comment ? { postId: comment.post_id, parentId: comment.id } : undefined;
    }
    return undefined;
  }

  async function received(kind: 'article' | 'note', object: Note | Article, actor: Actor, commentId: string | null) {
    await store.keepReceived(db, {
      object_id: (object.id as URL).href,
      kind,
      comment_id: commentId,
      actor: (actor.id as URL).href,
      actor_handle: handleOf(actor),
      actor_name: nameOf(actor),
      url: (object.url instanceof URL ? object.url : object.id)?.href ?? '',
      name: object.name?.toString() ?? null,
      content: contentOf(object),
      in_reply_to: object.replyTargetId?.href ?? null,
      published_at: object.published?.epochMilliseconds ?? now(),
      received_at: now(),
    });
  }

  /** A reply to a post or a comment: a comment, through the same moderation as the form. */
  async function comment(ctx: Ctx, note: Note, actor: Actor) {
    const target = note.replyTargetId;
    if (!target || !note.id) return;
    const place = await placeOf(ctx, target);
    if (!place) return;
    if ('answerTo' in place) {
      await received('note', note, actor, null);
      return;
    }
    const post = await findPostById(db, place.postId);
    if (post?.kind !== 'post' || post.status === 'draft') return;
    const handle = handleOf(actor);
    const body = bodyOf(note);
    const limits = await deps.comments.settings();
    // The form's rules hold for words from the fediverse too (a Note over the site's limit is refused).
    const words = checkReaderWords(
      {
        name: `${nameOf(actor)} (${handle})`.slice(0, limits.nameMaxChars),
        // Never shown or mailed: the account's address, so her comments count as one writer's.
        email: handle.slice(1).toLowerCase().replace(/:\d+$/, ''),
        website: (actor.url instanceof URL ? actor.url : actor.id)?.href ?? '',
        body,
      },
      limits,
    );
    const result = await deps.comments.submit({
      post,
      parentId: place.parentId,
      words,
      notify: false,
      private: false,
      honeypotFilled: false,
      credentialHash: hashToken(randomBytes(32).toString('base64url')),
      ip: null,
      userAgent: 'activitypub',
      replyChosen: true,
      origin: { kind: 'fediverse', url: (note.url instanceof URL ? note.url : note.id).href },
    });
    if (result.kind === 'posted') await received('note', note, actor, result.comment.id).then(() => markComment(note));
  }

  async function markComment(note: Note) {
    await db
      .updateTable('fed_received')
      .set({ kind: 'comment' })
      .where('object_id', '=', (note.id as URL).href)
      .execute();
  }

  return {
    async follow(ctx, follow) {
      if (await refused(follow)) return;
      const handle = localHandle(ctx, follow.objectId);
      const follower = await follow.getActor();
      if (!handle || !follower?.id || !follower.inboxId || !follow.id) return;
      await store.addFollow(
        db,
        {
          direction: 'follower',
          local_handle: handle,
          remote_actor: follower.id.href,
          remote_handle: handleOf(follower),
          remote_name: nameOf(follower),
          inbox: follower.inboxId.href,
          shared_inbox: follower.endpoints?.sharedInbox?.href ?? null,
          status: 'accepted',
          activity_id: follow.id.href,
        },
        now(),
      );
      await ctx.sendActivity({ identifier: handle }, follower, new Accept({ actor: ctx.getActorUri(handle), object: follow }));
    },

    async accept(ctx, accept) {
      if (await refused(accept)) return;
      const follow = await accept.getObject();
      if (!(follow instanceof Follow) || !accept.actorId) return;
      const handle = localHandle(ctx, follow.actorId);
      if (handle) await store.acceptFollowing(db, handle, accept.actorId.href);
    },

    async undo(ctx, undo) {
      if (await refused(undo)) return;
      const object = await undo.getObject();
      const actor = undo.actorId as URL;
      if (object instanceof Follow) {
        const handle = localHandle(ctx, object.objectId);
        if (handle && object.actorId?.href === actor.href) await store.removeFollow(db, 'follower', handle, actor.href);
      } else if (object?.id) {
        const postId = await store.removeReaction(db, object.id.href, actor.href);
        if (postId) await deps.changes.publish({ scope: 'post', postId });
      }
    },

    async create(ctx, create) {
      if (await refused(create)) return;
      const object = await create.getObject();
      const actor = await create.getActor();
      if (!actor || !isActor(actor)) return;
      if (object instanceof Note) await comment(ctx, object, actor);
      // A post by someone an author here follows: shown in the workspace.
      else if (object instanceof Article && object.id) {
        const followed = await db
          .selectFrom('fed_follows')
          .select('id')
          .where('direction', '=', 'following')
          .where('remote_actor', '=', (actor.id as URL).href)
          .executeTakeFirst();
        if (followed) await received('article', object, actor, null);
      }
    },

    async update(_ctx, update) {
      if (await refused(update)) return;
      const object = await update.getObject();
      if (!(object instanceof Note || object instanceof Article) || !object.id) return;
      const kept = await store.findReceived(db, object.id.href);
      // Only its own author may change it (Fedify checked the signer is the activity's actor).
      if (!kept || kept.actor !== update.actorId?.href) return;
      if (kept.comment_id) await deps.comments.originEdit(kept.comment_id, bodyOf(object));
      await store.keepReceived(db, { ...kept, content: contentOf(object), name: object.name?.toString() ?? kept.name });
    },

    async remove(_ctx, del) {
      if (await refused(del)) return;
      const objectId = del.objectId;
      if (!objectId) return;
      const kept = await store.findReceived(db, objectId.href);
      if (!kept || kept.actor !== del.actorId?.href) return;
      if (kept.comment_id) await deps.comments.originDelete(kept.comment_id);
      else await store.removeReceived(db, objectId.href);
    },

    async like(ctx, like) {
      await react(ctx, like, 'like');
    },
    async announce(ctx, announce) {
      await react(ctx, announce, 'announce');
    },
  };

  async function react(ctx: Ctx, activity: Like | Announce, kind: 'like' | 'announce') {
    if ((await refused(activity)) || !activity.id || !activity.objectId) return;
    const parsed = ctx.parseUri(activity.objectId);
    if (parsed?.type !== 'object' || parsed.class !== Article) return;
    const post = await findPostById(db, parsed.values.id as string);
    if (!post) return;
    await store.addReaction(db, { activity_id: activity.id.href, post_id: post.id, kind, actor: (activity.actorId as URL).href }, now());
    await deps.changes.publish({ scope: 'post', postId: post.id });
    log.debug({ post: post.id, kind }, 'federation reaction');
  }
}
