// ActivityPub's composition: Fedify over the site's database (its key-value store, and the outbox
// as its queue). Loaded on first use (src/federation/lazy-federation.ts): Fedify's module graph
// costs about a second of CPU, which a command like `hearth token list` should not pay.
import type { Logger } from 'pino';
import type { ChangeFeed } from '../cache/change-feed.js';
import type { CommentService } from '../comments/comment-service.js';
import type { Db } from '../db/connect.js';
import type { SettingsService } from '../settings/settings-service.js';
import { createDeliveryQueue } from './delivery-queue.js';
import { createHearthFederation } from './federation.js';
import { createFederationService, type FederationService } from './federation-service.js';
import { createInboxHandlers } from './inbox-handlers.js';
import { createDbKvStore } from './kv-store.js';

/** What ActivityPub is composed from. */
export interface FederationParts {
  db: Db;
  now: () => number;
  log: Logger;
  baseUrl: string;
  settings: SettingsService;
  comments: CommentService;
  changes: ChangeFeed;
  allowPrivate: boolean;
  version: string;
}

export function composeFederation(deps: FederationParts): FederationService {
  const { db, now, log, baseUrl } = deps;
  const kv = createDbKvStore(db, now);
  let federation: ReturnType<typeof createHearthFederation> | undefined;
  const service = createFederationService({ db, now, log, baseUrl, kv, changes: deps.changes, federation: () => fed() });
  const fed = () =>
    (federation ??= createHearthFederation({
      db,
      now,
      log,
      baseUrl,
      kv,
      queue: createDeliveryQueue({ db, now, log }),
      siteTitle: async () => (await deps.settings.site()).title,
      allowPrivateAddress: deps.allowPrivate,
      loadPost: service.loadPost,
      postsOfAuthor: service.postsOfAuthor,
      loadNote: service.loadNote,
      inbox: createInboxHandlers({ db, now, log, baseUrl, comments: deps.comments, changes: deps.changes }),
      software: { version: deps.version },
    }));
  return service;
}
