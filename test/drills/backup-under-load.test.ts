// A backup taken while the site takes comments restores to the same site: `hearth backup` runs
// beside a `hearth serve` whose staff keep replying through the API, and `hearth restore` into a
// new, empty database gives back every comment the backup holds, value for value, with the
// counts and the checksum it printed. The backup is a snapshot: what it holds is everything
// acknowledged before it began and nothing half-written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/db/connect.js';
import { POST } from '../comment-client.js';
import { testTarget } from '../harness.js';
import { type FreshDatabase, freshDatabase, hearth, type ServeProcess, startServe } from '../processes.js';

const WRITERS = 3;

async function openSite(env: Record<string, string>) {
  return env.DATABASE_URL
    ? connect({ kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 })
    : connect({ kind: 'sqlite', file: path.join(env.HEARTH_DATA as string, 'hearth.db') });
}

describe(`a backup taken under write load (${testTarget})`, () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let serve: ServeProcess;
  let token: string;

  before(async () => {
    source = await freshDatabase();
    target = await freshDatabase();
    serve = await startServe(source.env);
    const add = await hearth(
      ['user', 'add', '--email', 'owner@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'],
      source.env,
    );
    assert.equal(add.code, 0, add.stderr);
    token = (await hearth(['token', 'create', '--email', 'owner@example.com'], source.env)).stdout.trim();
  });
  after(async () => {
    await serve?.stop();
    await source?.drop();
    await target?.drop();
  });

  it('restores into an empty site with every comment it holds, identical, and the counts and checksum it printed', async (t) => {
    const list = (await (await fetch(`${serve.base}/api/v1/posts/${POST.slice(1, -1)}/comments`)).json()) as { items: { id: string }[] };
    const first = list.items[0]?.id as string;
    const acknowledged: { id: string; at: number }[] = [];
    let running = true;
    const failures: string[] = [];
    /** Waits until `done`, failing at once if a writer was refused. */
    const until = async (done: () => boolean) => {
      while (!done()) {
        assert.deepEqual(failures, [], `every reply was taken\n${serve.output().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const writer = async (n: number) => {
      for (let i = 0; running; i++) {
        const res = await fetch(`${serve.base}/api/v1/admin/comments/${first}/reply`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ markdown: `Reply ${i} from writer ${n}, sent while the backup runs.` }),
        });
        if (res.status !== 201) {
          failures.push(`reply answered ${res.status}: ${await res.text()}`);
          running = false;
          return;
        }
        acknowledged.push({ id: ((await res.json()) as { id: string }).id, at: Date.now() });
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(n));
    await until(() => acknowledged.length >= 20);

    const backupDir = path.join(source.dir, 'elsewhere');
    const started = Date.now();
    const taken = await hearth(['backup', '--to', backupDir], source.env);
    const ended = Date.now();
    assert.equal(taken.code, 0, taken.stderr);
    await until(() => acknowledged.filter((a) => a.at > ended).length >= 5);
    running = false;
    await Promise.all(writers);
    assert.deepEqual(failures, []);

    const folder = taken.stdout.trim();
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as {
      check: { counts: Record<string, number>; commentsChecksum: string };
    };
    assert.match(taken.stderr, new RegExp(`${manifest.check.counts.comments} comments \\(${manifest.check.commentsChecksum}\\)`));

    const restored = await hearth(['restore', folder], target.env);
    assert.equal(restored.code, 0, restored.stderr + restored.stdout);
    assert.match(
      restored.stdout,
      new RegExp(`comments\\tbackup ${manifest.check.counts.comments}\\trestored ${manifest.check.counts.comments}`),
    );
    assert.match(
      restored.stdout,
      new RegExp(`comments checksum\\tbackup ${manifest.check.commentsChecksum}\\trestored ${manifest.check.commentsChecksum}`),
    );

    const from = await openSite(source.env);
    const into = await openSite(target.env);
    try {
      const columns = [
        'id',
        'post_id',
        'parent_id',
        'root_id',
        'status',
        'visibility',
        'author_name',
        'author_email',
        'markdown',
        'html',
        'created_at',
      ] as const;
      const original = new Map((await from.db.selectFrom('comments').select(columns).execute()).map((c) => [c.id, c]));
      const copy = await into.db.selectFrom('comments').select(columns).execute();
      // Everything acknowledged before the backup began is in it; it was taken while writes went on.
      const copied = new Set(copy.map((c) => c.id));
      for (const a of acknowledged.filter((x) => x.at < started))
        assert.ok(copied.has(a.id), `reply ${a.id}, acknowledged before the backup, is in it`);
      assert.ok(
        acknowledged.filter((x) => x.at > ended).every((a) => !copied.has(a.id)),
        'replies sent after the backup are not in it',
      );
      assert.ok(copy.length < original.size, 'the site took comments after the backup');
      for (const c of copy)
        assert.deepEqual(
          { ...c, created_at: Number(c.created_at) },
          { ...original.get(c.id), created_at: Number(original.get(c.id)?.created_at) },
        );
      t.diagnostic(
        `${acknowledged.length} replies acknowledged, ${acknowledged.filter((a) => a.at >= started && a.at <= ended).length} while the backup ran (${ended - started} ms); backup holds ${copy.length} of ${original.size} comments`,
      );
    } finally {
      await from.close();
      await into.close();
    }
  });

  it('refuses to restore into a site that already has content, and changes nothing there', async () => {
    const folder = fs.readdirSync(path.join(source.dir, 'elsewhere')).map((n) => path.join(source.dir, 'elsewhere', n))[0] as string;
    const again = await hearth(['restore', folder], target.env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^hearth: this site is not empty .*restore into a new, empty database\n$/);
  });
});
