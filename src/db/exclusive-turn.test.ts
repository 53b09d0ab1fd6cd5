import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testConnection, testTarget } from '../../test/harness.js';
import { inExclusiveTurn } from './exclusive-turn.js';

describe('an exclusive turn (one IMAP poller across processes)', () => {
  it(
    testTarget === 'postgres'
      ? 'skips the turn of a second caller while the first one runs, and gives it back after'
      : 'runs every turn on SQLite, which serves one process',
    async () => {
      const conn = await testConnection();
      try {
        let release!: () => void;
        const holding = new Promise<void>((resolve) => {
          release = resolve;
        });
        let started!: () => void;
        const isRunning = new Promise<void>((resolve) => {
          started = resolve;
        });
        const first = inExclusiveTurn(conn.db, 'hearth:test-turn', async () => {
          started();
          await holding;
        });
        await isRunning;
        let ran = false;
        const second = await inExclusiveTurn(conn.db, 'hearth:test-turn', async () => {
          ran = true;
        });
        release();
        assert.equal(await first, true);
        if (testTarget === 'postgres') {
          assert.equal(second, false);
          assert.equal(ran, false);
          assert.equal(await inExclusiveTurn(conn.db, 'hearth:test-turn', async () => {}), true, 'free again once the first ended');
        } else {
          assert.equal(second, true);
          assert.equal(ran, true);
        }
      } finally {
        await conn.close();
      }
    },
  );
});
