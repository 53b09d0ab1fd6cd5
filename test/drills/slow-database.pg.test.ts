// Drill: PostgreSQL turns slow (another session holds a lock on the comments for as long as the
// drill wants) while hundreds of readers ask for a conversation at once. Each statement is
// cancelled at the statement timeout and its request told 503; requests beyond what one process
// works on at once are told 503 straight away instead of piling up; memory stays flat; no request
// goes unanswered or gets a 500; once the lock is gone, the same requests are served again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { POST } from '../comment-client.js';
import { type FreshDatabase, freshDatabase, type ServeProcess, startServe } from '../processes.js';

const READERS = 400;
const MAX_IN_FLIGHT = 16;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

describe('drill: a slow database under a crowd of readers', () => {
  let site: FreshDatabase;
  let serve: ServeProcess;
  const api = () => `${serve.base}/api/v1/posts/${POST.slice(1, -1)}/comments`;

  before(async () => {
    site = await freshDatabase();
    serve = await startServe({
      ...site.env,
      HEARTH_STATEMENT_TIMEOUT_MS: '1000',
      HEARTH_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      HEARTH_PAGE_CACHE: '0',
      HEARTH_BACKUP_HOURS: '0',
    });
  });
  after(async () => {
    await serve?.stop();
    await site?.drop();
  });

  it('sheds load with 503 rather than piling up, stays small, and serves again when the database is quick', async (t) => {
    assert.equal((await fetch(api())).status, 200);
    const before = rssMb(serve.child.pid as number);
    const locker = new pg.Client({ connectionString: site.env.DATABASE_URL });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table comments in access exclusive mode');
    let statuses: Map<string, number>;
    let peak = before;
    try {
      const watch = setInterval(() => {
        peak = Math.max(peak, rssMb(serve.child.pid as number));
      }, 50);
      const answers = await Promise.all(
        Array.from({ length: READERS }, async () => {
          const res = await fetch(api());
          const body = await res.text();
          const kind = res.headers.get('content-type')?.includes('json')
            ? ((JSON.parse(body) as { error?: { code: string } }).error?.code ?? 'ok')
            : 'shed';
          return { status: res.status, kind, retryAfter: res.headers.get('retry-after') };
        }),
      );
      clearInterval(watch);
      statuses = new Map();
      for (const a of answers) statuses.set(`${a.status} ${a.kind}`, (statuses.get(`${a.status} ${a.kind}`) ?? 0) + 1);
      const summary = JSON.stringify(Object.fromEntries(statuses));
      assert.ok(
        answers.every((a) => a.status === 503 && Number(a.retryAfter) > 0),
        `every request was told 503 with Retry-After while the comments were locked: ${summary}`,
      );
      assert.ok((statuses.get('503 shed') ?? 0) > 0, `requests beyond ${MAX_IN_FLIGHT} at once were shed: ${summary}`);
      assert.ok((statuses.get('503 unavailable') ?? 0) > 0, `requests that reached the database were cancelled at the timeout: ${summary}`);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    assert.ok(peak - before < 150, `memory stayed flat (${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at most)`);
    assert.equal((await fetch(api())).status, 200, 'served again once the database is quick');
    assert.equal(serve.child.exitCode, null);
    t.diagnostic(
      `${READERS} readers at once: ${JSON.stringify(Object.fromEntries(statuses))}; RSS ${before.toFixed(0)} -> peak ${peak.toFixed(0)} MB`,
    );
  });
});
