// Kysely builds and compiles a query anew on every call, which for the small statements of a
// comment write costs more than SQLite takes to run them. A statement made with `compiledStatement`
// is built once per dialect with named stand-ins for its values; each call runs the same SQL with
// its own values in their places, on whatever it is given: the database or a transaction.
import { type Compilable, type CompiledQuery, type QueryResult, sql } from 'kysely';
import { arrayReadOf, type Db, dbKind } from './connect.js';
import { prepareOnEachConnection } from './prepared.js';

const MARK = '\u0000hearth-statement-value:';

/** A stand-in for the value named `name`, typed as that value. */
export type ValueOf<V> = <K extends keyof V & string>(name: K) => V[K];

interface Compiled {
  query: CompiledQuery;
  /** For each parameter: the name of the value given at each call, or undefined for a constant. */
  names: (string | undefined)[];
}

/** Builds `build` once per dialect; each call gets its SQL with the call's values in place. */
function compiledOnce<V extends object, Row>(build: (db: Db, value: ValueOf<V>) => Compilable<Row>) {
  const byDialect = new Map<string, Compiled>();
  const value = ((name: string) => `${MARK}${name}`) as ValueOf<V>;
  return (db: Db, values: V): CompiledQuery<Row> => {
    const dialect = dbKind(db);
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      compiled = withNames(build(db, value).compile());
      if (dialect === 'postgres') prepareOnEachConnection(compiled.query.sql);
      byDialect.set(dialect, compiled);
    }
    return withValues(compiled, values) as CompiledQuery<Row>;
  };
}

function withNames(query: CompiledQuery): Compiled {
  const names = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : undefined));
  return { query, names };
}

function withValues<V extends object>({ query, names }: Compiled, values: V): CompiledQuery {
  const parameters = names.map((name, i) => {
    if (name === undefined) return query.parameters[i];
    if (!(name in values)) throw new Error(`no value for ${name}`);
    return values[name as keyof V];
  });
  return { ...query, parameters };
}

/**
 * A statement built once per dialect by `build`, which must give the same SQL whatever the values
 * (no lists of varying length: their length is part of the SQL). Every value given at a call
 * replaces its stand-in; constants written into the statement stay as they are.
 */
export function compiledStatement<V extends object, Row>(build: (db: Db, value: ValueOf<V>) => Compilable<Row>) {
  const compile = compiledOnce(build);
  return (db: Db, values: V): Promise<QueryResult<Row>> => db.executeQuery<Row>(compile(db, values));
}

/**
 * A read built like `compiledStatement` whose rows come back from the driver as arrays (ArrayRead
 * in connect.ts) and are made into objects here: for the hundreds of rows of a post page, the
 * drivers' own row objects cost more than the query. `columns` names what it selects, in order.
 */
export function compiledRead<V extends object, Row>(
  build: (db: Db, value: ValueOf<V>) => Compilable<Row>,
  columns: readonly (keyof Row & string)[],
) {
  const compile = compiledOnce(build);
  return async (db: Db, values: V): Promise<Row[]> => {
    const query = compile(db, values);
    const read = arrayReadOf(db);
    // A transaction reads as any query does.
    if (!read) return (await db.executeQuery<Row>(query)).rows;
    const rows = await read(query.sql, query.parameters);
    return rows.map((cells) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i] as string] = cells[i];
      return row as Row;
    });
  };
}

/**
 * Whether a batch's `answer` sees the tables as its parts left them (SQLite: they ran before it),
 * rather than as they were before the statement, with the parts' RETURNING rows to read by name
 * (PostgreSQL: one statement, one snapshot).
 */
export function batchAnswerSeesItsWrites(db: Db): boolean {
  return dbKind(db) !== 'postgres';
}

/**
 * Writes that belong together, built once per dialect like `compiledStatement`, sent as one round
 * trip where the database allows it. PostgreSQL runs them as one statement, each a data-modifying
 * `WITH` part (they see the same snapshot, so none may read what another writes; constraints and
 * triggers run at the statement's end, after all of them). SQLite, in the process and without such
 * parts, runs them one after another in the caller's transaction, or in one of its own.
 *
 * `answer` is a read the batch gives back the rows of, run after the writes. On PostgreSQL it is
 * the statement's own final SELECT: it is given the WITH list, may read the parts by their names
 * (`part_0`, `part_1`… in order, their RETURNING rows) and sees the tables as they were before the
 * statement. On SQLite it runs after the parts, in their transaction, and sees what they wrote.
 */
export function compiledBatch<V extends object, Row = never>(
  build: (db: Db, value: ValueOf<V>) => { parts: readonly Compilable<unknown>[]; answer?: (db: Db) => Compilable<Row> },
) {
  const byDialect = new Map<string, { compiled: Compiled[]; answers: boolean }>();
  const value = ((name: string) => `${MARK}${name}`) as ValueOf<V>;
  const compiledFor = (db: Db) => {
    const dialect = dbKind(db);
    let made = byDialect.get(dialect);
    if (!made) {
      const { parts, answer } = build(db, value);
      if (dialect === 'postgres') {
        // Each part as `part_N as (…)`: Kysely writes the WITH list and numbers the parameters.
        let list = db as unknown as WithList;
        for (const [i, part] of parts.entries()) list = list.with(`part_${i}`, () => part);
        const withList = list as unknown as Db;
        const query = answer ? answer(withList) : withList.selectNoFrom(sql<number>`1`.as('done'));
        made = { compiled: [withNames(query.compile())], answers: answer !== undefined };
        prepareOnEachConnection((made.compiled[0] as Compiled).query.sql);
      } else {
        const all = answer ? [...parts, answer(db)] : parts;
        made = { compiled: all.map((part) => withNames(part.compile())), answers: answer !== undefined };
      }
      byDialect.set(dialect, made);
    }
    return made;
  };
  return async (db: Db, values: V): Promise<Row[]> => {
    const { compiled, answers } = compiledFor(db);
    const run = async (trx: Db) => {
      let rows: Row[] = [];
      for (const part of compiled) rows = (await trx.executeQuery<Row>(withValues(part, values))).rows;
      return answers ? rows : [];
    };
    return compiled.length === 1 || db.isTransaction ? run(db) : db.transaction().execute(run);
  };
}

type WithList = { with(name: string, part: () => Compilable<unknown>): WithList };
