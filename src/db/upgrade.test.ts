// Upgrades lose nothing: a database is built up one migration at a time, as a site that has run
// every version of Hearth would be. After each migration, every table then present gets fresh rows
// (every column filled, references pointing at rows of the tables they name), and every row
// written at any earlier version is read back with each of its values unchanged. The list of
// migrations is read from migrate.ts, so a new migration is covered the day it is added.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { testConnection } from '../../test/harness.js';
import { type Connection, isPostgres } from './connect.js';
import { MIGRATION_NAMES, migrate } from './migrate.js';

/** Tables a migration retired on purpose, with the migration that did it: their rows go with them. */
const RETIRED_TABLES: Record<string, string> = { sign_in_failures: '013-throttles' };
/** Values some columns must hold for the rest of the schema (and its triggers) to make sense of a row. */
const MEANINGFUL: Record<string, string> = {
  status: 'published',
  role: 'owner',
  visibility: 'public',
  comments_mode: 'open',
  source_format: 'markdown',
};
/** A thread's kept HTML: a cache that any change to its comments empties, to be rendered again. */
const DERIVED = new Set(['public_html', 'html_key']);
const KIND: Record<string, string> = { posts: 'post', comments: 'comment' };

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  pk: boolean;
}
interface Table {
  name: string;
  columns: Column[];
  /** column -> [table, column] it references */
  references: Map<string, [string, string]>;
}

// biome-ignore lint/suspicious/noExplicitAny: the schema changes under this test; rows have no types
type AnyDb = Kysely<any>;

async function tablesOf(db: AnyDb): Promise<Table[]> {
  const out: Table[] = [];
  if (isPostgres(db)) {
    const cols = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; is_generated: string }>`
      select table_name, column_name, data_type, is_nullable, is_generated from information_schema.columns
      where table_schema = current_schema() order by table_name, ordinal_position`.execute(db);
    const keys = await sql<{ table_name: string; column_name: string; kind: string; ref_table: string | null; ref_column: string | null }>`
      select tc.table_name, kcu.column_name, tc.constraint_type as kind, ccu.table_name as ref_table, ccu.column_name as ref_column
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
      left join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
        and tc.constraint_type = 'FOREIGN KEY'
      where tc.table_schema = current_schema() and tc.constraint_type in ('PRIMARY KEY', 'FOREIGN KEY')`.execute(db);
    const byName = new Map<string, Table>();
    for (const c of cols.rows) {
      if (c.is_generated === 'ALWAYS' || c.data_type === 'tsvector') continue;
      let t = byName.get(c.table_name);
      if (!t) {
        t = { name: c.table_name, columns: [], references: new Map() };
        byName.set(c.table_name, t);
        out.push(t);
      }
      t.columns.push({ name: c.column_name, type: c.data_type, notNull: c.is_nullable === 'NO', pk: false });
    }
    for (const k of keys.rows) {
      const t = byName.get(k.table_name);
      const col = t?.columns.find((c) => c.name === k.column_name);
      if (!t || !col) continue;
      if (k.kind === 'PRIMARY KEY') col.pk = true;
      else if (k.ref_table && k.ref_column) t.references.set(col.name, [k.ref_table, k.ref_column]);
    }
  } else {
    const names = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
      and sql not like 'CREATE VIRTUAL TABLE%' and name not like 'posts_fts%' order by name`.execute(db);
    for (const { name } of names.rows) {
      const info = await sql<{ name: string; type: string; notnull: number; pk: number }>`select * from pragma_table_info(${name})`.execute(
        db,
      );
      const fks = await sql<{ table: string; from: string; to: string }>`select * from pragma_foreign_key_list(${name})`.execute(db);
      out.push({
        name,
        columns: info.rows.map((c) => ({ name: c.name, type: c.type.toLowerCase(), notNull: c.notnull === 1, pk: c.pk > 0 })),
        references: new Map(fks.rows.map((f) => [f.from, [f.table, f.to ?? 'id']])),
      });
    }
  }
  return out.filter((t) => !t.name.startsWith('hearth_migration'));
}

/** Tables ordered so that every table comes after those it references. */
function ordered(tables: Table[]): Table[] {
  const done = new Set<string>();
  const out: Table[] = [];
  const visit = (t: Table, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const [, [ref]] of t.references) {
      const target = tables.find((x) => x.name === ref);
      if (target && target !== t) visit(target, path);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

interface Written {
  table: string;
  step: string;
  row: Record<string, unknown>;
  key: string[];
}

/** One row for the table, every column filled, written at the given step. */
function rowFor(t: Table, step: number, stepName: string, written: Map<string, Record<string, unknown>>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of t.columns) {
    const ref = t.references.get(c.name);
    if (ref) {
      const target = ref[0] === t.name ? null : written.get(ref[0]);
      row[c.name] = target ? target[ref[1]] : c.notNull ? undefined : null;
      continue;
    }
    const numeric = /int|real|numeric|double/.test(c.type);
    if (c.name === 'kind' && KIND[t.name]) row[c.name] = KIND[t.name];
    else if (MEANINGFUL[c.name] !== undefined) row[c.name] = MEANINGFUL[c.name];
    else if (c.name === 'depth' || c.name === 'notify' || c.name.endsWith('_count') || c.name === 'sticky' || c.name === 'custom_excerpt')
      row[c.name] = 0;
    else if (/bigint|int8/.test(c.type) || c.name.endsWith('_at')) row[c.name] = 1_700_000_000_000 + step * 1000 + t.columns.indexOf(c);
    else if (numeric) row[c.name] = step * 100 + t.columns.indexOf(c);
    else if (c.name === 'email' || c.name.endsWith('_email')) row[c.name] = `v${step}.${t.name}@example.com`;
    // A text search configuration must name one PostgreSQL has.
    else if (c.type === 'regconfig') row[c.name] = 'simple';
    else row[c.name] = `${stepName}:${t.name}:${c.name}`;
  }
  // A comment is its own thread's root; a thread is that of the comment written with it.
  if (t.name === 'comments' && 'root_id' in row) row.root_id = row.id;
  if (t.name === 'comments' && 'parent_id' in row) row.parent_id = null;
  if (t.name === 'threads' && written.get('comments')) row.root_id = written.get('comments')?.id;
  return row;
}

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');
const migrationSource = (name: string) => fs.readFileSync(path.join(MIGRATIONS_DIR, `${name}.ts`), 'utf8');

describe('upgrading through every migration', () => {
  let conn: Connection;
  const written: Written[] = [];

  before(async () => {
    conn = await testConnection(MIGRATION_NAMES[0]);
  });
  after(() => conn.close());

  it(`covers all ${MIGRATION_NAMES.length} migrations, oldest first: data of every earlier version kept, and the previous version can still write`, async (t) => {
    const db = conn.db as unknown as AnyDb;
    let previous: Table[] = [];
    for (let step = 0; step < MIGRATION_NAMES.length; step++) {
      const name = MIGRATION_NAMES[step] as string;
      if (step > 0) assert.deepEqual(await migrate(conn.db, name), [name], `${name} applies on top of ${MIGRATION_NAMES[step - 1]}`);
      const tables = ordered(await tablesOf(db));
      const present = new Set(tables.map((x) => x.name));

      // Rolling upgrade: a process of the previous version still writes rows shaped as it knows
      // them. A migration that breaks that (drops a table, adds a required column without a
      // default) must say so in its file ("Rolling upgrade: needs care").
      const older = new Map<string, Record<string, unknown>>();
      for (const table of previous) {
        if (!present.has(table.name)) {
          assert.match(migrationSource(name), /Rolling upgrade: needs care/, `${name} drops ${table.name} and must say how to upgrade`);
          continue;
        }
        const row = rowFor(table, 1000 + step, `older-process-${name}`, older);
        if (Object.values(row).some((v) => v === undefined)) continue;
        try {
          await db.insertInto(table.name).values(row).execute();
        } catch (err) {
          assert.match(
            migrationSource(name),
            /Rolling upgrade: needs care/,
            `after ${name}, the previous version cannot write ${table.name}: ${(err as Error).message}`,
          );
          continue;
        }
        older.set(table.name, row);
        const pk = table.columns.filter((c) => c.pk).map((c) => c.name);
        written.push({ table: table.name, step: `${name} (by the previous version)`, row, key: pk.length > 0 ? pk : Object.keys(row) });
      }
      previous = tables;

      // Everything written at earlier versions is still there, value for value.
      for (const w of written) {
        if (!present.has(w.table)) {
          assert.ok(
            RETIRED_TABLES[w.table] && MIGRATION_NAMES.indexOf(RETIRED_TABLES[w.table] as string) <= step,
            `${name} removed table ${w.table}, which holds data written at ${w.step}`,
          );
          continue;
        }
        const table = tables.find((x) => x.name === w.table) as Table;
        let q = db.selectFrom(w.table).selectAll();
        for (const k of w.key) q = q.where(k, '=', w.row[k]);
        const found = (await q.execute()) as Record<string, unknown>[];
        assert.equal(found.length, 1, `after ${name}: the ${w.table} row written at ${w.step} is there`);
        for (const c of table.columns) {
          if (!(c.name in w.row) || DERIVED.has(c.name)) continue; // a column added since, or a cache
          const was = w.row[c.name];
          const now = (found[0] as Record<string, unknown>)[c.name];
          // A bytea column gives back as bytes the text it was given.
          const read = now instanceof Uint8Array ? Buffer.from(now).toString('utf8') : now;
          assert.equal(
            read === null ? null : typeof was === 'number' ? Number(read) : read,
            was,
            `after ${name}: ${w.table}.${c.name} of the row written at ${w.step}`,
          );
        }
      }

      // A site at this version gets data of its own.
      const latest = new Map<string, Record<string, unknown>>();
      for (const table of tables) {
        const row = rowFor(table, step, name, latest);
        if (Object.values(row).some((v) => v === undefined)) continue; // a required reference with nothing to point at
        await db.insertInto(table.name).values(row).execute();
        latest.set(table.name, row);
        const pk = table.columns.filter((c) => c.pk).map((c) => c.name);
        written.push({ table: table.name, step: name, row, key: pk.length > 0 ? pk : Object.keys(row) });
      }
      assert.ok(latest.has('comments') && latest.has('posts'), `${name}: the core tables took a row`);
    }
    t.diagnostic(`${MIGRATION_NAMES.length} migrations, ${written.length} rows written along the way and checked after every later one`);
  });
});
