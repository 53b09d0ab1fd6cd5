// SQLite transactions across processes: every transaction Hearth opens writes, most after reading
// first. Begun as a reader, one that another process wrote under since its first read would fail
// at its first write (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out: a staff reply sent
// while `hearth backup` recorded itself answered 503 in the backup drill).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { connect } from './connect.js';

describe('SQLite transactions beside another process', () => {
  it('begins as the writer: another process writing meanwhile waits its turn instead of failing this one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-tx-'));
    const conn = await connect({ kind: 'sqlite', file: path.join(dir, 'hearth.db') });
    const other = new SQLite(path.join(dir, 'hearth.db'));
    try {
      await sql`create table notes (n integer)`.execute(conn.db);
      other.pragma('busy_timeout = 0');
      let otherWrite = 'wrote';
      await conn.db.transaction().execute(async (trx) => {
        await sql`select count(*) from notes`.execute(trx);
        try {
          other.prepare('insert into notes values (1)').run();
        } catch (err) {
          otherWrite = (err as { code?: string }).code ?? String(err);
        }
        await sql`insert into notes values (2)`.execute(trx);
      });
      assert.equal(otherWrite, 'SQLITE_BUSY', 'the other process waits while the transaction is open');
      other.prepare('insert into notes values (3)').run();
      const { rows } = await sql<{ n: number }>`select n from notes order by n`.execute(conn.db);
      assert.deepEqual(
        rows.map((r) => r.n),
        [2, 3],
      );
    } finally {
      other.close();
      await conn.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
