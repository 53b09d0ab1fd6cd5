// The site's ActivityPub side, built on Fedify: the site and each author are actors (WebFinger,
// NodeInfo, keys made once and kept in fed_actors), posts are Articles, and the inbox turns a
// follow into a follower, a reply into a comment and a like or boost into a count. Fedify checks
// every incoming HTTP Signature and signs every delivery; deliveries go through the outbox.
import {
  Accept,
  Announce,
  Application,
  Article,
  Create,
  createFederation,
  Delete,
  Endpoints,
  exportJwk,
  type Federation,
  Follow,
  generateCryptoKeyPair,
  importJwk,
  type KvStore,
  Like,
  type MessageQueue,
  Note,
  Person,
  Undo,
  Update,
} from '@fedify/fedify';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import * as store from './federation-store.js';
import type { InboxHandlers } from './inbox-handlers.js';
import { articleOf, createOf, type PostForArticle } from './objects.js';

export interface FederationDeps {
  db: Db;
  now: () => number;
  log: Logger;
  baseUrl: string;
  kv: KvStore;
  queue: MessageQueue;
  siteTitle: () => Promise<string>;
  /** Loopback and plain http allowed (HEARTH_FEDERATION_ALLOW_PRIVATE): tests between local sites only. */
  allowPrivateAddress: boolean;
  loadPost: (id: string) => Promise<PostForArticle | undefined>;
  /** An author's live posts, newest first, published before `before`: her outbox. */
  postsOfAuthor: (handle: string, before: number | undefined, limit: number) => Promise<PostForArticle[]>;
  /** The staff Notes sent (fed_notes) as objects, so a receiving server can fetch them. */
  loadNote: (id: string) => Promise<Note | undefined>;
  inbox: InboxHandlers;
  software: { version: string };
}

export const USERS_PATH = '/ap/users/{identifier}';
const OUTBOX_PAGE = 20;

/** The actor's keys, made on first need and kept: an RSA pair for HTTP Signatures, an Ed25519 pair for proofs. */
async function keysOf(db: Db, handle: string, userId: string | null, now: number): Promise<CryptoKeyPair[]> {
  let row = await store.findActorKeys(db, handle);
  if (!row) {
    const rsa = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const ed = await generateCryptoKeyPair('Ed25519');
    row = await store.keepActorKeys(db, {
      handle,
      user_id: userId,
      rsa_private: JSON.stringify(await exportJwk(rsa.privateKey)),
      rsa_public: JSON.stringify(await exportJwk(rsa.publicKey)),
      ed_private: JSON.stringify(await exportJwk(ed.privateKey)),
      ed_public: JSON.stringify(await exportJwk(ed.publicKey)),
      created_at: now,
    });
  }
  if (!row) throw new Error(`the keys of ${handle} could not be kept`);
  return [
    {
      privateKey: await importJwk(JSON.parse(row.rsa_private), 'private'),
      publicKey: await importJwk(JSON.parse(row.rsa_public), 'public'),
    },
    { privateKey: await importJwk(JSON.parse(row.ed_private), 'private'), publicKey: await importJwk(JSON.parse(row.ed_public), 'public') },
  ];
}

export function createHearthFederation(deps: FederationDeps): Federation<void> {
  const { db } = deps;
  const federation = createFederation<void>({
    kv: deps.kv,
    queue: deps.queue,
    manuallyStartQueue: true,
    origin: deps.baseUrl,
    allowPrivateAddress: deps.allowPrivateAddress,
    onOutboxError: (err, activity) => deps.log.warn({ err: err.message, activity: activity?.id?.href }, 'federation delivery failed'),
  });

  federation
    .setActorDispatcher(USERS_PATH, async (ctx, identifier) => {
      const keys = await ctx.getActorKeyPairs(identifier);
      const common = {
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        followers: ctx.getFollowersUri(identifier),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((k) => k.multikey),
      };
      if (identifier === store.SITE_HANDLE) {
        return new Application({ ...common, name: await deps.siteTitle(), url: new URL(`${deps.baseUrl}/`) });
      }
      const user = await store.findUserBySlug(db, identifier);
      if (!user) return null;
      return new Person({ ...common, name: user.name, summary: user.bio || null, url: new URL(`${deps.baseUrl}/author/${user.slug}/`) });
    })
    .mapHandle(async (_ctx, username) => {
      if (username === store.SITE_HANDLE) return username;
      return (await store.findUserBySlug(db, username)) ? username : null;
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      if (identifier === store.SITE_HANDLE) return keysOf(db, identifier, null, deps.now());
      const user = await store.findUserBySlug(db, identifier);
      return user ? keysOf(db, identifier, user.id, deps.now()) : [];
    });

  federation.setFollowersDispatcher('/ap/users/{identifier}/followers', async (_ctx, identifier) => {
    const rows = await store.listFollows(db, 'follower', [identifier]);
    return {
      items: rows.map((r) => ({
        id: new URL(r.remote_actor),
        inboxId: new URL(r.inbox),
        endpoints: r.shared_inbox ? { sharedInbox: new URL(r.shared_inbox) } : null,
      })),
    };
  });

  // Her outbox: a Create for each of her posts, newest first, in pages keyed by publication time.
  federation
    .setOutboxDispatcher('/ap/users/{identifier}/outbox', async (ctx, identifier, cursor) => {
      if (cursor === null) return null;
      // The site's actor writes nothing of its own (it boosts its authors' posts).
      const posts =
        identifier === store.SITE_HANDLE
          ? []
          : await deps.postsOfAuthor(identifier, cursor === '' ? undefined : Number(cursor), OUTBOX_PAGE);
      const last = posts.at(-1);
      return {
        items: posts.map((post) => createOf(ctx, articleOf(ctx, deps.baseUrl, post), identifier, post.published_at)),
        nextCursor: posts.length === OUTBOX_PAGE && last ? String(last.published_at) : null,
      };
    })
    .setFirstCursor(async () => '');

  federation.setObjectDispatcher(Article, '/ap/posts/{id}', async (ctx, values) => {
    const post = await deps.loadPost(values.id);
    return post ? articleOf(ctx, deps.baseUrl, post) : null;
  });
  federation.setObjectDispatcher(Note, '/ap/notes/{id}', async (_ctx, values) => (await deps.loadNote(values.id)) ?? null);

  federation.setNodeInfoDispatcher('/nodeinfo/2.1', async () => {
    const users = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const posts = await db
      .selectFrom('posts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'published')
      .where('kind', '=', 'post')
      .executeTakeFirst();
    const [major = 0, minor = 0, patch = 0] = deps.software.version.split('.').map(Number);
    return {
      software: { name: 'hearth', version: { major, minor, patch } },
      protocols: ['activitypub'],
      openRegistrations: false,
      usage: { users: { total: Number(users?.n ?? 0) }, localPosts: Number(posts?.n ?? 0), localComments: 0 },
    };
  });

  const h = deps.inbox;
  federation
    .setInboxListeners('/ap/users/{identifier}/inbox', '/ap/inbox')
    .on(Follow, h.follow)
    .on(Accept, h.accept)
    .on(Undo, h.undo)
    .on(Create, h.create)
    .on(Update, h.update)
    .on(Delete, h.remove)
    .on(Like, h.like)
    .on(Announce, h.announce)
    .onError((_ctx, err) => deps.log.warn({ err: err.message }, 'federation inbox activity not handled'));

  return federation;
}
