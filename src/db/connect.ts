// Opens Kysely on SQLite (better-sqlite3) or PostgreSQL (pg). Dialect differences live in db/ only.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Kysely as KyselyType, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { UnavailableError } from '../errors.js';
import { startCheckpointer } from './checkpointer.js';
import { keepErrorsFromEndingTheProcess, outageAwarePool } from './outage.js';
import type { Database } from './tables.js';

export type Db = KyselyType<Database>;
export type DbKind = 'sqlite' | 'postgres';

export type DbTarget =
  | { kind: 'sqlite'; file: string } // ':memory:' for tests
  | { kind: 'postgres'; url: string; searchPath?: string; poolSize?: number; statementTimeoutMs?: number };

export interface Connection {
  db: Db;
  kind: DbKind;
  /** The raw better-sqlite3 handle (SQLite only), for PRAGMAs such as data_version. */
  sqlite?: SQLite.Database;
  /** The pg pool (PostgreSQL only), for LISTEN/NOTIFY. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

let pgTypesSet = false;
function setPgTypeParsers(): void {
  if (pgTypesSet) return;
  // bigint (epoch ms, count(*)) as Number: our values stay far below 2^53.
  pg.types.setTypeParser(20, Number);
  // numeric (e.g. from avg/round) as Number too.
  pg.types.setTypeParser(1700, Number);
  pgTypesSet = true;
}

/**
 * Runs a read and returns each row as an array of values in column order. Drivers build an object
 * per row through their native bindings, which for a page of hundreds of comments costs twice
 * what the query does; arrays are cheap and the caller names the columns once.
 */
export type ArrayRead = (sql: string, parameters: readonly unknown[]) => Promise<unknown[][]>;
const arrayReads = new WeakMap<Db, ArrayRead>();

/** How much of the database file is mapped into memory (address space, not memory used). */
const MMAP_BYTES = 1024 * 1024 * 1024;

/** The array read of a database opened by connect(); undefined for a transaction. */
export function arrayReadOf(db: Db): ArrayRead | undefined {
  return arrayReads.get(db);
}

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function dbKind(db: Db): DbKind {
  return isPostgres(db) ? 'postgres' : 'sqlite';
}

/** What Kysely runs for a ROLLBACK when SQLite has already rolled the transaction back. */
const NO_TRANSACTION_TO_END = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as SQLite.Statement;

/**
 * Kysely prepares every statement anew; preparing costs about as much as running a small query.
 * Statements are kept by their SQL text and reused (Kysely runs one at a time per connection).
 */
function withStatementCache(handle: SQLite.Database, max = 500): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>();
  const prepare = handle.prepare.bind(handle);
  return new Proxy(handle, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver);
      return (source: string) => {
        // SQLite ends a transaction itself when the disk is full or failing (SQLITE_FULL, _IOERR):
        // the ROLLBACK that follows must not replace that error with "no transaction is active".
        if (source === 'rollback' && !handle.inTransaction) return NO_TRANSACTION_TO_END;
        // Every transaction Hearth opens writes, most after reading first. Begun as a reader, one
        // that another process (a `hearth backup` recording itself, an import) wrote under since
        // its first read fails at its first write with SQLITE_BUSY_SNAPSHOT, which busy_timeout
        // does not wait out; begun as the writer, it waits its turn instead.
        if (source === 'begin') source = 'begin immediate';
        let statement = statements.get(source);
        if (!statement) {
          statement = prepare(source);
          // Oldest first: a long-running process meets far fewer shapes of query than this.
          if (statements.size >= max) statements.delete(statements.keys().next().value as string);
          statements.set(source, statement);
        }
        return statement;
      };
    },
  });
}

function openSqlite(file: string): Connection {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let handle: SQLite.Database;
  try {
    handle = new SQLite(file);
  } catch (err) {
    throw new UnavailableError(`cannot open the SQLite database ${file}: ${(err as Error).message}`);
  }
  // WAL + synchronous=NORMAL: durable against a process crash, fast commits.
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  // Pages are read straight from the file's mapping rather than copied in by a system call each:
  // a post page reads hundreds of kilobytes of kept thread HTML.
  handle.pragma(`mmap_size = ${MMAP_BYTES}`);
  // Checkpoints run on a thread of their own (db/checkpointer.ts); this connection checkpoints
  // itself only if the WAL grows past about 40 MB all the same.
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  if (checkpointer) handle.pragma('wal_autocheckpoint = 10000');
  const statements = withStatementCache(handle);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  // Through Kysely's connection, so the read waits for a transaction in progress, as any query does.
  arrayReads.set(db, (source, parameters) =>
    db.connection().execute(async () => {
      const statement = statements.prepare(source);
      statement.raw(true);
      try {
        return statement.all(...parameters) as unknown[][];
      } finally {
        statement.raw(false);
      }
    }),
  );
  return {
    db,
    kind: 'sqlite',
    sqlite: handle,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

function openPostgres(url: string, searchPath?: string, poolSize = 10, statementTimeoutMs?: number): Connection {
  setPgTypeParsers();
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    // A statement slower than this is cancelled (57014) and its request told 503: a slow database
    // holds no request, and no connection, for long.
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    // No JIT: PostgreSQL compiles a plan whose estimated cost is high, as estimates over millions of
    // rows are, and at 10 million comments spent 4 s compiling a dashboard read that runs in 0.4 s
    // (bench/SCALE.md). Hearth's statements are short; none gains from compiling. No parallel
    // workers either: starting them took 6 ms of the inbox's 9 ms list read at that size, and under
    // load every core already serves requests of their own.
    options: ['-c jit=off', '-c max_parallel_workers_per_gather=0', ...(searchPath ? [`-c search_path=${searchPath}`] : [])].join(' '),
  });
  // A lost connection is forgotten (the next query opens another) and never ends the process.
  keepErrorsFromEndingTheProcess(pool, () => {});
  const guarded = outageAwarePool(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: guarded }) });
  arrayReads.set(db, (text, values) => guarded.arrayRead(text, [...values]));
  return { db, kind: 'postgres', pool, close: () => db.destroy() };
}

/** SQLite's page cache during a long write, in KiB (its default is 2,000). */
const BULK_WRITE_CACHE_KIB = 16_384;

/**
 * Runs a long write (an import) with a larger SQLite page cache, then puts the usual one back:
 * with the default 2 MB, an import's index pages leave the cache and are read back again and
 * again. Bounded, so memory stays flat however large the write. PostgreSQL sizes its cache itself.
 */
export async function withBulkWriteCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return work();
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size ?? -2000;
  await sql.raw(`pragma cache_size = -${BULK_WRITE_CACHE_KIB}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`pragma cache_size = ${Number(before)}`).execute(db);
  }
}

/** Opens the database and proves it answers; an unreachable one is an UnavailableError. */
export async function connect(target: DbTarget): Promise<Connection> {
  const conn =
    target.kind === 'sqlite'
      ? openSqlite(target.file)
      : openPostgres(target.url, target.searchPath, target.poolSize, target.statementTimeoutMs);
  try {
    await sql`select 1`.execute(conn.db);
  } catch (err) {
    await conn.close().catch(() => {});
    const where = target.kind === 'postgres' ? describePgUrl(target.url) : target.file;
    throw new UnavailableError(`cannot reach the database at ${where}: ${(err as Error).message || (err as { code?: string }).code}`);
  }
  return conn;
}

/** host:port/database without the password, for messages. */
export function describePgUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}
