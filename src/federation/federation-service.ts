// Federation as the rest of Hearth sees it: posts sent to followers as they are published, changed
// or withdrawn (a sweep, so scheduled posts go out when they appear); following someone; answers
// written here going back as Notes; followers, blocks and counts for the workspace.
import {
  Announce,
  Article,
  type Context,
  Create,
  Delete,
  type Federation,
  Follow,
  isActor,
  type KvStore,
  Like,
  Mention,
  type Note,
  PUBLIC_COLLECTION,
  type Recipient,
  Tombstone,
  Undo,
  Update,
} from '@fedify/fedify';
import type { Logger } from 'pino';
import type { Staff } from '../accounts/accounts-service.js';
import type { ChangeFeed } from '../cache/change-feed.js';
import type { Db } from '../db/connect.js';
import type { CommentRow } from '../db/tables.js';
import { InvalidError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { createNap } from '../nap.js';
import { isFederatedPath } from './federated-paths.js';
import * as store from './federation-store.js';
import { handleOf } from './inbox-handlers.js';
import { articleOf, instant, type NoteToSend, noteOf, type PostForArticle } from './objects.js';

export interface FederationService {
  /** Answers the addresses Fedify owns (WebFinger, NodeInfo, actors, inboxes, objects); undefined for the rest. */
  fetch(request: Request): Promise<Response | undefined>;
  /** Sends followers what changed among published posts; returns how many activities were queued. */
  sweepPosts(): Promise<number>;
  /** An author follows a fediverse account (a handle @user@server, or the address of its profile). */
  follow(staff: Staff, target: string): Promise<{ handle: string }>;
  /** An author answers something received from someone she follows. */
  answer(staff: Staff, objectId: string, text: string): Promise<void>;
  /** A staff reply was written in Hearth: when it answers a fediverse comment, it goes back as a Note. */
  staffReplied(reply: CommentRow): Promise<void>;
  /** A staff reply sent as a Note was edited here: its reader is sent the Update. */
  staffEdited(reply: CommentRow): Promise<void>;
  /** A staff reply sent as a Note was trashed or marked spam (a Delete goes out) or restored (sent again). */
  staffActed(reply: CommentRow): Promise<void>;
  /** Her answers written from the Fediverse page, to edit or delete there. */
  answers(staff: Staff): Promise<Awaited<ReturnType<typeof store.listAnswers>>>;
  /** She changes the words of an answer she sent: its reader is sent an Update. */
  editAnswer(staff: Staff, noteId: string, text: string): Promise<void>;
  /** She deletes an answer she sent: its reader is sent a Delete, and the Note is gone here. */
  deleteAnswer(staff: Staff, noteId: string): Promise<void>;
  /** An author likes or boosts a post received from someone she follows (undo: takes it back). */
  react(staff: Staff, objectId: string, kind: ReactionKind, undo: boolean): Promise<void>;
  /** The likes and boosts she has sent and not taken back, as "kind object-id" pairs. */
  sentReactions(staff: Staff): Promise<Set<string>>;
  block(target: string): Promise<void>;
  unblock(target: string): Promise<void>;
  reactions(postId: string): Promise<{ likes: number; boosts: number }>;
  overview(): Promise<{
    followers: store.FollowRow[];
    following: store.FollowRow[];
    blocks: Awaited<ReturnType<typeof store.listBlocks>>;
    received: store.ReceivedRow[];
    reactions: Awaited<ReturnType<typeof store.reactionsByPost>>;
  }>;
  loadPost(id: string): Promise<PostForArticle | undefined>;
  loadNote(id: string): Promise<Note | undefined>;
  postsOfAuthor(handle: string, before: number | undefined, limit: number): Promise<PostForArticle[]>;
  /** Handles queued deliveries and received activities, and sweeps posts, until stop(). */
  start(): void;
  stop(): Promise<void>;
}

export interface FederationServiceDeps {
  db: Db;
  now: () => number;
  log: Logger;
  baseUrl: string;
  federation: () => Federation<void>;
  kv: KvStore;
  /** What changed on the site: a post published, edited or withdrawn starts a sweep at once. */
  changes?: ChangeFeed;
  /** The sweep that runs without being asked (scheduled posts going live, a change not heard). */
  sweepMs?: number;
}

export type ReactionKind = 'like' | 'announce';

const STARTED_KEY = ['hearth', 'federation-started'] as const;
/**
 * Posts are swept when the site says a post changed, and besides every minute: a scheduled post
 * reaches followers within a minute of going live. The sweep reads every post's federation
 * state, so it must not run every few seconds in every process of a large site.
 */
const SWEEP_MS = 60_000;

export function createFederationService(deps: FederationServiceDeps): FederationService {
  const { db, now, log, baseUrl } = deps;
  const context = (): Context<void> => deps.federation().createContext(new URL(baseUrl), undefined);
  let abort: AbortController | undefined;
  let running: Promise<void> | undefined;
  let sweeping: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  const nap = createNap();
  // A change heard while a sweep runs is swept right after it.
  let changed = false;

  const articleColumns = () =>
    db
      .selectFrom('posts')
      .innerJoin('users', 'users.id', 'posts.author_id')
      .select([
        'posts.id',
        'posts.slug',
        'posts.title',
        'posts.html',
        'posts.published_at',
        'posts.updated_at',
        'posts.status',
        'users.slug as author_slug',
      ])
      .where('posts.kind', '=', 'post');

  async function loadPost(id: string): Promise<PostForArticle | undefined> {
    const row = await articleColumns().where('posts.id', '=', id).executeTakeFirst();
    if (!row || row.status === 'draft' || row.published_at === null || row.published_at > now()) return undefined;
    return { ...row, published_at: row.published_at };
  }

  /** An author's live posts, newest first, published before `before` (the outbox's pages). */
  async function postsOfAuthor(handle: string, before: number | undefined, limit: number): Promise<PostForArticle[]> {
    let query = articleColumns()
      .where('users.slug', '=', handle)
      .where('posts.status', 'in', ['published', 'scheduled'])
      .where('posts.published_at', '<=', now());
    if (before !== undefined) query = query.where('posts.published_at', '<', before);
    const rows = await query.orderBy('posts.published_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ ...r, published_at: r.published_at ?? 0 }));
  }

  async function loadNote(id: string): Promise<Note | undefined> {
    const row = await store.findNote(db, id);
    if (!row) return undefined;
    return noteOf(context(), toSend(row));
  }

  function toSend(row: NonNullable<Awaited<ReturnType<typeof store.findNote>>>): NoteToSend {
    return { ...row, recipients: JSON.parse(row.recipients) as string[], public: row.public === 1, url: null };
  }

  /**
   * A post that followers were sent and that is no longer live (deleted, or back to a draft) answers
   * 410 Gone with a Tombstone, as the fediverse expects of an object it holds a copy of: a server
   * that looks it up again drops its copy rather than retrying a 404 later.
   */
  async function goneArticle(path: string): Promise<Response | undefined> {
    const id = /^\/ap\/posts\/([^/]+)$/.exec(path)?.[1];
    if (!id) return undefined;
    const sent = await store.postState(db, decodeURIComponent(id));
    if (!sent || (await loadPost(sent.post_id))) return undefined;
    const tombstone = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: context().getObjectUri(Article, { id: sent.post_id }).href,
      type: 'Tombstone',
      formerType: 'Article',
      ...(sent.state === 'deleted' ? { deleted: new Date(Number(sent.updated_at)).toISOString() } : {}),
    };
    return new Response(JSON.stringify(tombstone), { status: 410, headers: { 'content-type': 'application/activity+json' } });
  }

  async function recipientOf(ctx: Context<void>, actorUrl: string): Promise<Recipient> {
    const actor = await ctx.lookupObject(actorUrl);
    if (!actor || !isActor(actor) || !actor.id || !actor.inboxId) throw new NotFoundError('That fediverse account could not be reached.');
    return actor;
  }

  /** Sends a Note from a local actor in answer to `inReplyTo`, written by `to`. */
  async function sendNote(note: NoteToSend & { comment_id: string | null }, to: { actor: string; handle: string }) {
    const ctx = context();
    await store.insertNote(db, note, now());
    const object = noteOf(ctx, note);
    const withMention = object.clone({ tags: [new Mention({ href: new URL(to.actor), name: to.handle })] });
    const recipient = await recipientOf(ctx, to.actor);
    await ctx.sendActivity(
      { identifier: note.local_handle },
      recipient,
      new Create({
        id: new URL(`${object.id?.href}#create`),
        actor: ctx.getActorUri(note.local_handle),
        object: withMention,
        tos: withMention.toIds,
        ccs: withMention.ccIds,
        published: instant(note.created_at),
      }),
    );
  }

  /** A Like, or an Announce (public, to her followers too), of someone else's object. */
  function reactionOf(ctx: Context<void>, handle: string, kind: ReactionKind, id: URL, objectId: string, author: string) {
    const actor = ctx.getActorUri(handle);
    return kind === 'like'
      ? new Like({ id, actor, object: new URL(objectId), to: new URL(author) })
      : new Announce({ id, actor, object: new URL(objectId), to: PUBLIC_COLLECTION, ccs: [ctx.getFollowersUri(handle), new URL(author)] });
  }

  async function react(staff: Staff, objectId: string, kind: ReactionKind, undo: boolean) {
    const kept = await store.findReceived(db, objectId);
    if (kept?.kind !== 'article') throw new NotFoundError('That post is no longer here.');
    const ctx = context();
    const at = now();
    const sent = await store.findSentReaction(db, staff.slug, objectId, kind);
    let activity: Like | Announce | Undo;
    if (undo) {
      // Only the request that forgets it sends the Undo: two clicks take it back once.
      if (!sent || !(await store.dropSentReaction(db, sent))) return;
      activity = new Undo({
        id: new URL(`${ctx.getActorUri(staff.slug).href}#undo/${newId(at)}`),
        actor: ctx.getActorUri(staff.slug),
        object: reactionOf(ctx, staff.slug, kind, new URL(sent.activity_id), objectId, kept.actor),
        to: kind === 'like' ? new URL(kept.actor) : PUBLIC_COLLECTION,
      });
    } else {
      const id = new URL(`${ctx.getActorUri(staff.slug).href}#${kind === 'like' ? 'likes' : 'boosts'}/${newId(at)}`);
      const row = { local_handle: staff.slug, object_id: objectId, kind, activity_id: id.href, created_at: at };
      if (!(await store.keepSentReaction(db, row))) return;
      activity = reactionOf(ctx, staff.slug, kind, id, objectId, kept.actor);
    }
    await ctx.sendActivity({ identifier: staff.slug }, await recipientOf(ctx, kept.actor), activity);
    // A boost is shown to her followers as well, and so is its withdrawal.
    if (kind === 'announce') await ctx.sendActivity({ identifier: staff.slug }, 'followers', activity, { preferSharedInbox: true });
  }

  /** An Update or a Delete of a Note sent from here, to whom the Note was sent. */
  async function sendNoteChange(row: store.NoteRow, change: 'update' | 'delete') {
    const ctx = context();
    const at = now();
    const note = noteOf(ctx, toSend(row));
    const id = note.id as URL;
    const addressed = { actor: ctx.getActorUri(row.local_handle), tos: note.toIds, ccs: note.ccIds };
    const activity =
      change === 'update'
        ? new Update({ ...addressed, id: new URL(`${id.href}#update-${at}`), object: note, updated: instant(at) })
        : new Delete({ ...addressed, id: new URL(`${id.href}#delete-${at}`), object: new Tombstone({ id }) });
    for (const actor of JSON.parse(row.recipients) as string[]) {
      await ctx.sendActivity({ identifier: row.local_handle }, await recipientOf(ctx, actor), activity);
    }
  }

  async function ownAnswer(staff: Staff, noteId: string) {
    const row = await store.findNote(db, noteId);
    // Replies in a thread here change with their comment; only her own answers change here.
    if (!row || row.local_handle !== staff.slug || row.comment_id !== null) throw new NotFoundError('That answer is not here.');
    return row;
  }

  /** A staff reply to a fediverse comment, sent to its reader as a Note. */
  async function staffReplied(reply: CommentRow) {
    if (!reply.parent_id || !reply.staff_user_id) return;
    const received = await store.findReceivedByComment(db, reply.parent_id);
    if (!received) return;
    const slug = await authorSlug(reply.staff_user_id);
    if (!slug) return;
    const at = now();
    await sendNote(
      {
        id: newId(at),
        local_handle: slug,
        comment_id: reply.id,
        in_reply_to: received.object_id,
        recipients: [received.actor],
        public: reply.visibility === 'public',
        content: reply.html,
        created_at: reply.created_at,
        url: `${baseUrl}/${(await db.selectFrom('posts').select('slug').where('id', '=', reply.post_id).executeTakeFirst())?.slug ?? ''}/#comment-${reply.id}`,
      },
      { actor: received.actor, handle: received.actor_handle },
    );
  }

  async function authorSlug(userId: string): Promise<string | undefined> {
    return (await store.findUserById(db, userId))?.slug;
  }

  async function sweepPosts(): Promise<number> {
    let queued = 0;
    // Each round takes a batch; a site that just began federating may have many to mark.
    for (;;) {
      const round = await sweepRound();
      queued += round.queued;
      if (!round.more) return queued;
    }
  }

  async function sweepRound(): Promise<{ queued: number; more: boolean }> {
    const at = now();
    const ctx = context();
    const { published, withdrawn } = await store.postsToSend(db, at);
    let queued = 0;
    // Versions this process recorded: a full batch with none of them may be the same batch again.
    let claimed = 0;
    // Posts published before federation began are not sent to anyone (a back catalogue is not news).
    const started = await deps.kv.get<number>(STARTED_KEY);
    for (const p of published) {
      const slug = await authorSlug(p.author_id);
      const post = await loadPost(p.id);
      if (!slug || !post) continue;
      const seen = p.version === null || p.state === null ? undefined : { version: Number(p.version), state: p.state };
      const won = await store.claimPostVersion(db, p.id, seen, { local_handle: slug, version: Number(p.updated_at), state: 'sent' }, at);
      if (!won) continue;
      claimed++;
      if (!seen && started !== undefined && post.published_at < started) continue;
      const article = articleOf(ctx, baseUrl, post);
      const Kind = !seen || seen.state === 'deleted' ? Create : Update;
      const activity = new Kind({
        id: new URL(`${article.id?.href}#${Kind === Create ? 'create' : `update-${post.updated_at}`}`),
        actor: ctx.getActorUri(slug),
        object: article,
        to: PUBLIC_COLLECTION,
        cc: ctx.getFollowersUri(slug),
        published: instant(Kind === Create ? post.published_at : post.updated_at),
      });
      await ctx.sendActivity({ identifier: slug }, 'followers', activity, { preferSharedInbox: true });
      if (Kind === Create) {
        // The site's own followers hear of it as the site's boost of the author's post.
        await ctx.sendActivity(
          { identifier: store.SITE_HANDLE },
          'followers',
          new Announce({
            id: new URL(`${article.id?.href}#announce`),
            actor: ctx.getActorUri(store.SITE_HANDLE),
            object: article.id,
            to: PUBLIC_COLLECTION,
            cc: ctx.getFollowersUri(store.SITE_HANDLE),
          }),
          { preferSharedInbox: true },
        );
      }
      queued++;
    }
    for (const w of withdrawn) {
      const won = await store.claimPostVersion(
        db,
        w.post_id,
        { version: Number(w.version), state: w.state },
        { local_handle: w.local_handle, version: Number(w.version), state: 'deleted' },
        at,
      );
      if (!won) continue;
      claimed++;
      const id = ctx.getObjectUri(Article, { id: w.post_id });
      await ctx.sendActivity(
        { identifier: w.local_handle },
        'followers',
        new Delete({
          id: new URL(`${id.href}#delete-${at}`),
          actor: ctx.getActorUri(w.local_handle),
          object: new Tombstone({ id }),
          to: PUBLIC_COLLECTION,
          cc: ctx.getFollowersUri(w.local_handle),
        }),
        { preferSharedInbox: true },
      );
      queued++;
    }
    const full = published.length === store.SEND_BATCH || withdrawn.length === store.SEND_BATCH;
    return { queued, more: full && claimed > 0 };
  }

  return {
    async fetch(request) {
      if (!isFederatedPath(new URL(request.url).pathname)) return undefined;
      let missing = false;
      const response = await deps.federation().fetch(request, {
        contextData: undefined,
        onNotFound: () => {
          missing = true;
          return new Response(null, { status: 404 });
        },
        onNotAcceptable: () => {
          missing = true;
          return new Response(null, { status: 406 });
        },
      });
      const path = new URL(request.url).pathname;
      const gone = missing && request.method === 'GET' ? await goneArticle(path) : undefined;
      if (gone) return gone;
      return missing && !path.startsWith('/ap/') ? undefined : response;
    },

    sweepPosts,

    async follow(staff, target) {
      const ctx = context();
      const wanted = target.trim();
      if (!/^@?[^@\s]+@[^@\s]+$/.test(wanted) && !URL.canParse(wanted))
        throw new InvalidError('Give a fediverse handle like @maya@example.social, or the address of the profile.', {
          target: 'Not a handle.',
        });
      const actor = await ctx.lookupObject(wanted).catch(() => null);
      if (!actor || !isActor(actor) || !actor.id || !actor.inboxId) throw new NotFoundError(`No fediverse account was found at ${wanted}.`);
      const handle = handleOf(actor);
      const followId = new URL(`${ctx.getActorUri(staff.slug).href}#follows/${newId(now())}`);
      await store.addFollow(
        db,
        {
          direction: 'following',
          local_handle: staff.slug,
          remote_actor: actor.id.href,
          remote_handle: handle,
          remote_name: actor.name?.toString() ?? handle,
          inbox: actor.inboxId.href,
          shared_inbox: actor.endpoints?.sharedInbox?.href ?? null,
          status: 'pending',
          activity_id: followId.href,
        },
        now(),
      );
      await ctx.sendActivity(
        { identifier: staff.slug },
        actor,
        new Follow({ id: followId, actor: ctx.getActorUri(staff.slug), object: actor.id }),
      );
      return { handle };
    },

    async answer(staff, objectId, text) {
      const kept = await store.findReceived(db, objectId);
      if (!kept || kept.kind === 'comment') throw new NotFoundError('That post is no longer here.');
      const words = text.trim();
      if (!words) throw new InvalidError('Write your answer.', { text: 'Write your answer.' });
      const at = now();
      await sendNote(
        {
          id: newId(at),
          local_handle: staff.slug,
          comment_id: null,
          in_reply_to: kept.object_id,
          recipients: [kept.actor],
          public: true,
          content: paragraphs(words),
          created_at: at,
          url: null,
        },
        { actor: kept.actor, handle: kept.actor_handle },
      );
    },

    staffReplied,

    react,
    async sentReactions(staff) {
      const rows = await store.listSentReactions(db, staff.slug);
      return new Set(rows.map((r) => `${r.kind} ${r.object_id}`));
    },

    async staffEdited(reply) {
      const row = await store.findNoteByComment(db, reply.id);
      if (!row || row.content === reply.html) return;
      await store.rewordNote(db, row.id, reply.html, now());
      const kept = await store.findNote(db, row.id);
      if (kept) await sendNoteChange(kept, 'update');
    },

    async staffActed(reply) {
      if (!reply.staff_user_id) return;
      const row = await store.findNoteByComment(db, reply.id);
      if (row && (reply.status === 'trash' || reply.status === 'spam')) {
        if (await store.removeNote(db, row.id)) await sendNoteChange(row, 'delete');
      } else if (!row && reply.status === 'published') {
        await staffReplied(reply);
      }
    },

    answers: (staff) => store.listAnswers(db, staff.slug),

    async editAnswer(staff, noteId, text) {
      const row = await ownAnswer(staff, noteId);
      const words = text.trim();
      if (!words) throw new InvalidError('Write your answer.', { text: 'Write your answer.' });
      const content = paragraphs(words);
      if (content === row.content) return;
      await store.rewordNote(db, row.id, content, now());
      await sendNoteChange({ ...row, content, updated_at: now() }, 'update');
    },

    async deleteAnswer(staff, noteId) {
      const row = await ownAnswer(staff, noteId);
      if (await store.removeNote(db, row.id)) await sendNoteChange(row, 'delete');
    },

    async block(target) {
      const t = target.trim();
      if (URL.canParse(t) && /^https?:/.test(t)) await store.addBlock(db, new URL(t).href, 'actor', now());
      else if (/^[a-z0-9.-]+(:\d+)?$/i.test(t)) await store.addBlock(db, t.toLowerCase(), 'domain', now());
      else throw new InvalidError('Give a server (example.social) or the address of an account.', { target: 'Not a server or account.' });
    },
    async unblock(target) {
      await store.removeBlock(db, target);
    },
    reactions: (postId) => store.reactionCounts(db, postId),
    async overview() {
      const [followers, following, blocks, received, reactions] = await Promise.all([
        store.listFollows(db, 'follower'),
        store.listFollows(db, 'following'),
        store.listBlocks(db),
        store.listReceived(db),
        store.reactionsByPost(db),
      ]);
      return { followers, following, blocks, received, reactions };
    },
    loadPost,
    postsOfAuthor,
    loadNote,

    start() {
      if (running) return;
      abort = new AbortController();
      const { kv } = deps;
      void kv.get(STARTED_KEY).then((v) => (v === undefined ? kv.set(STARTED_KEY, now()) : undefined));
      running = deps.federation().startQueue(undefined, { signal: abort.signal });
      const signal = abort.signal;
      unsubscribe = deps.changes?.subscribe((change) => {
        if (change.scope !== 'site') return;
        changed = true;
        nap.wake();
      });
      sweeping = (async () => {
        while (!signal.aborted) {
          changed = false;
          await sweepPosts().catch((err) => log.warn({ err }, 'federation sweep failed'));
          if (!changed && !signal.aborted) await nap.sleep(deps.sweepMs ?? SWEEP_MS);
        }
      })();
    },
    async stop() {
      unsubscribe?.();
      abort?.abort();
      nap.wake();
      await Promise.all([running, sweeping]);
      running = undefined;
      sweeping = undefined;
    },
  };
}

/** Plain words as HTML paragraphs, escaped. */
function paragraphs(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
