// The scale benchmark's in-process half: the workspace pages an author meets (inbox, moderation
// queue, dashboard) and search, requested through Hearth's own app in this process, so each time is
// the server's time for the page and nothing of a network; every SQL statement they send is
// recorded (pg.Client.prototype.query, as bench/profile-writes.ts does) and explained afterwards
// with EXPLAIN (ANALYZE, BUFFERS) and the same values. Also checks that the seeded pages show the
// seeded comments.
import pg from 'pg';
import pino from 'pino';
import { connect } from '../src/db/connect.js';
import { compose } from '../src/main.js';
import type { ScaleSite } from './scale-seed.js';

export interface PageTiming {
  name: string;
  target: number;
  times: number[];
  queries: number;
}

export interface Plan {
  page: string;
  sql: string;
  ms: number;
  plan: string;
}

interface Recorded {
  text: string;
  values: unknown[];
}

let recording: Recorded[] | null = null;
// Every statement goes through Client.query, pooled or not.
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [first, second] = args;
  if (recording) {
    const config = typeof first === 'string' ? { text: first, values: second } : (first as { text?: string; values?: unknown[] });
    if (config.text) recording.push({ text: config.text, values: Array.isArray(config.values) ? config.values : [] });
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};
export const p50 = (t: PageTiming) => median(t.times);
export const max = (t: PageTiming) => Math.max(...t.times);

/** The statements worth a plan: reads of the bulk tables (sessions, settings and the like are left out). */
const hot = (text: string) => /^\s*select/i.test(text) && /"?(comments|threads|posts)"?/.test(text);

export async function probeSite(
  url: string,
  dataDir: string,
  site: ScaleSite,
  rounds: number,
): Promise<{ timings: PageTiming[]; plans: Plan[] }> {
  const conn = await connect({ kind: 'postgres', url });
  const { app, services } = compose({ conn, baseUrl: 'http://127.0.0.1', dataDir, log: pino({ level: 'silent' }) });
  const signIn = async (who: { email: string; password: string }) => {
    const s = await services.auth.signIn({ ...who, ip: '127.0.0.1', userAgent: 'scale-bench' });
    return `hearth_session=${s.token}`;
  };
  const author = await signIn(site.author);
  const owner = await signIn(site.owner);
  const get = async (path: string, cookie?: string) => {
    const res = await app.request(path, { headers: cookie ? { cookie } : {} });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 300)}`);
    return body;
  };

  // The seeded conversation is what the post page shows.
  const { rows: shown } = await (conn.pool as pg.Pool).query(
    `select c.author_name, p.comment_count, p.public_thread_count,
       (select count(*) from comments x where x.post_id = p.id and x.status = 'published' and x.visibility = 'public') as counted
     from comments c join posts p on p.id = c.post_id
     where p.slug = $1 and c.status = 'published' and c.visibility = 'public' and c.parent_id is null
     order by c.created_at limit 1`,
    [site.probeSlug],
  );
  const first = shown[0];
  if (!first || Number(first.counted) !== Number(first.comment_count))
    throw new Error(`the probe post's counts disagree: ${JSON.stringify(first)}`);
  const page = await get(`/${site.probeSlug}/`);
  if (!page.includes(first.author_name)) throw new Error(`the probe post's page does not show ${first.author_name}`);

  const timings: PageTiming[] = [];
  const plans: Plan[] = [];
  const sent = new Map<string, Recorded & { page: string }>();
  /** Requests a page `rounds` times, following its "more" link to deeper pages, recording its SQL. */
  const time = async (name: string, target: number, first: string, cookie: string | undefined, more?: RegExp) => {
    await get(first, cookie); // a first request warms the process, as a site's would be
    const times: number[] = [];
    let path = first;
    let queries = 0;
    for (let i = 0; i < rounds; i++) {
      recording = [];
      const started = performance.now();
      const body = await get(path, cookie);
      times.push(performance.now() - started);
      queries = recording.length;
      for (const r of recording) if (hot(r.text) && !sent.has(r.text)) sent.set(r.text, { ...r, page: name });
      recording = null;
      const next = more ? more.exec(body)?.[1] : undefined;
      path = next ? next.replaceAll('&amp;', '&') : first;
    }
    timings.push({ name, target, times, queries });
  };
  await time('inbox of the author', 50, '/admin/inbox', author, /href="(\/admin\/inbox\?after=[^"]+)"/);
  await time(
    'moderation queue of the author (pending)',
    50,
    '/admin/comments',
    author,
    /href="(\/admin\/comments\?tab=pending&(?:amp;)?before=[^"]+)"/,
  );
  await time(
    'moderation queue of the author (all)',
    50,
    '/admin/comments?tab=all',
    author,
    /href="(\/admin\/comments\?tab=all&(?:amp;)?before=[^"]+)"/,
  );
  await time('dashboard of the author', 100, '/admin/', author);
  await time('dashboard of the owner', 100, '/admin/', owner);
  // Every seeded post holds these words: the most a search can match.
  await time('search, words in every post', 100, '/search?q=promises+together', undefined);
  await time("search, a title's words (one post has both)", 100, `/search?q=letter+${Math.floor(site.posts / 3)}`, undefined);
  await time('post page, uncached (probe post)', Number.NaN, `/${site.probeSlug}/`, undefined);

  // As Hearth's own connections run them (src/db/connect.ts): without JIT.
  const client = new pg.Client({ connectionString: url, options: '-c jit=off' });
  await client.connect();
  try {
    for (const s of sent.values()) {
      const started = performance.now();
      const { rows } = await client.query(`explain (analyze, buffers) ${s.text}`, s.values);
      plans.push({
        page: s.page,
        sql: s.text.replace(/\s+/g, ' '),
        ms: performance.now() - started,
        plan: rows.map((r) => r['QUERY PLAN']).join('\n'),
      });
    }
  } finally {
    await client.end();
  }
  await services.threadHtml.idle();
  await services.live.close();
  await conn.close();
  return { timings, plans };
}
