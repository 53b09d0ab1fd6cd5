// A separate process that drains an outbox into an SMTP server, for the
// test that several processes share one outbox. Env: TEST_SMTP_URL, and TEST_SQLITE_FILE or
// TEST_PG_URL with TEST_PG_SCHEMA.
import pino from 'pino';
import { systemClock } from '../../src/clock.js';
import { connect } from '../../src/db/connect.js';
import { createMailTransport } from '../../src/notify/mailer.js';
import { createNotifyWorker } from '../../src/notify/notify.js';
import { countByStatus } from '../../src/notify/outbox-store.js';
import { createSettingsService } from '../../src/settings/settings-service.js';

const conn = await connect(
  process.env.TEST_SQLITE_FILE
    ? { kind: 'sqlite', file: process.env.TEST_SQLITE_FILE }
    : { kind: 'postgres', url: String(process.env.TEST_PG_URL), searchPath: String(process.env.TEST_PG_SCHEMA), poolSize: 2 },
);
const transport = createMailTransport({ smtpUrl: String(process.env.TEST_SMTP_URL), mailDir: '/nonexistent' });
const worker = createNotifyWorker({
  db: conn.db,
  clock: systemClock,
  log: pino({ level: 'silent' }),
  settings: createSettingsService({ db: conn.db, clock: systemClock, configuredSecret: 'test-secret-test-secret-test-secret-0123' }),
  baseUrl: 'http://hearth.test',
  from: 'Hearth <hearth@hearth.test>',
  transport,
  batchSize: 10,
});
let handled = 0;
for (;;) {
  const took = await worker.drainOnce();
  handled += took;
  const left = await countByStatus(conn.db, 'mail');
  if (!left.queued && !left.sending) break;
  // What is left is the other process's, or waits for its retry: look again shortly, not at once.
  if (took === 0) await new Promise((resolve) => setTimeout(resolve, 50));
}
transport.close();
await conn.close();
process.stdout.write(`${handled}\n`);
