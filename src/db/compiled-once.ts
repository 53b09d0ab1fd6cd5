// Kysely builds and compiles a query anew on every call. For the one big query of a post page (a
// dozen columns, a join, two subqueries) that costs more than running it, so such a query is
// compiled once per database handle and shape, with marked values, and each call runs the same
// SQL with its own values put where the marks are.
import type { Compilable, CompiledQuery } from 'kysely';
import { arrayReadOf, type Db } from './connect.js';

const MARK = '\u0000hearth-value:';

/** A stand-in for a value given at each call; typed as the value it stands for. */
export type Mark = <T>(name: string) => T;
const mark: Mark = <T>(name: string) => `${MARK}${name}` as T;

const compiled = new WeakMap<Db, Map<string, CompiledQuery>>();

/**
 * Runs the query `build` makes (once per db and key), with `values` in place of its marks. Its
 * rows come back as arrays and are made into objects here (see ArrayRead), so `columns` must name
 * what the query selects, in order.
 */
export async function runCompiledOnce<Row>(
  db: Db,
  key: string,
  build: (mark: Mark) => Compilable<Row>,
  values: Record<string, unknown>,
  columns: readonly (keyof Row & string)[],
): Promise<Row[]> {
  let byKey = compiled.get(db);
  if (!byKey) {
    byKey = new Map();
    compiled.set(db, byKey);
  }
  let query = byKey.get(key);
  if (!query) {
    query = build(mark).compile();
    byKey.set(key, query);
  }
  const parameters = query.parameters.map((p) => {
    if (typeof p !== 'string' || !p.startsWith(MARK)) return p;
    const name = p.slice(MARK.length);
    if (!(name in values)) throw new Error(`no value for ${name} in the query ${key}`);
    return values[name];
  });
  const read = arrayReadOf(db);
  if (!read) return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  const rows = await read(query.sql, parameters);
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
    return row as Row;
  });
}
