// testApp(): the real app over a fresh, migrated database with a fixed clock.
// HEARTH_TEST_TARGET picks the database: sqlite (in memory, the default) or postgres (a fresh
// schema in the run's database named by TEST_DATABASE_URL, made by scripts/test.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createPasswordHasher, type PasswordHasher, TEST_ARGON } from '../src/accounts/passwords.js';
import { type ChangeFeed, createChangeFeed } from '../src/cache/change-feed.js';
import { createPageCache, type PageCache } from '../src/cache/page-cache.js';
import { type FixedClock, fixedClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { type Connection, connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { compose, type Services } from '../src/main.js';
import { claimSchema, enterSchema, newSchemaName, releaseSchema } from './schema-pool.js';

export const TEST_BASE_URL = 'http://hearth.test';
export const START = Date.parse('2026-03-01T09:00:00Z');

export type TestTarget = 'sqlite' | 'postgres';
export const testTarget: TestTarget = process.env.HEARTH_TEST_TARGET === 'postgres' ? 'postgres' : 'sqlite';

export interface TestApp {
  app: ReturnType<typeof compose>['app'];
  services: Services;
  conn: Connection;
  clock: FixedClock;
  /** What changed, as every process of the site hears it. */
  changes: ChangeFeed;
  pageCache: PageCache | undefined;
  /** A fresh data folder (uploads), removed by close(). */
  dataDir: string;
  /** A request through the whole app, as a client would send it. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A fresh database of the run's target, migrated (up to `upTo`, to test a migration on the data before it). */
export async function testConnection(upTo?: string): Promise<Connection & { dropSchema?: () => Promise<void> }> {
  if (testTarget === 'sqlite') {
    const conn = await connect({ kind: 'sqlite', file: ':memory:' });
    await migrate(conn.db, upTo);
    return conn;
  }
  const url = loadConfig().testDatabaseUrl;
  // A schema migrated to the newest is taken from the run's pool when one is free (test/schema-pool.ts).
  const pooled = upTo === undefined ? await claimSchema(url) : undefined;
  const schema = pooled ?? newSchemaName();
  if (!pooled) {
    const admin = await connect({ kind: 'postgres', url, poolSize: 1 });
    await admin.pool?.query(`create schema ${schema}`);
    await admin.close();
  }
  const conn = await connect({ kind: 'postgres', url, searchPath: schema, poolSize: 4 });
  if (upTo !== undefined) {
    await migrate(conn.db, upTo);
    return conn;
  }
  if (!pooled) {
    await migrate(conn.db);
    await enterSchema(url, schema);
  }
  let released = false;
  return {
    ...conn,
    close: async () => {
      await conn.close();
      if (released) return;
      released = true;
      await releaseSchema(url, schema);
    },
  };
}

export interface TestAppOptions {
  now?: number;
  /** Keep rendered pages (HEARTH_PAGE_CACHE); off by default so tests see every render. */
  pageCache?: boolean;
  /** An open database instead of a fresh one (e.g. a file shared with another connection). */
  conn?: Connection;
  /** The password hasher (cheap argon2 when not given), e.g. one that counts its checks. */
  passwords?: PasswordHasher;
  /** The site's address (a real server on a loopback port, for tests across HTTP). */
  baseUrl?: string;
  /** Webmention fetches may reach loopback (HEARTH_WEBMENTION_ALLOW_PRIVATE); on unless a test says. */
  webmentionAllowPrivate?: boolean;
  /** ActivityPub may reach loopback and plain http (HEARTH_FEDERATION_ALLOW_PRIVATE): off unless a test says. */
  federationAllowPrivate?: boolean;
}

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const conn = options.conn ?? (await testConnection());
  const clock = fixedClock(options.now ?? START);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-data-'));
  const changes = await createChangeFeed(conn, (err) => {
    throw err;
  });
  const base = (options.baseUrl ?? TEST_BASE_URL).replace(/\/$/, '');
  const pageCache = options.pageCache ? createPageCache({ now: () => clock.now() }) : undefined;
  const { app, services } = compose({
    conn,
    changes,
    pageCache,
    baseUrl: options.baseUrl ?? TEST_BASE_URL,
    webmentionAllowPrivate: options.webmentionAllowPrivate ?? true,
    federationAllowPrivate: options.federationAllowPrivate ?? false,
    dataDir,
    clock,
    // HEARTH_TEST_LOG=error shows what a 500 hides.
    log: pino({ level: process.env.HEARTH_TEST_LOG ?? 'silent' }),
    secret: 'test-secret-test-secret-test-secret-0123',
    passwords: options.passwords ?? createPasswordHasher(TEST_ARGON),
  });
  return {
    app,
    services,
    conn,
    clock,
    dataDir,
    // A path is put after the site's address as it is: `//x/` is a path (an old permalink may start
    // so), not an address on the host x, as new URL() would read it.
    request: async (path, init) => app.request(path.startsWith('/') ? `${base}${path}` : new URL(path, base).href, init),
    changes,
    pageCache,
    close: async () => {
      await changes.close();
      await conn.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
