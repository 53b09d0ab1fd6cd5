// Drill: `hearth import` is stopped by SIGTERM half-way through a large WordPress export. The
// import is one transaction, so the database holds nothing of it afterwards (and, on SQLite,
// passes the integrity check); the same command run again imports the whole file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/db/connect.js';
import { testTarget } from '../harness.js';
import { comment, wxr, wxrItem } from '../kits/importers.js';
import { BIN, type FreshDatabase, freshDatabase, hearth } from '../processes.js';

const POSTS = 600;
const COMMENTS_PER_POST = 12;

/** How far the process has read the file: the position of its descriptor open on it, from /proc. */
function readPosition(pid: number, file: string): number | undefined {
  try {
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) !== file) continue;
      const pos = /pos:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
      return pos === undefined ? undefined : Number(pos);
    }
  } catch {
    // the process ended or the descriptor closed between the two reads
  }
  return undefined;
}

describe(`drill: SIGTERM during an import (${testTarget})`, () => {
  let site: FreshDatabase;
  let file: string;
  let size: number;

  before(async () => {
    site = await freshDatabase();
    assert.equal((await hearth(['migrate'], { ...site.env, HEARTH_DEMO: '0' })).code, 0);
    file = path.join(site.dir, 'big.xml');
    const items: string[] = [];
    for (let p = 1; p <= POSTS; p++) {
      const comments = Array.from({ length: COMMENTS_PER_POST }, (_, i) =>
        comment(
          p * 100 + i,
          i > 0 ? p * 100 + i - 1 : 0,
          `reader${i}@example.com`,
          0,
          '1',
          `Comment ${i} on post ${p}. ${'Some words. '.repeat(40)}`,
        ),
      );
      items.push(wxrItem(p, `Post number ${p}`, comments));
    }
    fs.writeFileSync(file, wxr(items.join('\n')));
    size = fs.statSync(file).size;
  });
  after(() => site?.drop());

  const counts = async () => {
    const conn = site.env.DATABASE_URL
      ? await connect({ kind: 'postgres', url: site.env.DATABASE_URL, poolSize: 1 })
      : await connect({ kind: 'sqlite', file: path.join(site.dir, 'hearth.db') });
    try {
      const n = async (table: 'posts' | 'comments' | 'users') =>
        Number(
          (
            await conn.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const integrity = conn.sqlite ? (conn.sqlite.pragma('integrity_check', { simple: true }) as string) : 'ok';
      return { posts: await n('posts'), comments: await n('comments'), users: await n('users'), integrity };
    } finally {
      await conn.close();
    }
  };

  it('leaves nothing half-written, and the import run again takes the whole file', async (t) => {
    const child = spawn(process.execPath, [BIN, 'import', 'wordpress', file], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', HEARTH_DEMO: '0', ...site.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Stopped once it has read a third of the file, well inside its transaction.
    let at: number | undefined;
    for (;;) {
      at = readPosition(child.pid as number, file);
      if (at !== undefined && at > size / 3) break;
      assert.equal(child.exitCode, null, `the import ended before it could be stopped: ${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGTERM');
    const end = await exited;
    assert.ok(end.signal === 'SIGTERM' || (end.code !== null && end.code !== 0), `the import stopped: ${JSON.stringify(end)} ${stderr}`);

    const afterStop = await counts();
    assert.deepEqual(afterStop, { posts: 0, comments: 0, users: 0, integrity: 'ok' }, 'nothing of the stopped import is there');

    const again = await hearth(['import', 'wordpress', file], { ...site.env, HEARTH_DEMO: '0' });
    assert.equal(again.code, 0, again.stderr);
    const whole = await counts();
    assert.equal(whole.posts, POSTS);
    assert.equal(whole.comments, POSTS * COMMENTS_PER_POST);
    assert.equal(whole.integrity, 'ok');
    t.diagnostic(`stopped at ${at} of ${size} bytes; the second run imported ${whole.posts} posts and ${whole.comments} comments`);
  });
});
