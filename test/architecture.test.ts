// The shape of the source itself: rules of ARCHITECTURE.md that a reader could break without any
// behaviour changing, checked so they stay kept.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import madge from 'madge';
import { testTarget } from './harness.js';

const root = path.resolve(import.meta.dirname, '..');

/** isPostgres, or a comparison of a connection's kind (or dbKind's answer) with a dialect's name. */
const DIALECT_BRANCH =
  /\bisPostgres\b|\bdbKind\(\s*[\w.]+\s*\)\s*[!=]==?|(?<!database\.)\bkind\s*[!=]==?\s*'(?:postgres|sqlite)'|'(?:postgres|sqlite)'\s*[!=]==?\s*[\w.]*(?<!database\.)kind\b/;

describe('the source', () => {
  // The same check as `npx madge --circular --extensions ts,tsx src`. It reads source, not the
  // database, so one target runs it (parsing every file costs seconds).
  it('has no import cycle', { skip: testTarget === 'postgres' ? 'the same source as on sqlite' : false }, async () => {
    const graph = await madge(path.join(root, 'src'), { baseDir: root, fileExtensions: ['ts', 'tsx'] });
    assert.ok(Object.keys(graph.obj()).length > 100, 'madge read the source');
    assert.deepEqual(graph.circular(), [], 'these files import each other in a circle');
  });

  // ARCHITECTURE.md: dialect differences stay in src/db/ (dialect.ts, full-text.ts, notify-channel.ts,
  // ...); domain code asks for what it wants by name (isOneFile, openNotifyChannel) and never
  // branches on the database itself: neither through isPostgres nor by comparing a connection's
  // kind. The configuration's `database.kind` may be compared: it names which database to open
  // (main.ts, the CLI), before there is a connection to branch on.
  it('asks which database it runs on only in src/db/', () => {
    const src = path.join(root, 'src');
    const strays = fs
      .readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !f.startsWith(`db${path.sep}`))
      .filter((f) => DIALECT_BRANCH.test(fs.readFileSync(path.join(src, f), 'utf8')));
    assert.deepEqual(strays, [], 'these branch on the database outside src/db/');
  });

  it('would see a dialect branch written any of these ways', () => {
    for (const line of [
      'if (isPostgres(db)) {',
      "if (conn.kind === 'postgres' && conn.pool) {",
      "return stores.kind !== 'sqlite';",
      "const kind = dbKind(db); if (kind === 'sqlite') {",
      "if (dbKind(trx) === 'postgres') {",
      "if ('postgres' === conn.kind) {",
    ])
      assert.match(line, DIALECT_BRANCH, line);
    for (const line of ["config.database.kind === 'sqlite' ? a : b", "connect({ kind: 'sqlite', file })", 'database: dbKind(db),'])
      assert.doesNotMatch(line, DIALECT_BRANCH, line);
  });
});
