// Two `hearth serve` processes on one database behave as one site: a comment approved through one
// shows at once on the other's (cached) page, and on PostgreSQL reaches its live stream (LISTEN/
// NOTIFY); rate limits are shared. On SQLite (one file) the cache learns through data_version;
// live streams there reach the pages of the process that took the comment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstLiveComment, formFields, POST, postComment } from './comment-client.js';
import { testTarget } from './harness.js';
import { type FreshDatabase, freshDatabase, hearth, type ServeProcess, startServe } from './processes.js';

describe('two processes on one database', () => {
  let db: FreshDatabase;
  let one: ServeProcess;
  let two: ServeProcess;
  let token: string;

  before(async () => {
    db = await freshDatabase();
    // The first start creates the demo site; the second finds it there.
    one = await startServe(db.env);
    two = await startServe(db.env);
    const add = await hearth(
      ['user', 'add', '--email', 'owner@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'],
      db.env,
    );
    assert.equal(add.code, 0, add.stderr);
    token = (await hearth(['token', 'create', '--email', 'owner@example.com'], db.env)).stdout.trim();
  });
  after(async () => {
    assert.equal(await one?.stop(), 0);
    assert.equal(await two?.stop(), 0);
    await db?.drop();
  });

  it('shows a comment approved through one process at once on the other’s cached page (and live stream on PostgreSQL)', async () => {
    // The second process has the page in its cache.
    await fetch(`${two.base}${POST}`);
    const cached = await fetch(`${two.base}${POST}`);
    assert.equal(cached.headers.get('x-cache'), 'hit');
    const aborter = new AbortController();
    // On SQLite a second process is not a supported way to serve a site; its live news stays local.
    const live = await firstLiveComment(testTarget === 'postgres' ? two.base : one.base, aborter.signal);
    await live.ready;

    // A first-time reader writes through the first process and is held; the owner approves her there.
    const fields = await formFields(one.base);
    await new Promise((resolve) => setTimeout(resolve, 3100)); // the form's minimum time on the page
    const posted = await postComment(one.base, fields, 'lena@example.com', 'Does this reach the other process?');
    assert.equal(posted.status, 201);
    const { id, status } = await posted.json();
    assert.equal(status, 'pending');
    const approved = await fetch(`${one.base}/api/v1/admin/comments/${id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(approved.status, 200);

    assert.equal(await live.comment, id, 'the live stream hears of it');
    aborter.abort();
    const fresh = await fetch(`${two.base}${POST}`);
    assert.notEqual(fresh.headers.get('x-cache'), 'hit');
    assert.match(await fresh.text(), new RegExp(`id="comment-${id}"`));
  });

  it('counts one reader’s comments against one limit, whichever process receives them', async () => {
    // Each comment from its own page (a form's token waits its minimum time again after each use).
    const forms = await Promise.all(Array.from({ length: 11 }, (_, i) => formFields(one.base, `?utm_source=tab-${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 3100));
    const statuses: number[] = [];
    // The per-email limit is 10 in 10 minutes: alternate processes and expect the 11th to be refused.
    for (let i = 0; i < 11; i++) {
      const base = i % 2 === 0 ? one.base : two.base;
      const res = await postComment(base, { ...forms[i] }, 'busy@example.com', `Comment number ${i} from a busy reader.`);
      statuses.push(res.status);
      if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) > 0);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(201));
    assert.equal(statuses[10], 429);
  });
});
