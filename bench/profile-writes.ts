// Lists every SQL round trip of one comment POST on PostgreSQL, in order, as the benchmark sends
// it (relaxed: no holds, no rate limits), and what one POST costs in CPU:
// `node --import tsx bench/profile-writes.ts [count]`.
// Uses TEST_DATABASE_URL's server; makes and drops a database of its own.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { compose } from '../src/main.js';
import { BENCH_POST_OPEN, seedBenchSite } from './seed.js';

const admin = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const count = Number(process.argv[2] ?? 3);
// PROFILE_TO=file.cpuprofile: a CPU profile of the timed half only (open it in Chrome's DevTools).
const profileTo = process.env.PROFILE_TO;
const inspector = new Session();
inspector.connect();
const name = `hearth_writes_${randomBytes(4).toString('hex')}`;
const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`create database ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-writes-'));
const log: string[] = [];
let recording = false;
// pg's Client.query is what every statement goes through, pooled or not.
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [first] = args;
  const text = typeof first === 'string' ? first : ((first as { text?: string; name?: string })?.text ?? '?');
  if (recording) log.push(text.replace(/\s+/g, ' ').slice(0, 220));
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;
try {
  const conn = await connect({ kind: 'postgres', url: url.href });
  await migrate(conn.db);
  await seedBenchSite(conn, dir);
  // The form is sent ten seconds after the page was shown: past its minimum time on the page.
  let ahead = 0;
  const clock = { now: () => Date.now() + ahead };
  const { app } = compose({
    conn,
    baseUrl: 'http://127.0.0.1',
    dataDir: dir,
    clock,
    log: pino({ level: 'silent' }),
    relaxForBenchmarks: true,
  });
  const pagePath = `/${BENCH_POST_OPEN}/`;
  const html = await (await app.request(pagePath)).text();
  const form = /<form[^>]*data-comment-form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const hidden = [...form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)]
    .map((m) => [/name="([^"]+)"/.exec(m[0])?.[1] ?? '', (/value="([^"]*)"/.exec(m[0])?.[1] ?? '').replaceAll('&amp;', '&')] as const)
    .filter(([n]) => n && n !== 'parent');
  ahead = 10_000;
  let cpu = process.cpuUsage();
  let started = performance.now();
  for (let i = 0; i < count; i++) {
    if (i === Math.floor(count / 2)) {
      // The first half warms up; the second is timed.
      cpu = process.cpuUsage();
      started = performance.now();
      if (profileTo) {
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.start');
      }
    }
    const body = new URLSearchParams([
      ...hidden,
      ['name', 'Bench Reader'],
      ['email', `bench${i}@bench.invalid`],
      ['body', `A benchmark comment number ${i}`],
    ] as [string, string][]);
    recording = i === count - 1;
    const res = await app.request(`${pagePath}comments`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1' },
    });
    recording = false;
    if (res.status >= 400) throw new Error(`POST answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
  const used = process.cpuUsage(cpu);
  if (profileTo) fs.writeFileSync(profileTo, JSON.stringify((await inspector.post('Profiler.stop')).profile));
  const timed = count - Math.floor(count / 2);
  console.log(
    `${((used.user + used.system) / timed).toFixed(0)} µs CPU and ${(((performance.now() - started) * 1000) / timed).toFixed(0)} µs wall per POST (one at a time, in this process)`,
  );
  console.log(`${log.length} round trips for the last of ${count} comment POSTs:`);
  for (const line of log) console.log(`  ${line}`);
  await conn.close();
} finally {
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
  fs.rmSync(dir, { recursive: true, force: true });
}
