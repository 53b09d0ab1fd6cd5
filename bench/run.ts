// `npm run bench`: Hearth under load on SQLite and PostgreSQL, against nginx (one worker) sending a
// saved copy of the same page in the same run. wrk with 16 connections for 10 s after a warm-up,
// no compression asked, all on loopback. Server CPU per request comes from the Hearth process's
// own CPU time (/proc/<pid>/stat). Writes bench/RESULTS.md.
// BENCH_ONLY=<text> runs only the scenarios whose name contains it (e.g. BENCH_ONLY='comment posting'
// npm run bench sqlite), or only the one so named when it ends in `$` ('comment posting$'), prints
// the table and leaves bench/RESULTS.md as it was. BENCH_CPU_PROF=<dir> runs the server under
// `node --cpu-prof`, writing its profiles there when it stops; BENCH_NODE_FLAGS adds flags to its
// node (`--trace-deopt`), BENCH_SERVER_LOG=<path> keeps its output in <path>.<pid>, and
// BENCH_WARMUP sets the seconds of load before each measured run (8: load-tools.ts says why).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import {
  backendCpuMicros,
  CONNECTIONS,
  commentScript,
  cpuMicros,
  freePort,
  getBody,
  hiddenFields,
  measure as measureFor,
  need,
  peakRssMb,
  sleep,
  startHearth,
  version,
  WARMUP_SECONDS,
  type WrkResult,
  waitFor,
  wrkAsync,
} from './load-tools.js';
import { importRealExport, REAL_POST, REAL_POST_200 } from './real-export.js';
import { BENCH_POST_200, BENCH_POST_2000, BENCH_POST_OPEN, seedBenchSite } from './seed.js';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const PG_ADMIN = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ONLY = process.env.BENCH_ONLY?.trim() || undefined;
const NGINX = 'nginx (1 worker), same page bytes';
const UNCACHED = [
  'post page, 200 comments, uncached',
  'post page, 2,000 comments, page 1, uncached',
  'home page, uncached',
  'RSS feed, uncached',
  'search, uncached',
];
const REAL_200 = 'post page, real WordPress export (Template: Comments ×10, 200 comments), uncached';
const REAL_20 = 'post page, real WordPress export (Template: Comments, 20 comments), uncached';
UNCACHED.push(REAL_200, REAL_20);
const wanted = (scenario: string) => ONLY === undefined || (ONLY.endsWith('$') ? scenario === ONLY.slice(0, -1) : scenario.includes(ONLY));
const measure = (pid: number | null, url: string, script?: string, database?: string) =>
  measureFor(pid, url, DURATION, script, CONNECTIONS, database);

interface Row {
  target: string;
  scenario: string;
  wrk: WrkResult;
  cpuUsPerRequest: number | null;
  ratio?: number;
}

/**
 * What one request costs Hearth and its database together, and the requests/s that leaves this
 * machine's cores at most (before the load generator takes its share).
 */
function databaseShare(target: string, scenario: string, hearthUs: number, databaseUs: number): string {
  const both = hearthUs + databaseUs;
  const ceiling = Math.round((os.availableParallelism() * 1_000_000) / both);
  return `${target}: ${scenario}: PostgreSQL's backends ${databaseUs} µs CPU per request beside Hearth's ${hearthUs} µs; ${both} µs in all, so ${os.availableParallelism()} cores serve at most ${ceiling.toLocaleString('en')} requests/s`;
}

/**
 * Loads every server at once, each with its own wrk and half the connections (16 in all): the
 * requests/s are summed, latencies are the worst of them, CPU per request is the servers' CPU
 * over all requests served.
 */
async function measureTogether(
  servers: { pid: number; url: string; script?: string }[],
  database: string,
): Promise<{ wrk: WrkResult; cpuUsPerRequest: number; databaseCpuUsPerRequest: number }> {
  const share = Math.max(1, Math.floor(CONNECTIONS / servers.length));
  await Promise.all(servers.map((s) => wrkAsync(s.url, WARMUP_SECONDS, s.script, share)));
  const cpu = () => servers.reduce((sum, s) => sum + cpuMicros(s.pid), 0);
  const before = cpu();
  const databaseBefore = backendCpuMicros(database);
  const results = await Promise.all(servers.map((s) => wrkAsync(s.url, DURATION, s.script, share)));
  const used = cpu() - before;
  const databaseUsed = backendCpuMicros(database) - databaseBefore;
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  return {
    wrk: {
      requests,
      rps: results.reduce((sum, r) => sum + r.rps, 0),
      p50ms: Math.max(...results.map((r) => r.p50ms)),
      p99ms: Math.max(...results.map((r) => r.p99ms)),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
    },
    cpuUsPerRequest: Math.round(used / Math.max(1, requests)),
    databaseCpuUsPerRequest: Math.round(databaseUsed / Math.max(1, requests)),
  };
}

async function startNginx(page: Buffer) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-nginx-'));
  fs.writeFileSync(path.join(dir, 'page.html'), page);
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir};
  scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port};
    root ${dir};
    location / { default_type text/html; try_files /page.html =404; }
  }
}
`,
  );
  const child = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/`, child, () => fs.readFileSync(path.join(dir, 'error.log'), 'utf8'));
  // The master process; its one worker does the sending. CPU is read for both.
  return {
    base,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function prepare(target: 'sqlite' | 'postgres', dir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (target === 'sqlite') {
    const file = path.join(dir, 'hearth.db');
    const conn = await connect({ kind: 'sqlite', file });
    await migrate(conn.db);
    await seedBenchSite(conn, dir);
    await importRealExport(conn);
    await conn.close();
    return { env: { HEARTH_DATA: dir }, drop: async () => {} };
  }
  const name = `hearth_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  const conn = await connect({ kind: 'postgres', url: url.href });
  await migrate(conn.db);
  await seedBenchSite(conn, dir);
  await importRealExport(conn);
  // Statistics as autovacuum would gather them within a minute of the seeding on a real server.
  await sql`analyze`.execute(conn.db);
  await conn.close();
  return {
    env: { HEARTH_DATA: dir, DATABASE_URL: url.href },
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function benchTarget(target: 'sqlite' | 'postgres', rows: Row[], notes: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-bench-${target}-`));
  console.error(`bench: seeding ${target}…`);
  const db = await prepare(target, dir);
  try {
    const post = `/${BENCH_POST_200}/`;
    // Cached: the page cache on, as a site runs.
    const cached = await startHearth({ ...db.env, HEARTH_PAGE_CACHE: '1' });
    const page = await getBody(`${cached.base}${post}`);
    notes.push(`${target}: the 200-comment page is ${Math.round(page.length / 1024)} KB of HTML`);
    // PostgreSQL's backends are measured for the writes: the database's share of a comment's cost.
    const database = target === 'postgres' ? new URL(db.env.DATABASE_URL as string).pathname.slice(1) : undefined;
    const add = async (scenario: string, pid: number | null, url: string, script?: () => Promise<string>) => {
      if (!wanted(scenario)) return;
      const m = measure(pid, url, script ? await script() : undefined, script ? database : undefined);
      rows.push({ target, scenario, ...m });
      console.error(`bench: ${target} ${scenario}: ${Math.round(m.wrk.rps)} req/s, ${m.cpuUsPerRequest} µs CPU/request`);
      if (m.databaseCpuUsPerRequest !== undefined && m.cpuUsPerRequest !== null)
        notes.push(databaseShare(target, scenario, m.cpuUsPerRequest, m.databaseCpuUsPerRequest));
    };
    await add('post page, 200 comments, cached', cached.pid, `${cached.base}${post}`);
    await add('home page, cached', cached.pid, `${cached.base}/`);
    await add('RSS feed, cached', cached.pid, `${cached.base}/feed.xml`);
    const cachedRss = peakRssMb(cached.pid);
    await cached.stop();

    // Uncached: every request renders (HEARTH_PAGE_CACHE=0).
    if (UNCACHED.some(wanted)) {
      const fresh = await startHearth({ ...db.env, HEARTH_PAGE_CACHE: '0' });
      const [page200, page2000, home, rss, search] = UNCACHED as [string, string, string, string, string];
      await add(page200, fresh.pid, `${fresh.base}${post}`);
      await add(page2000, fresh.pid, `${fresh.base}/${BENCH_POST_2000}/`);
      await add(home, fresh.pid, `${fresh.base}/`);
      await add(rss, fresh.pid, `${fresh.base}/feed.xml`);
      await add(search, fresh.pid, `${fresh.base}/search?q=promises+together`);
      await add(REAL_200, fresh.pid, `${fresh.base}/${REAL_POST_200}/`);
      await add(REAL_20, fresh.pid, `${fresh.base}/${REAL_POST}/`);
      notes.push(`${target}: peak RSS ${cachedRss} MB (cached run), ${peakRssMb(fresh.pid)} MB (uncached run)`);
      await fresh.stop();
    }

    // Posting last, with the page cache on as a site runs, on a post of its own: the thousands of
    // comments it adds, and the emails they queue, would otherwise weigh on what is measured after.
    if (wanted('comment posting')) {
      const posting = await startHearth({ ...db.env, HEARTH_PAGE_CACHE: '1' });
      const open = `/${BENCH_POST_OPEN}/`;
      await add('comment posting', posting.pid, `${posting.base}${open}`, async () => {
        const hidden = await hiddenFields(`${posting.base}${open}`);
        await sleep(3500); // the form's minimum time on the page
        return commentScript(dir, open, hidden, posting.base);
      });
      notes.push(`${target}: peak RSS ${peakRssMb(posting.pid)} MB (posting run)`);
      await posting.stop();
    }
    // Two processes on one PostgreSQL, as a site behind a load balancer runs: each loaded by its own wrk.
    if (target === 'postgres' && wanted('comment posting, two processes')) {
      const a = await startHearth({ ...db.env, HEARTH_PAGE_CACHE: '1' });
      const b = await startHearth({ ...db.env, HEARTH_PAGE_CACHE: '1' });
      const open = `/${BENCH_POST_OPEN}/`;
      const hidden = await hiddenFields(`${a.base}${open}`);
      await sleep(3500);
      // Each server's forms sent from its own origin: a form from another origin is refused (CSRF).
      const scriptFor = (server: { base: string }, name: string) => {
        const own = path.join(dir, name);
        fs.mkdirSync(own, { recursive: true });
        return commentScript(own, open, hidden, server.base);
      };
      const m = await measureTogether(
        [
          { pid: a.pid, url: `${a.base}${open}`, script: scriptFor(a, 'a') },
          { pid: b.pid, url: `${b.base}${open}`, script: scriptFor(b, 'b') },
        ],
        database as string,
      );
      rows.push({ target, scenario: 'comment posting, two processes', ...m });
      console.error(`bench: ${target} comment posting, two processes: ${Math.round(m.wrk.rps)} req/s, ${m.cpuUsPerRequest} µs CPU/request`);
      notes.push(databaseShare(target, 'comment posting, two processes', m.cpuUsPerRequest, m.databaseCpuUsPerRequest));
      await a.stop();
      await b.stop();
    }
    if (target === 'postgres' && wanted('comment posting')) notes.push(`postgres: ${await durability(db.env.DATABASE_URL as string)}`);

    // The ceiling: nginx sending the same bytes.
    if (wanted(NGINX)) {
      const nginx = await startNginx(page);
      const ceiling = measure(null, `${nginx.base}/`);
      await nginx.stop();
      rows.push({ target, scenario: NGINX, ...ceiling });
      for (const row of rows) if (row.target === target && row.scenario !== NGINX) row.ratio = row.wrk.rps / ceiling.wrk.rps;
    }
  } catch (err) {
    console.error(`bench: ${target} failed:`, err);
    throw err;
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

/** Whether a comment's commit was acknowledged only once on disk: what the posting figures stand on. */
async function durability(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay') order by name`,
    );
    return `comment posting is durable: each answer follows its commit (${rows.map((r) => `${r.name}=${r.setting}`).join(', ')})`;
  } finally {
    await client.end();
  }
}

/** Each target of PRODUCT.md with this run's figure and whether it is met. */
function targetLines(rows: Row[]): string[] {
  const find = (target: string, scenario: string) => rows.find((r) => r.target === target && r.scenario === scenario);
  const lines: string[] = [];
  for (const [target, budget] of [
    ['sqlite', 1000],
    ['postgres', 2000],
  ] as const) {
    const uncached = find(target, 'post page, 200 comments, uncached');
    if (uncached?.cpuUsPerRequest != null)
      lines.push(
        `- ${target}: uncached render of the 200-comment page ${uncached.cpuUsPerRequest} µs CPU (target ≤ ${budget} µs): ${uncached.cpuUsPerRequest <= budget ? 'met' : 'not met'}`,
      );
    const real = find(target, REAL_200);
    if (real?.cpuUsPerRequest != null)
      lines.push(
        `- ${target}: uncached render of the real export's 200-comment post ${real.cpuUsPerRequest} µs CPU (target ≤ ${budget} µs): ${real.cpuUsPerRequest <= budget ? 'met' : 'not met'}`,
      );
    const cached = find(target, 'post page, 200 comments, cached');
    if (cached?.ratio !== undefined)
      lines.push(
        `- ${target}: cached 200-comment page at ${cached.ratio.toFixed(2)} of nginx (target ≥ 0.50): ${cached.ratio >= 0.5 ? 'met' : 'not met'}`,
      );
  }
  for (const [target, scenario, goal] of [
    ['sqlite', 'comment posting', 1000],
    ['postgres', 'comment posting', 1000],
    ['postgres', 'comment posting, two processes', 1800],
  ] as const) {
    const posting = find(target, scenario);
    if (posting)
      lines.push(
        `- ${target}: ${scenario}: ${Math.round(posting.wrk.rps)} comments/s accepted (target ≥ ${goal.toLocaleString('en-US')}/s): ${posting.wrk.rps >= goal ? 'met' : 'not met'}`,
      );
  }
  return lines;
}

function report(rows: Row[], notes: string[]): string {
  const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString()} by \`npm run bench\` (bench/run.ts).`,
    '',
    `- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    `- Node.js ${process.version}; ${version('nginx', ['-v'])}; ${version('wrk', ['-v'])}; ${version('psql', ['--version'])}`,
    `- Method: wrk -t2 -c${CONNECTIONS} for ${DURATION} s after a ${WARMUP_SECONDS} s warm-up (V8 done compiling the hot code), no compression asked, server and load generator on loopback. ` +
      'CPU per request = the Hearth process’s user+system CPU time during the run divided by the requests served. ' +
      'Ratio = requests/s over nginx’s requests/s for the same page bytes in the same run. Comment posting runs with HEARTH_BENCHMARK_RELAX=1 (no holds, no rate limits).',
    '',
    '| database | scenario | requests/s | p50 ms | p99 ms | CPU µs/request | ratio to nginx | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${r.scenario} | ${fmt(r.wrk.rps)} | ${fmt(r.wrk.p50ms, 2)} | ${fmt(r.wrk.p99ms, 2)} | ${r.cpuUsPerRequest ?? '–'} | ${r.ratio === undefined ? '–' : fmt(r.ratio, 2)} | ${r.wrk.errors} |`,
    ),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    '## Against the targets (PRODUCT.md)',
    '',
    ...targetLines(rows),
    '',
  ];
  return lines.join('\n');
}

need('wrk');
need('nginx');
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const rows: Row[] = [];
const notes: string[] = [];
const targets = (process.argv.slice(2).length ? process.argv.slice(2) : ['sqlite', 'postgres']) as ('sqlite' | 'postgres')[];
for (const target of targets) await benchTarget(target, rows, notes);
const text = report(rows, notes);
if (ONLY === undefined) fs.writeFileSync(path.join(root, 'bench/RESULTS.md'), text);
console.log(text);
