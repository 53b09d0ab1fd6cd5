import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { TEST_BASE_URL, testConnection, testTarget } from '../../test/harness.js';
import { startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import { loadConfig } from '../config.js';
import { type Connection, connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { enqueueMail } from './mail-payloads.js';
import { countByStatus } from './outbox-store.js';

const SCRIPT = path.join(import.meta.dirname, '../../test/kits/drain-process.ts');

/** The drain processes still running: ended by the suite's end whatever became of the test. */
const running = new Set<ChildProcess>();

function drain(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`drain process exited with ${code}`))));
  });
}

// On PostgreSQL the processes share the test's schema (FOR UPDATE SKIP LOCKED); on SQLite they
// share a database file (a single UPDATE ... RETURNING claims).
describe('several processes draining one outbox', () => {
  let conn: Connection;
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-drain-'));
    if (testTarget === 'postgres') {
      conn = await testConnection();
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(conn.db)).rows[0]?.s ?? '';
      env = { TEST_PG_URL: loadConfig().testDatabaseUrl, TEST_PG_SCHEMA: schema };
    } else {
      const file = path.join(dir, 'hearth.db');
      conn = await connect({ kind: 'sqlite', file });
      await migrate(conn.db);
      env = { TEST_SQLITE_FILE: file };
    }
    smtp = await startTestSmtp();
  });
  after(async () => {
    for (const child of running) child.kill('SIGKILL');
    await smtp.close();
    await conn.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two processes deliver 500 queued messages exactly once each', { timeout: 120_000 }, async () => {
    const now = Date.now();
    for (let i = 0; i < 500; i++) {
      await enqueueMail(
        conn.db,
        { type: 'password-reset', to: `p${i}@example.org`, name: 'P', link: `${TEST_BASE_URL}/r?${i}` },
        `bulk-${i}`,
        now,
      );
    }
    // Pooled SMTP connections (a URL option nodemailer reads) keep 500 messages quick.
    const both = { ...env, TEST_SMTP_URL: `${smtp.url}/?pool=true` };
    const [a, b] = await Promise.all([drain(both), drain(both)]);
    assert.ok(a > 0 && b > 0, `both processes took part (${a} and ${b})`);
    const ids = smtp.messages.map((m) => m.messageId);
    assert.equal(ids.length, 500);
    assert.equal(new Set(ids).size, 500);
    assert.deepEqual(await countByStatus(conn.db, 'mail'), { sent: 500 });
  });
});
