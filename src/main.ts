// The one composition root: config -> database -> stores/services -> app -> listen.
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { type AccountsService, createAccountsService } from './accounts/accounts-service.js';
import { createPasswordHasher, type PasswordHasher } from './accounts/passwords.js';
import { createApp, type HearthApp } from './app.js';
import { type Clock, systemClock } from './clock.js';
import { type CommentService, createCommentService } from './comments/comment-service.js';
import type { Config } from './config.js';
import { type Connection, connect } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { seedDemoContent } from './demo/demo-content.js';
import { createPostService, type PostService } from './posts/post-service.js';
import { createMarkdownRenderer } from './render/markdown.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';

export interface Services {
  settings: SettingsService;
  accounts: AccountsService;
  posts: PostService;
  comments: CommentService;
}

export interface ComposeOptions {
  conn: Connection;
  baseUrl: string;
  clock?: Clock;
  log: Logger;
  secret?: string | undefined;
  passwords?: PasswordHasher;
}

/** Builds every service and the app over an open, migrated database. */
export function compose(options: ComposeOptions): { app: HearthApp; services: Services } {
  const { conn, log, baseUrl } = options;
  const db = conn.db;
  const clock = options.clock ?? systemClock;
  const markdown = createMarkdownRenderer();
  const services: Services = {
    settings: createSettingsService({ db, clock, configuredSecret: options.secret }),
    accounts: createAccountsService({ db, clock, passwords: options.passwords ?? createPasswordHasher() }),
    posts: createPostService({ db, clock, markdown }),
    comments: createCommentService({ db, clock, markdown }),
  };
  const app = createApp({ baseUrl, db, clock, log, ...services });
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

export interface RunningServer {
  server: Server;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

/** `hearth serve`: migrate, seed a first-run site, listen, and stop cleanly on a signal. */
export async function startServer(config: Config, notice: (line: string) => void): Promise<RunningServer> {
  const log = createLogger(config);
  const conn = await openDatabase(config);
  const { app, services } = compose({ conn, baseUrl: config.baseUrl, log, secret: config.secret });
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

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  }).catch(async (err: NodeJS.ErrnoException) => {
    await conn.close();
    if (err.code === 'EADDRINUSE') throw new Error(`${config.host}:${config.port} is already in use (set PORT to another port)`);
    throw err;
  });
  server.keepAliveTimeout = 5000;
  log.info({ url: config.baseUrl, database: conn.kind }, 'listening');
  notice(
    `Hearth is serving ${config.baseUrl} (${conn.kind === 'sqlite' ? `SQLite in ${config.database.kind === 'sqlite' ? config.database.file : ''}` : 'PostgreSQL'})`,
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests still running after 4 s are cut so the process ends within 5 s.
      const force = setTimeout(() => server.closeAllConnections(), 4000);
      await closed;
      clearTimeout(force);
      await conn.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { server, stop };
}
