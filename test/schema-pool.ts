// PostgreSQL test schemas, migrated once and used again. Migrating a fresh schema costs about a
// second of DDL on PostgreSQL, and most tests make one; emptying a used schema costs a few
// milliseconds. scripts/test.mjs makes the run's pool table; without it (a file run on its own
// against a database of its own) every test gets a fresh schema as before.
//
// A schema goes back to the pool only as it came: its tables emptied, the rows its migrations
// wrote put back, its sequences restarted, and its shape (columns, indexes) unchanged. A test that
// altered its schema (dropped a column to test a fallback, say) leaves it out of the pool.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POOL_TABLE = 'public.hearth_test_schemas';

// Its table (name, free, shape, seed) is made by scripts/test.mjs in the run's own database,
// dropped with it: a pool never outlives the migrations it was made by.

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A free migrated schema of the pool, or undefined when none is free (or the run has no pool). */
export async function claimSchema(url: string): Promise<string | undefined> {
  return withClient(url, async (client) => {
    try {
      const { rows } = await client.query<{ name: string }>(
        `update ${POOL_TABLE} set free = false
         where name = (select name from ${POOL_TABLE} where free limit 1 for update skip locked)
         returning name`,
      );
      return rows[0]?.name;
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return undefined; // no pool in this run
      throw err;
    }
  });
}

export function newSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

const SHAPE = `
  select md5(coalesce(string_agg(part, ';' order by part), '')) as shape from (
    select table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '') as part
    from information_schema.columns where table_schema = $1
    union all
    select replace(indexdef, $1 || '.', '') from pg_indexes where schemaname = $1
  ) parts`;

/** The tables a test writes to: all but the migrator's own. */
async function dataTables(client: pg.Client, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ tablename: string }>(
    `select tablename from pg_tables where schemaname = $1 and tablename not like 'kysely\\_%' order by tablename`,
    [schema],
  );
  return rows.map((r) => r.tablename);
}

const qualified = (schema: string, table: string) => `"${schema}"."${table}"`;

/** Enters a freshly migrated schema in the pool (as taken), noting its shape and the rows its migrations wrote. */
export async function enterSchema(url: string, schema: string): Promise<void> {
  await withClient(url, async (client) => {
    const seed: Record<string, unknown[]> = {};
    for (const table of await dataTables(client, schema)) {
      // PostgreSQL's own JSON of the rows, which json_populate_recordset reads back type for type.
      const { rows } = await client.query<{ rows: unknown[] | null }>(`select json_agg(t) as rows from ${qualified(schema, table)} t`);
      if (rows[0]?.rows) seed[table] = rows[0].rows;
    }
    const { rows } = await client.query<{ shape: string }>(SHAPE, [schema]);
    try {
      await client.query(`insert into ${POOL_TABLE} (name, shape, seed) values ($1, $2, $3)`, [
        schema,
        rows[0]?.shape,
        JSON.stringify(seed),
      ]);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P01') throw err;
    }
  });
}

/** Empties a schema a test is done with and frees it for the next, unless the test changed its shape. */
export async function releaseSchema(url: string, schema: string): Promise<void> {
  await withClient(url, async (client) => {
    type Entry = { shape: string; seed: Record<string, unknown[]> };
    let entry: Entry | undefined;
    try {
      entry = (await client.query<Entry>(`select shape, seed from ${POOL_TABLE} where name = $1`, [schema])).rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return;
      throw err;
    }
    if (!entry) return;
    const { rows } = await client.query<{ shape: string }>(SHAPE, [schema]);
    if (rows[0]?.shape !== entry.shape) {
      await client.query(`delete from ${POOL_TABLE} where name = $1`, [schema]);
      return;
    }
    const tables = await dataTables(client, schema);
    const refill: Array<[string, unknown[]]> = [];
    for (const [table, seedRows] of Object.entries(entry.seed)) {
      const { rows: columns } = await client.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = $1 and table_name = $2 and is_generated = 'NEVER' order by ordinal_position`,
        [schema, table],
      );
      const list = columns.map((c) => `"${c.column_name}"`).join(', ');
      refill.push([
        `insert into ${qualified(schema, table)} (${list}) overriding system value select ${list} from json_populate_recordset(null::${qualified(schema, table)}, $1::json)`,
        seedRows,
      ]);
    }
    await client.query('begin');
    try {
      // Foreign keys and triggers are not consulted while every table is emptied at once.
      await client.query('set local session_replication_role = replica');
      await client.query(tables.map((t) => `delete from ${qualified(schema, t)};`).join(' '));
      for (const [statement, seedRows] of refill) await client.query(statement, [JSON.stringify(seedRows)]);
      await client.query(
        `select setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) from pg_sequences where schemaname = $1`,
        [schema],
      );
      await client.query(`update ${POOL_TABLE} set free = true where name = $1`, [schema]);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback');
      throw err;
    }
  });
}
