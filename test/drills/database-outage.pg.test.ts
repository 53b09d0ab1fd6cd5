// The PostgreSQL outage drill: two `hearth serve` processes on a cluster of the test's own take
// comments from several readers at once while the cluster is stopped and started twice. No
// process may exit; requests during the outage are told 503 with Retry-After; service comes back
// by itself; a comment taken by one process after recovery shows on the other's cached page and
// reaches a live stream opened there before the outages; and every comment a reader was told was
// received is in the database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { firstLiveComment, formFieldsOf, POST, postComment } from '../comment-client.js';
import { createPgCluster, type PgCluster } from '../pg-cluster.js';
import { hearth, type ServeProcess, startServe } from '../processes.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The form's minimum time on the page, and a little more. */
const TIME_ON_PAGE_MS = 3100;
const READERS = 6;

interface Outcome {
  status: number;
  id?: string;
}

/** Readers who each load the page, wait as a person would, and send a comment; until stopped. */
function commentLoad(bases: string[]) {
  const outcomes: Outcome[] = [];
  let running = true;
  const reader = async (n: number) => {
    for (let i = 0; running; i++) {
      const base = bases[(n + i) % bases.length] as string;
      try {
        const page = await fetch(`${base}${POST}`);
        if (page.status !== 200) {
          outcomes.push({ status: page.status });
          await sleep(200);
          continue;
        }
        const fields = formFieldsOf(await page.text());
        await sleep(TIME_ON_PAGE_MS);
        // Each reader from an address of her own (TRUST_PROXY), so the per-address limit is not what is tested.
        const res = await postComment(base, fields, `reader-${n}-${i}@example.com`, `Question ${i} from reader ${n}: does this survive?`, {
          'x-forwarded-for': `192.0.2.${n * 40 + (i % 40)}`,
        });
        const body = (await res.json().catch(() => ({}))) as { id?: string };
        outcomes.push({ status: res.status, ...(res.status === 201 && body.id ? { id: body.id } : {}) });
      } catch (err) {
        // A refused connection would mean the process is gone: counted, and the test fails on it.
        outcomes.push({ status: -1 });
        await sleep(200);
        if (running) assert.fail(`a request failed without an answer: ${(err as Error).message}`);
      }
    }
  };
  // Readers of the conversation through the API (never cached): queries in flight when it stops.
  const browser = async (n: number) => {
    while (running) {
      const base = bases[n % bases.length] as string;
      try {
        const res = await fetch(`${base}/api/v1/posts/${POST.slice(1, -1)}/comments`);
        await res.arrayBuffer();
        outcomes.push({ status: res.status });
      } catch (err) {
        outcomes.push({ status: -1 });
        if (running) assert.fail(`a request failed without an answer: ${(err as Error).message}`);
      }
    }
  };
  const readers = [...Array.from({ length: READERS }, (_, n) => reader(n)), browser(0), browser(1)];
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(readers);
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('PostgreSQL stopped and started under comment load', () => {
  let cluster: PgCluster;
  let one: ServeProcess;
  let two: ServeProcess;
  let token: string;
  let env: Record<string, string>;
  let dir: string;
  /** A reader's open page on the second process, from before the outages to after them. */
  let live: Awaited<ReturnType<typeof firstLiveComment>>;
  const liveAborter = new AbortController();

  before(async () => {
    cluster = await createPgCluster();
    await cluster.createDatabase('hearth');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-outage-'));
    env = { HEARTH_DATA: dir, DATABASE_URL: cluster.url('hearth'), TRUST_PROXY: '127.0.0.1' };
    one = await startServe(env);
    two = await startServe(env);
    const add = await hearth(['user', 'add', '--email', 'owner@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'], env);
    assert.equal(add.code, 0, add.stderr);
    token = (await hearth(['token', 'create', '--email', 'owner@example.com'], env)).stdout.trim();
    live = await firstLiveComment(two.base, liveAborter.signal);
    await live.ready;
  });

  after(async () => {
    liveAborter.abort();
    await one?.stop();
    await two?.stop();
    await cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps both processes alive, answers 503 while down, recovers by itself and loses nothing acknowledged', async (t) => {
    const load = commentLoad([one.base, two.base]);
    await sleep(TIME_ON_PAGE_MS + 1500);

    for (let round = 1; round <= 2; round++) {
      await cluster.stop();
      for (const server of [one, two]) {
        // The page cache was emptied when the change feed lost its connection: pages need the database.
        await until(`process ${server.base} answers 503`, async () => (await fetch(`${server.base}${POST}`)).status === 503, 5000);
        const page = await fetch(`${server.base}${POST}`);
        assert.equal(page.status, 503);
        assert.ok(Number(page.headers.get('retry-after')) > 0, 'a page says when to come back');
        assert.match(await page.text(), /try again/i);
        const api = await fetch(`${server.base}/api/v1/posts/${POST.slice(1, -1)}/comments`);
        assert.equal(api.status, 503);
        assert.ok(Number(api.headers.get('retry-after')) > 0);
        assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'unavailable');
        const health = await fetch(`${server.base}/healthz`);
        assert.equal(health.status, 503);
      }
      await sleep(2000);
      await cluster.start();
      for (const server of [one, two]) {
        await until(`process ${server.base} serves again`, async () => (await fetch(`${server.base}${POST}`)).status === 200);
      }
      await sleep(TIME_ON_PAGE_MS + 1000);
      assert.equal(one.child.exitCode, null, `round ${round}: the first process is alive\n${one.output()}`);
      assert.equal(two.child.exitCode, null, `round ${round}: the second process is alive\n${two.output()}`);
    }
    await load.stop();

    const statuses = new Map<number, number>();
    for (const o of load.outcomes) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1);
    const summary = JSON.stringify(Object.fromEntries(statuses));
    assert.ok(!statuses.has(500), `no request answered 500: ${summary}`);
    assert.ok(!statuses.has(-1), `every request was answered: ${summary}`);
    assert.ok((statuses.get(503) ?? 0) > 0, `requests during the outages were told 503: ${summary}`);
    const acknowledged = load.outcomes.flatMap((o) => (o.id ? [o.id] : []));
    assert.ok(acknowledged.length >= READERS * 2, `comments were taken before, between and after the outages: ${summary}`);

    t.diagnostic(`answers by status: ${summary}; comments acknowledged: ${acknowledged.length}`);
    const client = new pg.Client({ connectionString: cluster.url('hearth') });
    await client.connect();
    try {
      const found = await client.query<{ n: string }>('select count(*) as n from comments where id = any($1)', [acknowledged]);
      assert.equal(Number(found.rows[0]?.n), acknowledged.length, 'every acknowledged comment is in the database');
    } finally {
      await client.end();
    }
  });

  it('after recovery, a comment taken by one process shows at once on the other’s cached page', async () => {
    // The second process keeps the page again, its change feed listening anew.
    await fetch(`${two.base}${POST}`);
    await until(
      'the second process serves the page from its cache',
      async () => (await fetch(`${two.base}${POST}`)).headers.get('x-cache') === 'hit',
    );

    const page = await fetch(`${one.base}${POST}`);
    const fields = formFieldsOf(await page.text());
    await sleep(TIME_ON_PAGE_MS);
    const posted = await postComment(one.base, fields, 'after@example.com', 'Written after the database came back.', {
      'x-forwarded-for': '198.51.100.7',
    });
    assert.equal(posted.status, 201);
    const { id } = (await posted.json()) as { id: string };
    const approved = await fetch(`${one.base}/api/v1/admin/comments/${id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(approved.status, 200);
    await until(
      'the comment shows on the second process',
      async () => (await (await fetch(`${two.base}${POST}`)).text()).includes(`id="comment-${id}"`),
      5000,
    );
    assert.equal(await one.stop(), 0, 'the first process stops cleanly');
    assert.equal(await two.stop(), 0, 'the second process stops cleanly');
  });
});
