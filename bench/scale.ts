// `npm run bench:scale`: Hearth on PostgreSQL with 10 million comments over 100,000 posts, beside
// the same site at 10,000 comments (over 100 posts, seeded the same way): the uncached post page's
// CPU (one process, as bench/run.ts measures it), cached requests/s and comment POSTs/s through
// nginx balancing four `hearth serve` processes, the workspace pages of an author with 100,000
// waiting threads, the dashboard and search, the database's size, and the plan of every hot query.
// Writes bench/SCALE.md.
// Knobs: SCALE_COMMENTS (10000000), SCALE_POSTS (100000), SCALE_SMALL (10000 comments; 0 skips the
// small site), SCALE_SECONDS (wrk's seconds, 10), SCALE_KEEP=1 keeps the databases (their names
// are printed), SCALE_REUSE_LARGE / SCALE_REUSE_SMALL=<database> measure a kept one again.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  commentScript,
  cpuMicros,
  freePort,
  hiddenFields,
  measure,
  need,
  peakRssMb,
  sleep,
  startHearth,
  version,
  WARMUP_SECONDS,
  type WrkResult,
  waitFor,
} from './load-tools.js';
import { max, type PageTiming, type Plan, p50, probeSite } from './scale-probe.js';
import { type ScaleShape, type ScaleSite, seedScaleSite } from './scale-seed.js';

const root = path.resolve(import.meta.dirname, '..');
const PG_ADMIN = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.SCALE_SECONDS ?? 10);
const LARGE: ScaleShape = {
  comments: Number(process.env.SCALE_COMMENTS ?? 10_000_000),
  posts: Number(process.env.SCALE_POSTS ?? 100_000),
  waiting: 100_000,
};
const SMALL_COMMENTS = Number(process.env.SCALE_SMALL ?? 10_000);
// The small site keeps the large one's comments per post.
const SMALL: ScaleShape = {
  comments: SMALL_COMMENTS,
  posts: Math.max(4, Math.round((SMALL_COMMENTS * LARGE.posts) / LARGE.comments)),
  waiting: 100_000,
};
const PROCESSES = 4;
/** Page visits per workspace page timed in-process. */
const ROUNDS = 12;
const say = (s: string) => console.error(`bench:scale: ${s}`);

interface Measured {
  label: string;
  site: ScaleSite;
  dbBytes: number;
  tableBytes: Record<string, number>;
  uncached: { wrk: WrkResult; cpuUsPerRequest: number | null };
  cached: { wrk: WrkResult; cpuUsPerRequest: number };
  posting: { wrk: WrkResult; cpuUsPerRequest: number };
  timings: PageTiming[];
  plans: Plan[];
  rssMb: number;
  seconds: number;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function urlOf(name: string): string {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return url.href;
}

/** nginx in front of the processes, one keepalive pool to them all, as a load balancer runs. */
async function startBalancer(ports: number[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-lb-'));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 2;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir};
  scgi_temp_path ${dir};
  upstream hearth {
    ${ports.map((p) => `server 127.0.0.1:${p};`).join('\n    ')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://hearth;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering on;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/healthz`, child, () => fs.readFileSync(path.join(dir, 'error.log'), 'utf8'));
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

async function prepare(label: string, shape: ScaleShape, reuse: string | undefined, dir: string) {
  if (reuse) {
    const site = await admin(async (c) => {
      const { rows } = await c.query('select shobj_description(oid, $2) as d from pg_database where datname = $1', [reuse, 'pg_database']);
      return JSON.parse(rows[0]?.d ?? 'null') as ScaleSite | null;
    });
    if (!site) throw new Error(`${reuse} holds no seeded scale site`);
    return { name: reuse, site };
  }
  const name = `hearth_scale_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  say(`${label}: seeding ${shape.comments.toLocaleString('en-US')} comments over ${shape.posts.toLocaleString('en-US')} posts in ${name}`);
  const site = await seedScaleSite(urlOf(name), dir, shape, say);
  // What was seeded, kept with the database so that SCALE_KEEP's copy can be measured again.
  await admin((c) => c.query(`comment on database ${name} is '${JSON.stringify(site).replaceAll("'", "''")}'`));
  say(
    `${label}: seeded in ${site.seedSeconds.toFixed(0)} s (${site.threads.toLocaleString('en-US')} threads, ${site.waiting.toLocaleString('en-US')} waiting)`,
  );
  return { name, site };
}

async function measureScale(label: string, shape: ScaleShape, reuse: string | undefined): Promise<Measured> {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-scale-'));
  const { name, site } = await prepare(label, shape, reuse, dir);
  const url = urlOf(name);
  // Threads left empty by the seed are rendered when first shown, not by every process at its start;
  // no scheduled backup (the first would start 30 s in and copy the whole database while measured).
  const env = { HEARTH_DATA: dir, DATABASE_URL: url, HEARTH_RENDER_THREADS: '0', HEARTH_BACKUP_HOURS: '0' };
  try {
    const sizes = await admin(async (c) => {
      const db = await c.query('select pg_database_size($1) as n', [name]);
      return Number(db.rows[0].n);
    });
    const tableBytes = await (async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(
        `select relname as name, pg_total_relation_size(oid) as n from pg_class where relname in ('comments', 'threads', 'posts') and relkind = 'r'`,
      );
      await client.end();
      return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
    })();

    say(`${label}: workspace pages, search and plans (in process)`);
    const { timings, plans } = await probeSite(url, dir, site, ROUNDS);
    for (const t of timings) say(`${label}: ${t.name}: p50 ${p50(t).toFixed(1)} ms, max ${max(t).toFixed(1)} ms`);

    // Uncached: one process renders every request, as bench/run.ts measures it.
    const probe = `/${site.probeSlug}/`;
    const fresh = await startHearth({ ...env, HEARTH_PAGE_CACHE: '0' });
    const uncached = measure(fresh.pid, `${fresh.base}${probe}`, SECONDS);
    say(`${label}: uncached probe page: ${Math.round(uncached.wrk.rps)} req/s, ${uncached.cpuUsPerRequest} µs CPU/request`);
    await fresh.stop();

    // Cached and posting: four processes behind nginx.
    const servers: Awaited<ReturnType<typeof startHearth>>[] = [];
    for (let i = 0; i < PROCESSES; i++) servers.push(await startHearth({ ...env, HEARTH_PAGE_CACHE: '1' }));
    const lb = await startBalancer(servers.map((s) => Number(new URL(s.base).port)));
    const cpu = () => servers.reduce((sum, s) => sum + cpuMicros(s.pid), 0);
    const together = (fn: () => { wrk: WrkResult }) => {
      const before = cpu();
      const m = fn();
      return { wrk: m.wrk, cpuUsPerRequest: Math.round((cpu() - before) / Math.max(1, m.wrk.requests)) };
    };
    measure(null, `${lb.base}${probe}`, 2, undefined, 64); // every process renders and keeps the page once
    const cached = together(() => measure(null, `${lb.base}${probe}`, SECONDS, undefined, 64));
    say(`${label}: cached probe page through nginx: ${Math.round(cached.wrk.rps)} req/s`);
    const open = `/${site.openSlug}/`;
    const hidden = await hiddenFields(`${lb.base}${open}`);
    await sleep(3500); // the form's minimum time on the page
    const script = commentScript(dir, open, hidden, lb.base);
    const posting = together(() => measure(null, `${lb.base}${open}`, SECONDS, script));
    say(`${label}: comment POSTs through nginx: ${Math.round(posting.wrk.rps)} /s`);
    const rssMb = Math.max(...servers.map((s) => peakRssMb(s.pid)));
    await lb.stop();
    for (const s of servers) await s.stop();
    return {
      label,
      site,
      dbBytes: sizes,
      tableBytes,
      uncached,
      cached,
      posting,
      timings,
      plans,
      rssMb,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (process.env.SCALE_KEEP === '1' || reuse) say(`${label}: kept ${name}`);
    else await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

const n = (x: number, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const mb = (bytes: number) => bytes / 2 ** 20;

function report(results: Measured[], totalSeconds: number): string {
  const [small, large] = results.length === 2 ? results : [undefined, results[0]];
  if (!large) return '';
  const both = (f: (m: Measured) => string) => `${small ? f(small) : '–'} | ${f(large)}`;
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const rows: string[] = [];
  const cpuRatio =
    small?.uncached.cpuUsPerRequest && large.uncached.cpuUsPerRequest
      ? large.uncached.cpuUsPerRequest / small.uncached.cpuUsPerRequest
      : Number.NaN;
  rows.push(
    `| uncached probe post page (200 comments), CPU µs/request, 1 process | ${both((m) => n(m.uncached.cpuUsPerRequest ?? Number.NaN))} | flat within 20% | ${Number.isFinite(cpuRatio) ? `${verdict(cpuRatio <= 1.2 && cpuRatio >= 0.8)} (×${cpuRatio.toFixed(2)})` : '–'} |`,
    `| uncached probe post page, requests/s, 1 process (p50 / p99 ms) | ${both((m) => `${n(m.uncached.wrk.rps)} (${n(m.uncached.wrk.p50ms, 1)} / ${n(m.uncached.wrk.p99ms, 1)})`)} | – | – |`,
    `| cached probe post page, requests/s in all, nginx + ${PROCESSES} processes (p50 / p99 ms) | ${both((m) => `${n(m.cached.wrk.rps)} (${n(m.cached.wrk.p50ms, 1)} / ${n(m.cached.wrk.p99ms, 1)})`)} | – | – |`,
    `| cached page, Hearth CPU µs/request (all processes) | ${both((m) => n(m.cached.cpuUsPerRequest))} | – | – |`,
    `| comment POSTs/s accepted, nginx + ${PROCESSES} processes (p50 / p99 ms) | ${both((m) => `${n(m.posting.wrk.rps)} (${n(m.posting.wrk.p50ms, 1)} / ${n(m.posting.wrk.p99ms, 1)})`)} | – | – |`,
    `| comment POST, Hearth CPU µs/request (all processes) | ${both((m) => n(m.posting.cpuUsPerRequest))} | – | – |`,
  );
  for (const t of large.timings) {
    const s = small?.timings.find((x) => x.name === t.name);
    const target = Number.isFinite(t.target) ? `each page < ${t.target} ms` : '–';
    const met = Number.isFinite(t.target) ? verdict(max(t) < t.target) : '–';
    rows.push(
      `| ${t.name}, ms p50 / max of ${t.times.length} (${t.queries} queries) | ${s ? `${n(p50(s), 1)} / ${n(max(s), 1)}` : '–'} | ${n(p50(t), 1)} / ${n(max(t), 1)} | ${target} | ${met} |`,
    );
  }
  rows.push(
    `| database size, MB | ${both((m) => n(mb(m.dbBytes)))} | – | – |`,
    `| database size per million comments, MB | ${both((m) => n(mb(m.dbBytes) / (m.site.comments / 1e6)))} | – | – |`,
    `| comments table with its indexes, MB per million comments | ${both((m) => n(mb(m.tableBytes.comments ?? 0) / (m.site.comments / 1e6)))} | – | – |`,
    `| peak RSS of one process, MB | ${both((m) => n(m.rssMb))} | – | – |`,
    `| seeding (COPY, indexes, VACUUM ANALYZE), s | ${both((m) => n(m.site.seedSeconds))} | – | – |`,
  );
  const shape = (m: Measured) =>
    `${m.label}: ${n(m.site.comments)} comments in ${n(m.site.threads)} threads over ${n(m.site.posts)} posts; the author (role author, a quarter of the posts) has ${n(m.site.waiting)} waiting threads and ${n(m.site.pending)} held comments`;
  const plans = large.plans.map((p) => `### ${p.page}\n\n\`\`\`sql\n${p.sql}\n\`\`\`\n\n\`\`\`\n${p.plan}\n\`\`\`\n`);
  return [
    '# Scale benchmark',
    '',
    `Measured ${new Date().toISOString()} by \`npm run bench:scale\` (bench/scale.ts) in ${n(totalSeconds / 60, 1)} minutes in all.`,
    '',
    `- Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; shared with other work while it ran, so absolute figures are noisy`,
    `- Node.js ${process.version}; ${version('nginx', ['-v'])}; ${version('wrk', ['-v'])}; ${version('psql', ['--version'])}, its configuration as installed (shared_buffers 128 MB)`,
    ...results.map((m) => `- ${shape(m)}`),
    `- Method: the sites are seeded with COPY (bench/scale-seed.ts). Uncached: one \`hearth serve\` with HEARTH_PAGE_CACHE=0, wrk -t2 -c16 for ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up, CPU from /proc/<pid>/stat. ` +
      `Cached and posting: ${PROCESSES} \`hearth serve\` processes behind nginx (2 workers, upstream keepalive), wrk -c64 (cached) and -c16 (posting, HEARTH_BENCHMARK_RELAX=1: no holds, no rate limits), everything on this machine's 2 cores. ` +
      `Workspace pages and search: requested ${ROUNDS} times each through Hearth's app in the benchmark's process (the server's time, no network), following the page's "more" link for the inbox and the queue, after one warm-up request.`,
    '',
    `| figure | ${small ? small.label : 'small site'} | ${large.label} | target | at ${large.label} |`,
    '| --- | ---: | ---: | --- | --- |',
    ...rows,
    '',
    '## What the first runs at 10 million comments changed in Hearth',
    '',
    'Measured on the same machine while developing this benchmark (one round of each page, in process):',
    '',
    '- PostgreSQL compiled plans with JIT because estimates over millions of rows are high: 4 s of compiling for a dashboard read that runs in 0.4 s. Hearth’s connections now run with `jit=off` (src/db/connect.ts).',
    '- Counts of every waiting thread and every comment in a tab read every row: 0.2 s and 1.4 s for the 100,000 waiting threads. The workspace now counts up to 1,000 and says “more than 1,000” (src/comments/count-cap.ts), walking the index in order: 9 ms.',
    '- The moderation queue’s All tab read and sorted every comment of the author’s posts: 6 s. Migration 024 adds comments_newest_idx (created_at, id); the tab now takes 5 ms in the database.',
    '- The dashboard’s first staff replies were a join PostgreSQL answered by hashing every staff reply ever written (6 s for the owner); each thread is now read on its own (0.6 s). Its figures still read every comment of the last 12 weeks on each view (0.7 to 0.8 s); whole days are now kept once read (migration 028, `comment_days`), each under its day’s mark, which triggers move on every write that changes the day, so a view reads today’s comments only. Gathering a week’s waits copied the week’s list for each question (most of the owner’s remaining 0.5 s); they are gathered in place, and the dashboard’s counts of posts no longer read a list of them (the author’s counts sorted her 25,000 posts; migration 027). A week’s median wait is then taken from a typed array of its days’ waits (the owner’s twelve weeks hold over 100,000 questions). The owner’s dashboard went from 804 ms to 27 ms p50, the author’s from 675 ms to 36 ms (her figures for today probe the post of each of today’s comments: a post that just took thousands of comments, as the posting run’s did, slows them until vacuumed).',
    '- Every `hearth serve` renders, at start, each thread whose kept HTML is empty, as the seed (like an import) leaves them: 3.3 million threads at about 1,400 a second, some 40 minutes of both cores, done again by every process that starts. The first full run measured its servers while they did this (uncached page 18 ms CPU a request, cached pages 0 requests/s). `HEARTH_RENDER_THREADS=0` now leaves each thread to the first page that shows it; this benchmark runs with it, and the seed renders the measured posts’ threads with Hearth’s keeper.',
    '- A post page’s “read next” counted the tags it shares with every post of each of its tags: 3 s a page at 100,000 posts in 8 tags (the uncached page cost 35 ms of CPU a request, its database queries queued behind it). It now weighs each tag’s newest 200 posts: 2 ms a tag.',
    '- Federation records, once per post, that a post published before it began is not announced; each starting process claimed all 100,000 seeded posts, one statement at a time. The seed now writes those rows as a running site would have them.',
    '- Federation’s sweep looked for posts to announce every 2 s in every process with two reads over all posts (0.34 s and 0.13 s at 100,000 posts): four processes spent about half of this machine’s 2 cores on it, and the cached figure at 10 million comments was a third of the small site’s. The change feed now wakes it when a post changes, and it runs once a minute besides.',
    '- Each inbox entry ranked every one of the author’s posts that shared a word with the reader (190 ms each, 20 entries a page); only the newest 200 matching posts are ranked now (1 ms to 10 ms each). Naming posts by title then made each of 5,000 titles plain for each entry; the titles are made plain once a page, and a title is looked for only when the reader wrote all its words (the inbox page from 423 ms to 121 ms p50). An entry’s thread, editors, search language and suggestions were then read one entry after another (71 round trips a page); a page’s threads are now read at once and its suggestions side by side, and an author’s titles are kept between pages until a post changes. Hearth’s PostgreSQL connections now start no parallel workers: starting them took 6 ms of the page’s 9 ms list read (121 ms to 40 ms p50).',
    '- Search for words nearly every post holds ranked and counted all 100,000 posts (0.19 to 0.24 s). It now ranks the newest 1,000 matches, walking posts by date (migration 029), and says “more than 1,000 posts found” (6 ms).',
    '- The outbox worker’s claim (`id in (select … for update skip locked)`) was run again by PostgreSQL for every row it compared, each run skipping the rows the last one locked: a claim took a thousand rows and 250 ms under load. It is a materialized WITH part now, read off an index in the order taken (migration 025). With that and the benchmark’s comments all new (its script resent earlier ones), four processes accept 425 comments/s at 10 million comments, against 89 before.',
    '- The moderation queue counted an author’s held comments (up to 1,000) by walking the held ones newest first and reading each from the table for its post: 4,450 scattered reads, 15 to 31 ms of the page. Migration 030 puts the post in the index of a status’s comments by time, so the count walks the index alone (6.4 ms); the held tab went from 31 ms p50 (66 ms max) to 19 to 21 ms (35 to 40 ms max). The workspace’s navigation count of waiting threads was read before each page, and the inbox’s and the queue’s own counts before their lists; each is now read beside the rest (the inbox, rounds after the first: 61 to 54 ms before, 47 to 33 ms after). The inbox’s slowest rounds are its first few (up to 69 ms at 10 million comments); its 20 entries’ suggestions, each a ranked read of the author’s newest 200 matching posts, are most of its time.',
    '',
    `## Plans at ${large.label}`,
    '',
    'Every read of comments, threads or posts the pages above sent, explained with EXPLAIN (ANALYZE, BUFFERS) and the values they were sent with.',
    '',
    ...plans,
  ].join('\n');
}

need('wrk');
need('nginx');
need('psql');
const began = performance.now();
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const results: Measured[] = [];
const label = (c: number) => `${c >= 1e6 ? `${n(c / 1e6, c % 1e6 === 0 ? 0 : 1)} million` : n(c)} comments`;
if (SMALL_COMMENTS > 0) results.push(await measureScale(label(SMALL.comments), SMALL, process.env.SCALE_REUSE_SMALL));
results.push(await measureScale(label(LARGE.comments), LARGE, process.env.SCALE_REUSE_LARGE));
const text = report(results, (performance.now() - began) / 1000);
const out = path.join(root, 'bench/SCALE.md');
fs.writeFileSync(out, text);
// The repository's formatter lays out the tables, as it checks every Markdown file.
spawnSync(path.join(root, 'node_modules/.bin/biome'), ['format', '--write', out], { stdio: 'ignore' });
console.log(text.split('## Plans')[0]);
