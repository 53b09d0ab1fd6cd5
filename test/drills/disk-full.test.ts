// Drill: the disk under SQLite fills up while the site takes comments. The data folder is a small
// tmpfs of the test's own (mounted for the test; the drill is skipped, saying why, where mounting
// is not allowed). While the disk is full, writes are told 503 with Retry-After (never 500) and
// reads still work; the process stays up; when space returns, writes succeed again without a
// restart; afterwards the database passes SQLite's integrity check and holds every comment the
// site acknowledged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { POST } from '../comment-client.js';
import { testTarget } from '../harness.js';
import { hearth, type ServeProcess, startServe } from '../processes.js';

function tryMount(dir: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})`;
  }
}

/** Writes a file until the disk refuses: ENOSPC. */
function fillDisk(file: string): number {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (;;) written += fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-diskfull-'));
const cannotMount = testTarget === 'sqlite' ? tryMount(mountPoint, '12m') : 'the disk-full drill is SQLite’s';

describe('drill: the disk fills up under SQLite', { skip: cannotMount }, () => {
  let serve: ServeProcess;
  let env: Record<string, string>;
  let token: string;
  let first: string;

  before(async () => {
    env = { HEARTH_DATA: path.join(mountPoint, 'data'), HEARTH_BACKUP_HOURS: '0' };
    serve = await startServe(env);
    assert.equal(
      (await hearth(['user', 'add', '--email', 'o@example.com', '--name', 'Olive', '--role', 'owner', '--no-password'], env)).code,
      0,
    );
    token = (await hearth(['token', 'create', '--email', 'o@example.com'], env)).stdout.trim();
    const list = (await (await fetch(`${serve.base}/api/v1/posts/${POST.slice(1, -1)}/comments`)).json()) as { items: { id: string }[] };
    first = list.items[0]?.id as string;
  });

  after(async () => {
    await serve?.stop();
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      // not mounted
    }
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  const reply = (text: string) =>
    fetch(`${serve.base}/api/v1/admin/comments/${first}/reply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ markdown: text }),
    });

  it('answers writes 503 while the disk is full, keeps reads, recovers when space returns, and corrupts nothing', async (t) => {
    const acknowledged: string[] = [];
    const take = async (text: string) => {
      const res = await reply(text);
      if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
      return res;
    };
    for (let i = 0; i < 5; i++) assert.equal((await take(`Before the disk filled, reply ${i}.`)).status, 201);

    const filler = path.join(mountPoint, 'filler');
    fillDisk(filler);
    const statuses = new Map<number, number>();
    let refused: Response | undefined;
    // Long replies: the WAL needs new pages soon, and the disk has none to give.
    for (let i = 0; i < 400 && !refused; i++) {
      const res = await take(`While the disk is full, reply ${i}. ${'Words that need room. '.repeat(200)}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status !== 201) refused = res;
    }
    assert.ok(refused, `a write met the full disk: ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.equal(refused.status, 503, `told to come back, not that Hearth broke\n${serve.output().slice(-2000)}`);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'with Retry-After');
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unavailable');
    const again = await reply('Still full?');
    assert.equal(again.status, 503);
    const page = await fetch(`${serve.base}${POST}`);
    assert.equal(page.status, 200, 'readers still read');
    const form = await fetch(`${serve.base}${POST}`, { headers: { accept: 'text/html' } });
    assert.equal(form.status, 200);
    assert.equal(serve.child.exitCode, null, 'the process is up');

    fs.rmSync(filler);
    assert.equal((await take('After space came back.')).status, 201, 'writes work again without a restart');
    assert.equal(await serve.stop(), 0, 'stops cleanly');

    const db = new SQLite(path.join(env.HEARTH_DATA as string, 'hearth.db'));
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const found = db
        .prepare(`select count(*) as n from comments where id in (${acknowledged.map(() => '?').join(',')})`)
        .get(...acknowledged) as {
        n: number;
      };
      assert.equal(found.n, acknowledged.length, 'every acknowledged reply is there');
    } finally {
      db.close();
    }
    t.diagnostic(
      `answers while full: ${JSON.stringify(Object.fromEntries(statuses))}; ${acknowledged.length} replies acknowledged and found`,
    );
  });
});
