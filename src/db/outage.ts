// A PostgreSQL that stops, restarts or drops a connection must never end the process, and a
// request that meets it is told to come back (503 with Retry-After), not that Hearth broke (500).
// This file is the one place that knows what a lost database looks like in the pg driver.
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { UnavailableError } from '../errors.js';
import { preparedName } from './prepared.js';

/** What a reader is told while the database does not answer. */
export const DATABASE_DOWN_MESSAGE = 'Hearth cannot reach its database just now. Nothing you sent is lost; please try again in a moment.';

/** SQLSTATE codes (and classes) that mean the server went away or will not take us now. */
function isOutageState(code: string): boolean {
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin_shutdown: "terminating connection due to administrator command"
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now: starting up or shutting down
    code === '53300' || // too_many_connections
    code === '57014' // query_canceled: a statement ran past statement_timeout
  );
}

/** Socket errors of a server that is not there. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** pg keeps whether a client can still be used in fields that pg-pool itself reads. */
function clientLost(client: pg.PoolClient): boolean {
  const state = client as unknown as { _queryable?: boolean; _ending?: boolean; _ended?: boolean };
  return state._queryable === false || state._ending === true || state._ended === true;
}

/** True when the error says the database is unreachable rather than that a statement was wrong. */
export function isOutage(err: unknown): boolean {
  if (err instanceof UnavailableError) return true;
  const code = errorCode(err);
  if (code === undefined) return false;
  return SOCKET_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isOutageState(code));
}

function unavailable(err: unknown): UnavailableError {
  return new UnavailableError(DATABASE_DOWN_MESSAGE, { cause: err });
}

/**
 * The pool as Kysely sees it: a failed connect, or a query on a connection the server dropped,
 * becomes an UnavailableError; every other error (a constraint, a syntax error) passes unchanged.
 */
export function outageAwarePool(pool: pg.Pool): PostgresPool & { arrayRead(text: string, values: unknown[]): Promise<unknown[][]> } {
  // Kysely keeps one connection object per client it is given: give it the same wrapper each time.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();

  async function checkout(): Promise<pg.PoolClient> {
    try {
      return await pool.connect();
    } catch (err) {
      // Any failure to open a connection (refused, timed out, shutting down) is an outage.
      throw unavailable(err);
    }
  }

  function translate(client: pg.PoolClient, err: unknown): unknown {
    return isOutage(err) || clientLost(client) ? unavailable(err) : err;
  }

  function wrap(client: pg.PoolClient): PostgresPoolClient {
    let wrapper = wrappers.get(client);
    if (!wrapper) {
      wrapper = {
        query: (async (text: string, parameters: ReadonlyArray<unknown>) => {
          try {
            const name = preparedName(text);
            const values = parameters as unknown[];
            const result = await (name === undefined ? client.query(text, values) : client.query({ name, text, values }));
            return result as unknown as PostgresQueryResult<unknown>;
          } catch (err) {
            throw translate(client, err);
          }
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
      wrappers.set(client, wrapper);
    }
    return wrapper;
  }

  return {
    connect: async () => wrap(await checkout()),
    end: () => pool.end(),
    async arrayRead(text, values) {
      const client = await checkout();
      try {
        const name = preparedName(text);
        return (await client.query({ ...(name === undefined ? {} : { name }), text, values, rowMode: 'array' })).rows as unknown[][];
      } catch (err) {
        throw translate(client, err);
      } finally {
        client.release();
      }
    },
  };
}

/**
 * A server that goes away sends an error to every open connection. An idle one reaches the pool's
 * listener; one checked out for a query or a transaction has none of the pool's, and an 'error'
 * with no listener ends the process. Every connection gets one for its whole life: its query
 * rejects as well, and the pool drops it when it is released.
 */
export function keepErrorsFromEndingTheProcess(pool: pg.Pool, onLost: (err: Error) => void): void {
  pool.on('error', onLost);
  pool.on('connect', (client) => {
    client.on('error', onLost);
  });
}

/** What a writer is told while the disk under SQLite is full or failing. */
export const STORAGE_TROUBLE_MESSAGE =
  'Hearth cannot save anything just now: its disk is full or failing. What you sent was not saved; please try again in a few minutes.';

/**
 * SQLite's answer when its disk is full (SQLITE_FULL), failing (SQLITE_IOERR_*) or the database
 * stayed locked past the wait: the statement was rolled back, the file is intact, and the same
 * request can succeed once space returns. An UnavailableError for those, undefined for the rest.
 */
export function storageUnavailable(err: unknown): UnavailableError | undefined {
  const code = errorCode(err);
  if (code === undefined || !/^SQLITE_(FULL|IOERR|BUSY|LOCKED)/.test(code)) return undefined;
  return new UnavailableError(STORAGE_TROUBLE_MESSAGE, { cause: err });
}
