// The one composition root: config -> database -> stores/services -> app -> listen.

import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { type AccountsService, createAccountsService } from './accounts/accounts-service.js';
import { type AuthService, createAuthService } from './accounts/auth-service.js';
import { createPasswordHasher, type PasswordHasher } from './accounts/passwords.js';
import { createModerationService } from './admin/moderation-service.js';
import { createApp, type HearthApp } from './app.js';
import { startBackupSchedule } from './backup/backup-schedule.js';
import { type ChangeFeed, createChangeFeed, createLocalChangeFeed } from './cache/change-feed.js';
import { createPageCache, type PageCache } from './cache/page-cache.js';
import { type Clock, systemClock } from './clock.js';
import type { CommentService } from './comments/comment-service.js';
import { createConversationReading } from './comments/conversation-reading.js';
import { createConversationWriting } from './comments/conversation-writing.js';
import { createThreadHtmlKeeper, type ThreadHtmlKeeper } from './comments/kept-html/thread-html.js';
import { createLiveHub, type LiveHub } from './comments/live-hub.js';
import type { Config } from './config.js';
import { createDashboardService, type DashboardService } from './dashboard/dashboard-service.js';
import { type Connection, connect } from './db/connect.js';
import { isOneFile } from './db/dialect.js';
import { migrate } from './db/migrate.js';
import { seedDemoContent } from './demo/demo-content.js';
import type { FederationParts } from './federation/compose-federation.js';
import type { FederationService } from './federation/federation-service.js';
import { reactionCounts } from './federation/federation-store.js';
import { lazyFederation } from './federation/lazy-federation.js';
import { createFeedService, type FeedService } from './feeds/feed-service.js';
import { createImportService, type ImportService } from './importers/import-service.js';
import { createLegacyRedirects, type LegacyRedirects } from './importers/legacy-redirects.js';
import { createInboxService } from './inbox/inbox-service.js';
import { createImapPoller } from './mailin/imap-poller.js';
import { createMailInService, type MailInService } from './mailin/mailin-service.js';
import { startSmtpListener } from './mailin/smtp-listener.js';
import { createDatabaseStorage } from './media/database-storage.js';
import { createFolderStorage } from './media/folder-storage.js';
import { createMediaService, type MediaService } from './media/media-service.js';
import type { MediaStorage } from './media/media-storage.js';
import { type ConversationSettingsService, createConversationSettings } from './moderation/conversation-settings.js';
import { createDbRateLimiter, type RateLimiter } from './moderation/rate-limiter.js';
import { createRedisRateLimiter } from './moderation/redis-rate-limiter.js';
import { noSpamCheck } from './moderation/spam-check.js';
import { createMailTransport } from './notify/mailer.js';
import { createNotifyServices, createNotifyWorker, mailDirOf, type NotifyServices } from './notify/notify.js';
import { createPostService, type PostService } from './posts/post-service.js';
import { createProgramService, type ProgramService } from './programs/program-service.js';
import { createMarkdownRenderer } from './render/markdown.js';
import { alignSearchLanguage } from './search/search-index.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';
import { createSiteService, type SiteService } from './sites/site-service.js';
import { DEFAULT_LIMITS } from './webmention/safe-fetch.js';
import { createWebmentionService, type WebmentionService } from './webmention/webmention-service.js';
import { createWebmentionWorker } from './webmention/webmention-worker.js';

export interface Services {
  settings: SettingsService;
  /** ActivityPub: actors, followers, posts sent out, replies taken in (src/federation). */
  federation: FederationService;
  accounts: AccountsService;
  /** Workspace sign-in, sessions, password links and the staff list. */
  auth: AuthService;
  posts: PostService;
  comments: CommentService;
  /** Each thread's public HTML, kept rendered (src/comments/kept-html/): the comment services' one hook to it. */
  threadHtml: ThreadHtmlKeeper;
  conversationSettings: ConversationSettingsService;
  live: LiveHub;
  media: MediaService;
  /** Where uploads live (the folder or the database): for backups and `hearth media migrate`. */
  mediaStorage: MediaStorage;
  feeds: FeedService;
  notify: NotifyServices;
  /** Moving in and out: WordPress, Disqus and JSON imports; WXR and JSON exports. */
  imports: ImportService;
  /** Where old WordPress links go now. */
  legacyRedirects: LegacyRedirects;
  /** Programs: cards in posts and replies, counted clicks, readers' sign-ups. */
  programs: ProgramService;
  /** The workspace dashboard's charts. */
  dashboard: DashboardService;
  /** Replies by email: mail to the reply address becomes comments (src/mailin). */
  mailIn: MailInService;
  /** Webmentions received and sent (src/webmention). */
  webmentions: WebmentionService;
  /** Other sites whose pages carry conversations from here (src/sites). */
  sites: SiteService;
}

export interface ComposeOptions {
  conn: Connection;
  baseUrl: string;
  /** The data folder: uploads live under its media/. */
  dataDir: string;
  clock?: Clock;
  log: Logger;
  secret?: string | undefined;
  passwords?: PasswordHasher;
  /** TRUST_PROXY: proxies whose X-Forwarded-For counts. */
  trustProxy?: readonly string[];
  /** HEARTH_BENCHMARK_RELAX: benchmarks only, publishes without holds or rate limits. */
  relaxForBenchmarks?: boolean;
  /** What changed, told to every process; a local feed when not given. */
  changes?: ChangeFeed;
  /** Rendered public pages kept until what they show changes (HEARTH_PAGE_CACHE). */
  pageCache?: PageCache;
  /** Where rate limits count; the database when not given. */
  limiter?: RateLimiter;
  /** How mail to the reply address reaches this process (the Email page says so). */
  mailDoors?: readonly string[];
  /** HEARTH_WEBMENTION_ALLOW_PRIVATE: Webmention fetches may reach private and loopback addresses. */
  webmentionAllowPrivate?: boolean;
  /** Tests only (HEARTH_FEDERATION_ALLOW_PRIVATE): ActivityPub may reach loopback addresses. */
  federationAllowPrivate?: boolean;
}

/** Clocks of processes differ a little: a comment stamped just before the gap began is sent too. */
const MISSED_MARGIN_MS = 5_000;

/** Builds every service and the app over an open, migrated database. */
export function compose(options: ComposeOptions): { app: HearthApp; services: Services } {
  const { conn, log, baseUrl } = options;
  const db = conn.db;
  const clock = options.clock ?? systemClock;
  const markdown = createMarkdownRenderer();
  const passwords = options.passwords ?? createPasswordHasher();
  const changes = options.changes ?? createLocalChangeFeed(conn.sqlite);
  const settings = createSettingsService({ db, clock, configuredSecret: options.secret, changes });
  const conversationSettings = createConversationSettings({ db, clock, changes });
  const live = createLiveHub();
  const threadHtml = createThreadHtmlKeeper({
    db,
    maxDepth: async () => (await conversationSettings.get()).maxDepth,
    siteLocale: async () => (await settings.site()).language,
    log,
  });
  if (options.pageCache) changes.subscribe(options.pageCache.invalidate);
  const mediaStorage = createMediaStorage(conn, options.dataDir, clock);
  const media = createMediaService({ db, clock, storage: mediaStorage });
  const notify = createNotifyServices({ db, clock, settings, dataDir: options.dataDir });
  // Rate limits: Redis when REDIS_URL names one, else the database; either way shared by every process.
  const limiter = options.limiter ?? createDbRateLimiter(db);
  const programs = createProgramService({
    db,
    clock,
    baseUrl,
    limiter,
    mail: notify.mail,
    secret: () => settings.secret(),
    relaxed: options.relaxForBenchmarks === true,
  });
  // Writing a conversation and reading one: one object for the routes and the workspace.
  const siteLocale = async () => (await settings.site()).language;
  const comments: CommentService = {
    ...createConversationReading({ db, clock, markdown, conversationSettings, keptThreads: threadHtml, siteLocale }),
    ...createConversationWriting({
      db,
      clock,
      markdown,
      conversationSettings,
      limiter,
      spamCheck: noSpamCheck,
      changes,
      secret: () => settings.secret(),
      keptThreads: threadHtml,
      relaxed: options.relaxForBenchmarks === true,
      programCards: programs.cards,
      siteLocale,
    }),
  };
  const webmentions = createWebmentionService({
    db,
    clock,
    baseUrl,
    comments,
    limiter,
    changes,
    limits: { ...DEFAULT_LIMITS, allowPrivate: options.webmentionAllowPrivate === true },
    relaxed: options.relaxForBenchmarks === true,
  });
  const federation = composeFederation({
    db,
    clock,
    log,
    baseUrl,
    settings,
    comments,
    changes,
    allowPrivate: options.federationAllowPrivate === true,
  });
  const built: Omit<Services, 'mailIn'> = {
    webmentions,
    settings,
    federation,
    accounts: createAccountsService({ db, clock, passwords }),
    auth: createAuthService({ db, clock, passwords, baseUrl, changes }),
    posts: createPostService({
      db,
      clock,
      markdown,
      media,
      changes,
      programCards: programs.cards,
      webmentions,
      commentDefaults: async () => {
        const s = await conversationSettings.get();
        return { mode: s.commentsDefault, closeDays: s.commentsCloseDays };
      },
    }),
    comments,
    threadHtml,
    conversationSettings,
    live,
    media,
    mediaStorage,
    feeds: createFeedService({ db, clock, baseUrl, settings }),
    notify,
    imports: createImportService({
      db,
      clock,
      markdown,
      baseUrl,
      changes,
      site: () => settings.site(),
      importedWaitDays: async () => (await conversationSettings.get()).importedWaitDays,
      media: mediaStorage,
    }),
    legacyRedirects: createLegacyRedirects({ db, clock }),
    programs,
    dashboard: createDashboardService({ db, clock, comments }),
    sites: createSiteService({ db, clock }),
  };
  const services: Services = {
    ...built,
    mailIn: createMailInService({ db, clock, comments: built.comments, limiter, secret: () => settings.secret(), log }),
  };
  // New comments reach open pages through the change feed, so every process hears them; after the
  // feed was deaf (the database restarted), open pages are told of what they missed meanwhile.
  changes.subscribe((change) => {
    if (change.scope === 'post' && change.live) live.publish(change.postId, change.live);
    if (change.scope === 'site' && change.missedSince !== undefined) {
      services.comments.publishedSince(live.watchedPosts(), change.missedSince - MISSED_MARGIN_MS).then(
        (missed) => {
          for (const { postId, ...event } of missed) live.publish(postId, event);
        },
        (err) => log.warn({ err }, 'live streams not caught up'),
      );
    }
  });
  // The author's inbox and the moderation queue act through the staff comment service.
  const workspace = {
    inbox: createInboxService({ db, clock, comments: services.comments, changes }),
    moderation: createModerationService({ db, comments: services.comments, conversationSettings }),
  };
  const app = createApp({
    baseUrl,
    dataDir: options.dataDir,
    db,
    clock,
    log,
    trustProxy: options.trustProxy ?? [],
    markdown,
    pageCache: options.pageCache,
    mailDoors: options.mailDoors ?? [],
    ...services,
    ...workspace,
  });
  return { app, services };
}

/**
 * ActivityPub (src/federation), loaded on first use; a staff answer to a fediverse comment, and its
 * edits, go back where the reader is, whichever page wrote them.
 */
function composeFederation(deps: Omit<FederationParts, 'now' | 'version'> & { clock: Clock }): FederationService {
  const { log } = deps;
  const service = lazyFederation(
    async () =>
      (await import('./federation/compose-federation.js')).composeFederation({
        ...deps,
        now: () => deps.clock.now(),
        version: HEARTH_VERSION,
      }),
    { reactions: (postId) => reactionCounts(deps.db, postId) },
  );
  const reply = deps.comments.reply;
  deps.comments.reply = async (staff, id, text, origin) => {
    const answered = await reply(staff, id, text, origin);
    await service.staffReplied(answered.comment).catch((err) => log.warn({ err }, 'reply not sent to the fediverse'));
    return answered;
  };
  // An edit of that answer follows it there, as an Update of the Note.
  const edit = deps.comments.edit;
  deps.comments.edit = async (staff, id, text) => {
    const edited = await edit(staff, id, text);
    await service.staffEdited(edited.comment).catch((err) => log.warn({ err }, 'edit not sent to the fediverse'));
    return edited;
  };
  // Trashed (or marked spam), it is deleted there too; restored, it is sent again.
  const act = deps.comments.act;
  deps.comments.act = async (staff, id, action) => {
    const acted = await act(staff, id, action);
    await service.staffActed(acted.comment).catch((err) => log.warn({ err }, 'change not sent to the fediverse'));
    return acted;
  };
  return service;
}

const HEARTH_VERSION = '0.1.0';

/** Both media stores of a site: the data folder's media/, and the database (cached in that folder). */
export function mediaStores(
  conn: Connection,
  dataDir: string,
  clock: Clock = systemClock,
): { folder: MediaStorage; database: MediaStorage } {
  const folder = path.join(dataDir, 'media');
  return {
    folder: createFolderStorage(folder),
    database: createDatabaseStorage({ db: conn.db, cacheDir: folder, now: () => clock.now() }),
  };
}

/**
 * Where uploads live: on PostgreSQL in the database, so every process serves them, with the data
 * folder's media/ as this machine's cache; on SQLite (one machine) in that folder.
 */
export function createMediaStorage(conn: Connection, dataDir: string, clock: Clock = systemClock): MediaStorage {
  const stores = mediaStores(conn, dataDir, clock);
  return isOneFile(conn.db) ? stores.folder : stores.database;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'hearth' } });
}

/**
 * Opens and migrates the configured database. With `statementTimeout`, the connection it returns
 * cancels slow PostgreSQL statements; the migration runs before, on one without that limit.
 */
export async function openDatabase(config: Config, options: { statementTimeout?: boolean } = {}): Promise<Connection> {
  const conn = await connect(
    config.database.kind === 'sqlite' ? { kind: 'sqlite', file: config.database.file } : { kind: 'postgres', url: config.database.url },
  );
  try {
    await migrate(conn.db);
  } catch (err) {
    await conn.close();
    throw err;
  }
  if (config.database.kind === 'sqlite' || !options.statementTimeout || config.statementTimeoutMs === 0) return conn;
  await conn.close();
  return connect({ kind: 'postgres', url: config.database.url, statementTimeoutMs: config.statementTimeoutMs });
}

/**
 * The HTTP handler: a cached page is answered straight from the socket, before any routing; the
 * rest go to the app.
 */
export function requestHandler(deps: {
  app: HearthApp;
  pageCache: PageCache | undefined;
  changes: ChangeFeed;
  /** Requests worked on at once; past it, 503 at once (a slow database must not pile them up). */
  maxInFlight?: number;
}): RequestListener {
  const render = getRequestListener(deps.app.fetch);
  const { pageCache, changes } = deps;
  const maxInFlight = deps.maxInFlight ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  let lastPoll = 0;
  return (req, res) => {
    const now = Date.now();
    if (now - lastPoll > 20) {
      // Writes by other processes (a CLI import on SQLite) show up here and empty what is kept.
      changes.poll();
      lastPoll = now;
    }
    if (pageCache?.serve(req, res)) return;
    if (inFlight >= maxInFlight) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' });
      res.end('Hearth is busier than it can be just now; please try again in a moment.\n');
      return;
    }
    inFlight++;
    res.once('close', () => {
      inFlight--;
    });
    void render(req, res);
  };
}

export interface RunningServer {
  server: Server;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

/** `hearth serve`: migrate, seed a first-run site, listen, and stop cleanly on a signal. */
export async function startServer(config: Config, notice: (line: string) => void): Promise<RunningServer> {
  const log = createLogger(config);
  const conn = await openDatabase(config, { statementTimeout: true });
  const changes = await createChangeFeed(conn, (err) => log.error({ err }, 'change feed'));
  const pageCache = config.pageCache ? createPageCache() : undefined;
  const redisLimiter = config.redisUrl ? createRedisRateLimiter(config.redisUrl) : undefined;
  const { app, services } = compose({
    conn,
    limiter: redisLimiter,
    changes,
    pageCache,
    baseUrl: config.baseUrl,
    dataDir: config.dataDir,
    log,
    secret: config.secret,
    trustProxy: config.trustProxy,
    relaxForBenchmarks: config.benchmarkRelax,
    webmentionAllowPrivate: config.webmentionAllowPrivate,
    federationAllowPrivate: config.federationAllowPrivate,
    mailDoors: [
      ...(config.mailIn.smtpListen ? [`the SMTP listener on ${config.mailIn.smtpListen.host}:${config.mailIn.smtpListen.port}`] : []),
      ...(config.mailIn.imap
        ? [`the mailbox at ${new URL(config.mailIn.imap.url).host}, polled every ${config.mailIn.imap.pollSeconds} s`]
        : []),
    ],
  });
  if (config.benchmarkRelax) log.warn('HEARTH_BENCHMARK_RELAX=1: comments skip holds and rate limits (benchmarks only)');
  await services.settings.secret();

  if (config.demo && (await services.posts.isEmpty())) {
    await seedDemoContent({ ...services, clock: systemClock });
    log.info('demo content created');
  }
  if (!(await services.accounts.hasOwner())) {
    notice(
      `No owner account yet. Create one with:\n  HEARTH_PASSWORD='a-long-passphrase' npx hearth user add --email you@example.com --name "Your Name" --role owner`,
    );
  }

  // Replies by email: an SMTP listener for a site whose MX points here (open before the web site
  // answers, so a process that answers /healthz takes mail too), and/or a polled mailbox below.
  const mailIn = config.mailIn;
  const smtpListener = mailIn.smtpListen
    ? await startSmtpListener(
        services.mailIn,
        { ...mailIn.smtpListen, tlsCert: mailIn.tls?.cert, tlsKey: mailIn.tls?.key, hostname: new URL(config.baseUrl).hostname },
        log,
      )
    : undefined;

  const server = createServer(requestHandler({ app, pageCache, changes, maxInFlight: config.maxInFlight }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: NodeJS.ErrnoException) => {
    await smtpListener?.close();
    await changes.close();
    await redisLimiter?.close();
    await conn.close();
    if (err.code === 'EADDRINUSE') throw new Error(`${config.host}:${config.port} is already in use (set PORT to another port)`);
    throw err;
  });
  server.keepAliveTimeout = 5000;
  // The outbox worker: delivers email queued by this or any other process of the site.
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, mailDir: mailDirOf(config.dataDir), dkim: config.dkim });
  const worker = createNotifyWorker({
    db: conn.db,
    clock: systemClock,
    log,
    settings: services.settings,
    baseUrl: config.baseUrl,
    from: config.mailFrom,
    transport,
  });
  worker.start();
  // Webmentions: verifying received ones and telling linked pages, from the same outbox.
  const webmentionWorker = createWebmentionWorker({ db: conn.db, clock: systemClock, log, webmentions: services.webmentions });
  webmentionWorker.start();
  // Deliveries to the fediverse and activities received, queued by this or any other process.
  services.federation.start();
  const imapPoller = mailIn.imap ? createImapPoller({ db: conn.db, mailIn: services.mailIn, log }, mailIn.imap) : undefined;
  imapPoller?.start();
  // The search index speaks the site's language (made again after an upgrade or a change made offline).
  const reindexed = await alignSearchLanguage(conn.db, (await services.settings.site()).language);
  if (reindexed > 0) log.info({ posts: reindexed }, 'search index made in the site language');
  // Backups every HEARTH_BACKUP_HOURS; with many processes, one takes each.
  const backups = startBackupSchedule({
    conn,
    dataDir: config.dataDir,
    clock: systemClock,
    log,
    dir: config.backup.dir,
    everyHours: config.backup.everyHours,
    keep: config.backup.keep,
    databaseUrl: config.database.kind === 'postgres' ? config.database.url : undefined,
  });
  // Threads changed while no server ran (an import from the command line, say), or rendered by an
  // older Hearth, are rendered again in the background; pages show them from the comments meanwhile.
  // After an import of millions of comments that is hours of work (about 1,400 threads a second on
  // 2 cores, bench/SCALE.md): HEARTH_RENDER_THREADS=0 leaves each to the first page that shows it.
  const threadHtmlFilled = (config.renderThreadsAtStart ? services.threadHtml.fillAll() : Promise.resolve(0)).then(
    (threads) => threads > 0 && log.info({ threads }, 'thread HTML rendered'),
    (err) => log.warn({ err }, 'thread HTML not rendered'),
  );
  log.info({ url: config.baseUrl, database: conn.kind }, 'listening');
  notice(`Hearth is serving ${config.baseUrl} (${config.database.kind === 'sqlite' ? `SQLite in ${config.database.file}` : 'PostgreSQL'})`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down');
      const workerStopped = Promise.all([worker.stop(), webmentionWorker.stop()]);
      const federationStopped = services.federation.stop();
      await Promise.all([smtpListener?.close(), imapPoller?.stop()]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Live comment streams never end on their own: end them so close() can finish.
      services.live.close();
      server.closeIdleConnections();
      // Requests still running after 4 s are cut so the process ends within 5 s.
      const force = setTimeout(() => server.closeAllConnections(), 4000);
      await closed;
      clearTimeout(force);
      // The message in hand is finished (or, past 4 s, left to its lease); the rest go back to the queue.
      await Promise.race([workerStopped, new Promise((resolve) => setTimeout(resolve, 4000).unref())]);
      await Promise.race([federationStopped, new Promise((resolve) => setTimeout(resolve, 4000).unref())]);
      transport.close();
      await backups.stop();
      await services.threadHtml.stop();
      await threadHtmlFilled;
      await changes.close();
      await redisLimiter?.close();
      await conn.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { server, stop };
}
