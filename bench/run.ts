// `npm run bench`: Hearth under load on SQLite and PostgreSQL, against nginx (one worker) sending a
// saved copy of the same page in the same run. wrk with 16 connections for 10 s after a warm-up,
// no compression asked, all on loopback. Server CPU per request comes from the Hearth process's
// own CPU time (/proc/<pid>/stat). Writes bench/RESULTS.md.
// BENCH_ONLY=<text> runs only the scenarios whose name contains it (e.g. BENCH_ONLY='comment posting'
// npm run bench sqlite), prints the table and leaves bench/RESULTS.md as it was. BENCH_CPU_PROF=<dir>
// runs the server under `node --cpu-prof`, writing its profiles there when it stops.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { BENCH_POST_200, BENCH_POST_2000, BENCH_POST_OPEN, seedBenchSite } from './seed.js';

const root = path.resolve(import.meta.dirname, '..');
const BIN = path.join(root, 'bin/hearth.js');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
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
const wanted = (scenario: string) => ONLY === undefined || scenario.includes(ONLY);

interface WrkResult {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

interface Row {
  target: string;
  scenario: string;
  wrk: WrkResult;
  cpuUsPerRequest: number | null;
  ratio?: number;
}

function need(command: string) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    console.error(`bench: ${command} is missing (apt-get install -y wrk nginx-light)`);
    process.exit(1);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET on a new connection: a kept-alive one may have been closed by the server while wrk ran. */
function getBody(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      })
      .on('error', reject);
  });
}

/** user + system CPU of a process, in microseconds. */
function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLK_TCK;
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function wrk(url: string, seconds: number, script?: string): WrkResult {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const latency = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    return m ? toMs(m[1] as string, m[2] as string) : Number.NaN;
  };
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { requests, rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0), p50ms: latency('50'), p99ms: latency('99'), errors };
}

/** Warms up, then measures a URL with wrk while reading the server's CPU time. */
function measure(pid: number | null, url: string, script?: string): { wrk: WrkResult; cpuUsPerRequest: number | null } {
  wrk(url, 2, script);
  const before = pid ? cpuMicros(pid) : 0;
  const result = wrk(url, DURATION, script);
  const cpu = pid ? (cpuMicros(pid) - before) / Math.max(1, result.requests) : null;
  return { wrk: result, cpuUsPerRequest: cpu === null ? null : Math.round(cpu) };
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await sleep(100);
  }
  throw new Error(`no answer from ${url}: ${output()}`);
}

async function startHearth(env: Record<string, string>) {
  const port = await freePort();
  let output = '';
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profile, BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HEARTH_DEMO: '0', HEARTH_BENCHMARK_RELAX: '1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output = (output + d).slice(-4000);
  });
  child.stderr?.on('data', (d) => {
    output = (output + d).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, child, () => output);
  return {
    base,
    pid: child.pid as number,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
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

/** A wrk script that posts a new top-level comment per request with the form's own hidden fields. */
function commentScript(dir: string, postPath: string, hidden: string, origin: string): string {
  const file = path.join(dir, 'post-comment.lua');
  fs.writeFileSync(
    file,
    `local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local id = tostring(tid) .. "-" .. tostring(counter)
  local body = "name=Bench+Reader&email=bench" .. id .. "%40bench.invalid&body=A+benchmark+comment+number+" .. id .. "&${hidden}"
  return wrk.format("POST", "${postPath}comments", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = "${origin}" }, body)
end
`,
  );
  return file;
}

/** The comment form's hidden fields, as a form-encoded string. */
async function hiddenFields(pageUrl: string): Promise<string> {
  const html = (await getBody(pageUrl)).toString('utf8');
  const form = /<form[^>]*data-comment-form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields = [...form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map((m) => m[0]);
  const pairs = fields.map((f) => [/name="([^"]+)"/.exec(f)?.[1] ?? '', /value="([^"]*)"/.exec(f)?.[1] ?? ''] as const);
  return pairs
    .filter(([name]) => name && name !== 'parent')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value.replaceAll('&amp;', '&'))}`)
    .join('&');
}

async function prepare(target: 'sqlite' | 'postgres', dir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (target === 'sqlite') {
    const file = path.join(dir, 'hearth.db');
    const conn = await connect({ kind: 'sqlite', file });
    await migrate(conn.db);
    await seedBenchSite(conn, dir);
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
    const add = async (scenario: string, pid: number | null, url: string, script?: () => Promise<string>) => {
      if (!wanted(scenario)) return;
      const m = measure(pid, url, script ? await script() : undefined);
      rows.push({ target, scenario, ...m });
      console.error(`bench: ${target} ${scenario}: ${Math.round(m.wrk.rps)} req/s, ${m.cpuUsPerRequest} µs CPU/request`);
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

function version(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return (
    `${r.stdout}${r.stderr}`
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'unknown'
  );
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
    const cached = find(target, 'post page, 200 comments, cached');
    if (cached?.ratio !== undefined)
      lines.push(
        `- ${target}: cached 200-comment page at ${cached.ratio.toFixed(2)} of nginx (target ≥ 0.50): ${cached.ratio >= 0.5 ? 'met' : 'not met'}`,
      );
  }
  const posting = find('sqlite', 'comment posting');
  if (posting)
    lines.push(
      `- sqlite: ${Math.round(posting.wrk.rps)} comments/s accepted (target ≥ 1,000/s): ${posting.wrk.rps >= 1000 ? 'met' : 'not met'}`,
    );
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
    `- Method: wrk -t2 -c${CONNECTIONS} for ${DURATION} s after a 2 s warm-up, no compression asked, server and load generator on loopback. ` +
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
