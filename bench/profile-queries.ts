// Times every SQL statement of one page render in-process (SQLite): which queries a page costs.
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { connect } from '../src/db/connect.js';
import { compose } from '../src/main.js';

const [file = '/tmp/bx/hearth.db', path = '/two-hundred-voices/', count = '100'] = process.argv.slice(2);
const timings = new Map<string, { n: number; ms: number }>();
// Patched before connecting: the connection keeps its own bound prepare (statement cache).
const proto = SQLite.prototype as unknown as { prepare(sql: string): Record<string, (...a: unknown[]) => unknown> };
const prepare = proto.prepare;
proto.prepare = function (this: unknown, sql: string) {
  const stmt = prepare.call(this, sql);
  for (const method of ['all', 'run', 'get', 'iterate'] as const) {
    const original = stmt[method]?.bind(stmt);
    if (!original) continue;
    stmt[method] = (...args: unknown[]) => {
      const t = performance.now();
      const result = original(...args);
      const entry = timings.get(sql) ?? { n: 0, ms: 0 };
      entry.n += 1;
      entry.ms += performance.now() - t;
      timings.set(sql, entry);
      return result;
    };
  }
  return stmt;
};
const conn = await connect({ kind: 'sqlite', file });
const { app } = compose({ conn, baseUrl: 'http://127.0.0.1', dataDir: '/tmp/bx', log: pino({ level: 'silent' }) });
for (let i = 0; i < 10; i++) await (await app.request(path)).text();
timings.clear();
const n = Number(count);
for (let i = 0; i < n; i++) await (await app.request(path)).text();
const rows = [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms);
let total = 0;
for (const [sql, t] of rows) {
  total += t.ms;
  console.log(`${(t.ms / n).toFixed(3)} ms x${(t.n / n).toFixed(1)}  ${sql.replace(/\s+/g, ' ').slice(0, 150)}`);
}
console.log(`total SQL per render: ${(total / n).toFixed(2)} ms`);
await conn.close();
