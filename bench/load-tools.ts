// What the benchmarks share: wrk runs and their parsing, a process's CPU time from /proc, Hearth
// started as `hearth serve` on a free port, and the comment form's fields for posting under load.
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const BIN = path.join(root, 'bin/hearth.js');
/** wrk's connections unless told otherwise. */
export const CONNECTIONS = 16;
/**
 * Seconds of load before a measured run (BENCH_WARMUP). V8 keeps compiling a server's hot code
 * for about seven seconds of load (the compiler threads' share of the server's CPU, sampled each
 * second under comment posting, falls only after that): with two seconds, a ten-second run was
 * measured while it compiled, at a fifth more CPU per comment than the same server afterwards.
 */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 8);
if (!Number.isInteger(WARMUP_SECONDS) || WARMUP_SECONDS < 1) {
  console.error(`bench: BENCH_WARMUP must be a whole number of seconds, 1 or more (it is ${process.env.BENCH_WARMUP})`);
  process.exit(2);
}
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface WrkResult {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

export function need(command: string) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    console.error(`bench: ${command} is missing (apt-get install -y wrk nginx-light)`);
    process.exit(1);
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET on a new connection: a kept-alive one may have been closed by the server while wrk ran. */
export function getBody(url: string): Promise<Buffer> {
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
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLK_TCK;
}

/**
 * user + system CPU of the PostgreSQL backends serving `database` (their titles name it), in
 * microseconds: what the database spends on Hearth's statements. A backend that ends between two
 * readings takes its time with it; Hearth's pool keeps its connections while it is loaded.
 */
export function backendCpuMicros(database: string): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres:') && title.includes(` ${database} `)) total += cpuMicros(Number(entry));
    } catch {
      // gone since the folder was read
    }
  }
  return total;
}

export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function wrkArgs(url: string, seconds: number, script: string | undefined, threads: number, connections: number): string[] {
  return [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', ...(script ? ['-s', script] : []), url];
}

export function wrk(url: string, seconds: number, script?: string, connections = CONNECTIONS): WrkResult {
  return parseWrk(execFileSync('wrk', wrkArgs(url, seconds, script, 2, connections), { encoding: 'utf8' }));
}

/** wrk run without blocking, so that several can load several servers at once. */
export function wrkAsync(url: string, seconds: number, script: string | undefined, connections: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    execFile('wrk', wrkArgs(url, seconds, script, 1, connections), { encoding: 'utf8' }, (err, out) =>
      err ? reject(err) : resolve(parseWrk(out)),
    );
  });
}

function parseWrk(out: string): WrkResult {
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
export function measure(
  pid: number | null,
  url: string,
  seconds: number,
  script?: string,
  connections = CONNECTIONS,
  database?: string,
): { wrk: WrkResult; cpuUsPerRequest: number | null; databaseCpuUsPerRequest?: number } {
  wrk(url, WARMUP_SECONDS, script, connections);
  const before = pid ? cpuMicros(pid) : 0;
  const databaseBefore = database ? backendCpuMicros(database) : 0;
  const result = wrk(url, seconds, script, connections);
  const cpu = pid ? (cpuMicros(pid) - before) / Math.max(1, result.requests) : null;
  const perRequest = (micros: number) => Math.round(micros / Math.max(1, result.requests));
  return {
    wrk: result,
    cpuUsPerRequest: cpu === null ? null : Math.round(cpu),
    ...(database ? { databaseCpuUsPerRequest: perRequest(backendCpuMicros(database) - databaseBefore) } : {}),
  };
}

export async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
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

export async function startHearth(env: Record<string, string>) {
  const port = await freePort();
  let output = '';
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...profile, ...flags, BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HEARTH_DEMO: '0', HEARTH_BENCHMARK_RELAX: '1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    if (process.env.BENCH_SERVER_LOG) fs.appendFileSync(`${process.env.BENCH_SERVER_LOG}.${child.pid}`, d);
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

/**
 * A wrk script that posts a new top-level comment per request with the form's own hidden fields.
 * Every comment is new: its writer and words carry the script's own tag and the second its run
 * began, so the warm-up, the measured run and another server's run never resend one (a resent
 * comment is not written again: the writer is sent to the one she sent before).
 */
export function commentScript(dir: string, postPath: string, hidden: string, origin: string): string {
  const file = path.join(dir, 'post-comment.lua');
  const tag = randomBytes(4).toString('hex');
  fs.writeFileSync(
    file,
    `local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local run = ""
function init(args)
  run = "${tag}" .. tostring(os.time())
end
local counter = 0
request = function()
  counter = counter + 1
  local id = run .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  local body = "name=Bench+Reader&email=bench" .. id .. "%40bench.invalid&body=A+benchmark+comment+number+" .. id .. "&${hidden}"
  return wrk.format("POST", "${postPath}comments", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = "${origin}" }, body)
end
`,
  );
  return file;
}

/** The comment form's hidden fields, as a form-encoded string. */
export async function hiddenFields(pageUrl: string): Promise<string> {
  const html = (await getBody(pageUrl)).toString('utf8');
  const form = /<form[^>]*data-comment-form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const fields = [...form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)].map((m) => m[0]);
  const pairs = fields.map((f) => [/name="([^"]+)"/.exec(f)?.[1] ?? '', /value="([^"]*)"/.exec(f)?.[1] ?? ''] as const);
  return pairs
    .filter(([name]) => name && name !== 'parent')
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value.replaceAll('&amp;', '&'))}`)
    .join('&');
}

export function version(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return (
    `${r.stdout}${r.stderr}`
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'unknown'
  );
}
