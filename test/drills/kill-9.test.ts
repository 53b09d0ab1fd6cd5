// Drill: `hearth serve` is killed with SIGKILL while staff replies pour in. Every reply it
// acknowledged (201) is in the database when it starts again, and the restarted server takes
// replies at once.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/db/connect.js';
import { POST } from '../comment-client.js';
import { testTarget } from '../harness.js';
import { type FreshDatabase, freshDatabase, hearth, type ServeProcess, startServe } from '../processes.js';

const WRITERS = 4;

describe(`drill: kill -9 under write load (${testTarget})`, () => {
  let site: FreshDatabase;
  let serve: ServeProcess;
  let env: Record<string, string>;
  let token: string;

  before(async () => {
    site = await freshDatabase();
    env = { ...site.env, HEARTH_BACKUP_HOURS: '0' };
    serve = await startServe(env);
    assert.equal(
      (await hearth(['user', 'add', '--email', 'o@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'], env)).code,
      0,
    );
    token = (await hearth(['token', 'create', '--email', 'o@example.com'], env)).stdout.trim();
  });
  after(async () => {
    await serve?.stop();
    await site?.drop();
  });

  it('finds every acknowledged reply after the restart', async (t) => {
    const list = (await (await fetch(`${serve.base}/api/v1/posts/${POST.slice(1, -1)}/comments`)).json()) as { items: { id: string }[] };
    const first = list.items[0]?.id as string;
    const acknowledged: string[] = [];
    let refused = 0;
    const writer = async (n: number) => {
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`${serve.base}/api/v1/admin/comments/${first}/reply`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ markdown: `Reply ${i} from writer ${n}.` }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          refused++; // the process is gone: this writer is done
          return;
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(n));
    while (acknowledged.length < 100) await new Promise((r) => setTimeout(r, 10));
    serve.child.kill('SIGKILL');
    await serve.exit;
    await Promise.all(writers);
    assert.equal(refused, WRITERS);

    serve = await startServe(env);
    const conn = env.DATABASE_URL
      ? await connect({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 1 })
      : await connect({ kind: 'sqlite', file: path.join(site.dir, 'hearth.db') });
    try {
      const found = await conn.db.selectFrom('comments').select('id').where('id', 'in', acknowledged).execute();
      assert.equal(found.length, acknowledged.length, 'every acknowledged reply is there');
      if (conn.sqlite) assert.equal(conn.sqlite.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      await conn.close();
    }
    const after = await fetch(`${serve.base}/api/v1/admin/comments/${first}/reply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ markdown: 'After the restart.' }),
    });
    assert.equal(after.status, 201);
    t.diagnostic(`${acknowledged.length} of ${acknowledged.length} acknowledged replies found after kill -9`);
  });
});
