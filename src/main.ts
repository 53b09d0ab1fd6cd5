// The one composition root: config -> database -> stores/services -> app -> listen.
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { type AccountsService, createAccountsService } from './accounts/accounts-service.js';
import { type AuthService, createAuthService } from './accounts/auth-service.js';
import { createPasswordHasher, type PasswordHasher } from './accounts/passwords.js';
import { createModerationService } from './admin/moderation-service.js';
import { createApp, type HearthApp } from './app.js';
import { type ChangeFeed, createChangeFeed, createLocalChangeFeed } from './cache/change-feed.js';
import { createPageCache, type PageCache } from './cache/page-cache.js';
import { type Clock, systemClock } from './clock.js';
import { type CommentService, createCommentService } from './comments/comment-service.js';
import { createLiveHub, type LiveHub } from './comments/live-hub.js';
import type { Config } from './config.js';
import { createDashboardService, type DashboardService } from './dashboard/dashboard-service.js';
import { type Connection, connect } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { seedDemoContent } from './demo/demo-content.js';
import { createFeedService, type FeedService } from './feeds/feed-service.js';
import { createImportService, type ImportService } from './importers/import-service.js';
import { createLegacyRedirects, type LegacyRedirects } from './importers/legacy-redirects.js';
import { createInboxService } from './inbox/inbox-service.js';
import { createMediaService, type MediaService } from './media/media-service.js';
import { type ConversationSettingsService, createConversationSettings } from './moderation/conversation-settings.js';
import { createDbRateLimiter, type RateLimiter } from './moderation/rate-limiter.js';
import { createRedisRateLimiter } from './moderation/redis-rate-limiter.js';
import { noSpamCheck } from './moderation/spam-check.js';
import { createMailTransport } from './notify/mailer.js';
import { createNotifyServices, createNotifyWorker, mailDirOf, type NotifyServices } from './notify/notify.js';
import { createPostService, type PostService } from './posts/post-service.js';
import { createProgramService, type ProgramService } from './programs/program-service.js';
import { createMarkdownRenderer } from './render/markdown.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';

export interface Services {
  settings: SettingsService;
  accounts: AccountsService;
  /** Workspace sign-in, sessions, password links and the staff list. */
  auth: AuthService;
  posts: PostService;
  comments: CommentService;
  conversationSettings: ConversationSettingsService;
  live: LiveHub;
  media: MediaService;
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
  if (options.pageCache) changes.subscribe(options.pageCache.invalidate);
  const media = createMediaService({ db, clock, dataDir: options.dataDir });
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
  const services: Services = {
    settings,
    accounts: createAccountsService({ db, clock, passwords }),
    auth: createAuthService({ db, clock, passwords, baseUrl, changes }),
    posts: createPostService({
      db,
      clock,
      markdown,
      media,
      changes,
      programCards: programs.cards,
      commentDefaults: async () => {
        const s = await conversationSettings.get();
        return { mode: s.commentsDefault, closeDays: s.commentsCloseDays };
      },
    }),
    comments: createCommentService({
      db,
      clock,
      markdown,
      conversationSettings,
      limiter,
      spamCheck: noSpamCheck,
      changes,
      relaxed: options.relaxForBenchmarks === true,
      programCards: programs.cards,
      log,
    }),
    conversationSettings,
    live,
    media,
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
    }),
    legacyRedirects: createLegacyRedirects({ db, clock }),
    programs,
    dashboard: createDashboardService({ db, clock }),
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
    inbox: createInboxService({ db, clock, comments: services.comments }),
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
    ...services,
    ...workspace,
  });
  return { app, services };
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'hearth' } });
}

/** Opens and migrates the configured database. */
export async function openDatabase(config: Config): Promise<Connection> {
  const conn = await connect(
    config.database.kind === 'sqlite' ? { kind: 'sqlite', file: config.database.file } : { kind: 'postgres', url: config.database.url },
  );
  try {
    await migrate(conn.db);
  } catch (err) {
    await conn.close();
    throw err;
  }
  return conn;
}

/**
 * The HTTP handler: a cached page is answered straight from the socket, before any routing; the
 * rest go to the app.
 */
export function requestHandler(deps: { app: HearthApp; pageCache: PageCache | undefined; changes: ChangeFeed }): RequestListener {
  const render = getRequestListener(deps.app.fetch);
  const { pageCache, changes } = deps;
  let lastPoll = 0;
  return (req, res) => {
    const now = Date.now();
    if (now - lastPoll > 20) {
      // Writes by other processes (a CLI import on SQLite) show up here and empty what is kept.
      changes.poll();
      lastPoll = now;
    }
    if (!pageCache?.serve(req, res)) void render(req, res);
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
  const conn = await openDatabase(config);
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

  const server = createServer(requestHandler({ app, pageCache, changes }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: NodeJS.ErrnoException) => {
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
  // Threads changed while no server ran (an import from the command line, say), or rendered by an
  // older Hearth, are rendered again in the background; pages show them from the comments meanwhile.
  const threadHtmlFilled = services.comments.threadHtml.fillAll().then(
    (threads) => threads > 0 && log.info({ threads }, 'thread HTML rendered'),
    (err) => log.warn({ err }, 'thread HTML not rendered'),
  );
  log.info({ url: config.baseUrl, database: conn.kind }, 'listening');
  notice(
    `Hearth is serving ${config.baseUrl} (${conn.kind === 'sqlite' ? `SQLite in ${config.database.kind === 'sqlite' ? config.database.file : ''}` : 'PostgreSQL'})`,
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down');
      const workerStopped = worker.stop();
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
      transport.close();
      await services.comments.threadHtml.stop();
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
