// Many rows of one shape in few statements, for imports: the values go in as one flat parameter
// list, so no query tree is built per row, and the same text for the same shape lets SQLite reuse
// its prepared statement (connect.ts). Both databases take it as it is; only placeholders differ.
import { CompiledQuery } from 'kysely';
import { type Db, isPostgres } from './connect.js';
import type { Database } from './tables.js';

/** Rows per statement: far below both databases' cap on parameters (SQLite 32,766; PostgreSQL 65,535). */
const MAX_PARAMETERS = 16_000;

function statementText(table: string, columns: readonly string[], rows: number, postgres: boolean): string {
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const marks: string[] = [];
    for (let c = 0; c < columns.length; c++) marks.push(postgres ? `$${++n}` : '?');
    tuples.push(`(${marks.join(', ')})`);
  }
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`;
}

/** Inserts `rows` into `table`, each giving a value (or null) for every one of `columns`. */
export async function insertRows<T extends keyof Database, C extends keyof Database[T] & string>(
  db: Db,
  table: T,
  columns: readonly C[],
  rows: readonly { [K in C]: unknown }[],
): Promise<void> {
  const postgres = isPostgres(db);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    const parameters: unknown[] = new Array((end - start) * columns.length);
    let p = 0;
    for (let r = start; r < end; r++) {
      const row = rows[r] as { [K in C]: unknown };
      for (const column of columns) parameters[p++] = row[column] ?? null;
    }
    await db.executeQuery(CompiledQuery.raw(statementText(table, columns, end - start, postgres), parameters));
  }
}
