// Drill: the mail server is down for two hours. Mail queued meanwhile waits in the outbox, tried
// again by the backoff but never dropped or parked; when the server answers again, each message
// is delivered exactly once. The hours are the test clock's; the server is real (a TCP door in front
// of it is closed, so connections are refused as with a stopped server) and so is the outbox.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BACKOFF } from '../../src/notify/backoff.js';
import { enqueueMail } from '../../src/notify/mail-payloads.js';
import { countByStatus } from '../../src/notify/outbox-store.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../harness.js';
import { testWorker } from '../kits/notify.js';
import { startTestSmtp, type TestSmtp } from '../kits/smtp.js';
import { freePort } from '../processes.js';

const MESSAGES = 6;
const MINUTE = 60_000;

/** A port in front of the SMTP server that can be shut (connections refused) and opened again. */
function door(port: number, to: number) {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  return {
    async open() {
      server = net.createServer((socket) => {
        const upstream = net.connect(to, '127.0.0.1');
        sockets.add(socket).add(upstream);
        socket.pipe(upstream).pipe(socket);
        const end = () => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    },
    async shut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
}

describe('drill: SMTP down for two hours', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let gate: ReturnType<typeof door>;
  let port: number;

  before(async () => {
    t = await testApp();
    smtp = await startTestSmtp();
    port = await freePort();
    gate = door(port, smtp.port);
  });
  after(async () => {
    await gate.shut();
    await smtp.close();
    await t.close();
  });

  it('holds every message through the outage, then delivers each exactly once', async () => {
    const worker = testWorker(t, { smtpUrl: `smtp://127.0.0.1:${port}` });
    for (let i = 0; i < MESSAGES; i++) {
      await enqueueMail(
        t.conn.db,
        { type: 'password-reset', to: `r${i}@example.org`, name: `Reader ${i}`, link: `${TEST_BASE_URL}/admin/reset?token=t${i}` },
        `outage-${i}`,
        t.clock.now(),
      );
    }
    // Two hours of the server refusing connections (past the 8 attempts after which a message the
    // server refuses is parked), the worker looking every minute.
    for (let minute = 0; minute < 120; minute++) {
      await worker.drainUntilIdle();
      t.clock.advance(MINUTE);
    }
    const held = await t.conn.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('kind', '=', 'mail').execute();
    assert.equal(held.length, MESSAGES);
    for (const row of held) {
      assert.equal(row.status, 'queued', 'held, not parked or dropped');
      assert.ok(row.attempts >= 5, `tried again through the hour (${row.attempts} attempts)`);
      assert.match(row.last_error ?? '', /ECONNREFUSED|connect/i);
    }
    assert.equal(smtp.messages.length, 0);

    await gate.open();
    // The longest wait the backoff gives, and a few more looks: nothing goes twice.
    for (let look = 0; look < 5; look++) {
      t.clock.advance(DEFAULT_BACKOFF.capMs);
      await worker.drainUntilIdle();
    }
    assert.deepEqual(await countByStatus(t.conn.db, 'mail'), { sent: MESSAGES });
    assert.equal(smtp.messages.length, MESSAGES, 'each message delivered once');
    const ids = new Set(smtp.messages.map((m) => m.messageId));
    assert.equal(ids.size, MESSAGES, 'no message twice');
    assert.deepEqual(
      smtp.messages.map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort(),
      Array.from({ length: MESSAGES }, (_, i) => `r${i}@example.org`).sort(),
    );
  });
});
