// `npm test`: lint, type-check, then the suite on SQLite and on PostgreSQL, then the browser tests.
// `npm run drills` (`node scripts/test.mjs drills`): the failure drills of test/drills/, each of
// which stops, kills or starves real processes, on SQLite and on PostgreSQL; CI runs both.
// Prints one line per target ("sqlite: N passed, N failed"). A target that finds no test fails;
// a target that cannot run (no PostgreSQL, no Chromium) is reported as skipped, and fails under CI.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabaseProbe } from './database-files.mjs';

const root = path.resolve(import.meta.dirname, '..');
const inCI = process.env.CI === 'true' || process.env.CI === '1';
// `npm test -- sqlite postgres src/comments` runs only those targets, and only files whose path
// contains one of the other words.
const TARGETS = ['lint', 'typecheck', 'sqlite', 'postgres', 'chromium'];
const args = process.argv.slice(2);
const drills = args.includes('drills');
const only = drills ? ['sqlite', 'postgres'] : args.filter((a) => TARGETS.includes(a));
const fileFilters = args.filter((a) => !TARGETS.includes(a) && a !== 'drills');
const wants = (target) => only.length === 0 || only.includes(target);
const filtered = (files) => (fileFilters.length === 0 ? files : files.filter((f) => fileFilters.some((w) => f.includes(w))));
const CHROMIUM = '/usr/bin/chromium';
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
// The table of test/schema-pool.ts: migrated schemas the run's test files take and give back.
const SCHEMA_POOL_TABLE =
  'create table public.hearth_test_schemas (name text primary key, free boolean not null default false, shape text not null, seed jsonb not null)';

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

function step(name, command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${name} failed`);
    process.exit(1);
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hearth-test-'));
function runTarget(target, files, env) {
  const countsFile = path.join(tmp, `${target}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts/count-reporter.mjs')}`,
      `--test-reporter-destination=${countsFile}`,
      ...files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, HEARTH_TEST_TARGET: target, ...env } },
  );
  const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1; // the runner itself broke
  return counts;
}

async function pgReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return client;
  } catch (err) {
    return err;
  }
}

if (wants('lint')) step('lint (biome)', process.execPath, [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'check', '.']);
if (wants('typecheck')) step('typecheck (tsc)', process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit']);

// The CLI tests run bin/hearth.js, which runs the build: make it current first.
step('build', process.execPath, [path.join(root, 'scripts/build.mjs')]);

const isDrill = (f) => f.startsWith(path.join(root, 'test/drills') + path.sep);
const allUnitFiles = filtered([...findFiles(path.join(root, 'src'), '.test.ts'), ...findFiles(path.join(root, 'test'), '.test.ts')]).filter(
  (f) => isDrill(f) === drills,
);
// `*.pg.test.ts` are PostgreSQL's own drills (a cluster stopped under load): the postgres target only.
const unitFiles = allUnitFiles.filter((f) => !f.endsWith('.pg.test.ts'));
// The postgres target runs the files that open a database; the others (parsers, sanitizers, pure
// rules) do not depend on it and have run once already in the sqlite target.
const opensDatabase = createDatabaseProbe();
const databaseFiles = allUnitFiles.filter((f) => opensDatabase(f));
const browserFiles = filtered(findFiles(path.join(root, 'test/e2e'), '.e2e.ts'));
const results = [];
const label = (target) => (drills ? `${target} drills` : target);

if (wants('sqlite')) results.push({ target: label('sqlite'), ...runTarget('sqlite', unitFiles, {}) });

if (wants('postgres')) {
  const adminUrl = process.env.TEST_DATABASE_URL || DEFAULT_PG;
  const admin = await pgReachable(adminUrl);
  if (admin instanceof Error) {
    results.push({
      target: label('postgres'),
      unavailable: `cannot reach PostgreSQL at ${adminUrl.replace(/:[^:@/]*@/, ':***@')}: ${admin.message}`,
    });
  } else {
    const name = `hearth_test_${randomBytes(5).toString('hex')}`;
    await admin.query(`create database ${name}`);
    // The suite's commits need not wait for the disk: a test database is thrown away, and the
    // drills, which test durability, keep PostgreSQL's default.
    if (!drills) await admin.query(`alter database ${name} set synchronous_commit = off`);
    const runUrl = new URL(adminUrl);
    runUrl.pathname = `/${name}`;
    const run = new pg.Client({ connectionString: runUrl.href });
    await run.connect();
    await run.query(SCHEMA_POOL_TABLE);
    await run.end();
    try {
      results.push({ target: label('postgres'), ...runTarget('postgres', databaseFiles, { TEST_DATABASE_URL: runUrl.href }) });
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
}

if (wants('chromium') && !drills) {
  if (!existsSync(CHROMIUM)) results.push({ target: 'chromium', unavailable: `${CHROMIUM} is missing (apt-get install -y chromium)` });
  else results.push({ target: 'chromium', ...runTarget('chromium', browserFiles, {}) });
}

rmSync(tmp, { recursive: true, force: true });
console.log('');
let failed = false;
for (const r of results) {
  if (r.unavailable) {
    console.log(`!!! ${r.target} SKIPPED: ${r.unavailable}${inCI ? ' (a failure under CI)' : ''}`);
    if (inCI) failed = true;
    continue;
  }
  console.log(`${r.target}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  if (r.failed > 0 || r.passed === 0) failed = true;
  if (r.passed === 0) console.log(`!!! ${r.target} ran no test`);
}
process.exit(failed ? 1 : 0);
