import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { testConnection } from '../../test/harness.js';
import { isPostgres } from './connect.js';
import { MIGRATION_NAMES, migrate } from './migrate.js';

describe('migrating', () => {
  it('brings a fresh database up to date and then has nothing left to apply', async () => {
    const conn = await testConnection(MIGRATION_NAMES[0]);
    try {
      assert.deepEqual(await migrate(conn.db), MIGRATION_NAMES.slice(1));
      assert.deepEqual(await migrate(conn.db), []);
    } finally {
      await conn.close();
    }
  });

  it('on PostgreSQL, is not disturbed by tables of another schema coming and going meanwhile', async (t) => {
    const conn = await testConnection(MIGRATION_NAMES[0]);
    const other = await testConnection(MIGRATION_NAMES[0]);
    try {
      if (!isPostgres(conn.db)) return t.skip('PostgreSQL only: a SQLite file has one schema');
      // Another site (or test) on the same server creates and drops tables as fast as it can,
      // while ours migrates one step at a time: each step looks for its bookkeeping tables.
      let churning = true;
      const churn = (async () => {
        for (let i = 0; churning; i++) {
          await sql.raw(`create table churn_${i} (id serial primary key, note text)`).execute(other.db);
          await sql.raw(`drop table churn_${i}`).execute(other.db);
        }
      })();
      try {
        for (const name of MIGRATION_NAMES.slice(1)) assert.deepEqual(await migrate(conn.db, name), [name]);
      } finally {
        churning = false;
        await churn;
      }
    } finally {
      await conn.close();
      await other.close();
    }
  });
});
