// A separate process that drains an outbox into an SMTP server, for the
// test that several processes share one outbox. Env: TEST_SMTP_URL, and TEST_SQLITE_FILE or
// TEST_PG_URL with TEST_PG_SCHEMA.
import pino from 'pino';
import { systemClock } from '../../clock.js';
import { connect } from '../../db/connect.js';
import { createSettingsService } from '../../settings/settings-service.js';
import { createMailTransport } from '../mailer.js';
import { createNotifyWorker } from '../notify.js';
import { countByStatus } from '../outbox-store.js';

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
  handled += await worker.drainOnce();
  const left = await countByStatus(conn.db, 'mail');
  if (!left.queued && !left.sending) break;
}
transport.close();
await conn.close();
process.stdout.write(`${handled}\n`);
