import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { testWorker } from '../../test/kits/notify.js';
import { startTestSmtp } from '../../test/kits/smtp.js';
import { countByStatus } from '../notify/outbox-store.js';

describe('the workspace Email page', () => {
  let t: TestApp;
  let owner: Browser;
  before(async () => {
    t = await testApp();
    const olive = await makeStaff(t, 'owner', 'Olive Owner');
    owner = new Browser(t);
    await owner.signIn(olive.email);
  });
  after(() => t.close());

  it('shows a message that could not be delivered and sends it again at the press of a button', async () => {
    await t.services.notify.mail.sendPasswordReset({ to: 'lost@example.com', name: 'Lost', link: 'http://hearth.test/admin/reset/x' });
    // The server refuses the recipient: one try, and the message is parked. (A server that cannot
    // be reached at all parks nothing: the outbox waits for it, src/notify/worker.ts.)
    const smtp = await startTestSmtp();
    smtp.refuseRecipients(1);
    try {
      await testWorker(t, { smtpUrl: smtp.url, maxAttempts: 1 }).drainUntilIdle();
    } finally {
      await smtp.close();
    }
    assert.equal((await countByStatus(t.conn.db, 'mail')).parked, 1);

    const page = await owner.get('/admin/mail');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /lost@example\.com/);
    assert.match(html, /Mailbox temporarily unavailable/);
    const action = /action="(\/admin\/mail\/outbox\/[0-9a-f-]{36}\/retry)"/.exec(html)?.[1];
    assert.ok(action, 'a Send again button');
    const retried = await owner.post(action, {});
    assert.equal(retried.status, 303);
    assert.equal(retried.headers.get('location'), '/admin/mail?done=retried');
    const counts = await countByStatus(t.conn.db, 'mail');
    assert.equal(counts.parked ?? 0, 0);
    assert.equal(counts.queued, 1);
    assert.equal((await owner.post(action.replace(/[0-9a-f]{8}-/, '00000000-'), {})).status, 404);
  });

  it('lists the messages written as files while no SMTP server is set, and shows one as text', async () => {
    await t.services.notify.mail.sendPasswordReset({ to: 'filed@example.com', name: 'Filed', link: 'http://hearth.test/admin/reset/y' });
    await testWorker(t).drainUntilIdle();
    const html = await (await owner.get('/admin/mail')).text();
    assert.match(html, /filed@example\.com/);
    const href = /href="(\/admin\/mail\/files\/[^"]+\.eml)"/.exec(html)?.[1];
    assert.ok(href);
    const raw = await owner.get(href);
    assert.equal(raw.status, 200);
    assert.match(raw.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await raw.text(), /^To: .*filed@example\.com/m);
    assert.equal((await owner.get('/admin/mail/files/..%2Fhearth.db')).status, 404);
  });

  it('is the owner’s alone', async () => {
    const ada = await makeStaff(t, 'author', 'Ada Author');
    const asAda = new Browser(t);
    await asAda.signIn(ada.email);
    assert.equal((await asAda.get('/admin/mail')).status, 403);
    assert.doesNotMatch(await (await asAda.get('/admin/')).text(), /href="\/admin\/mail"/);
    assert.match(await (await owner.get('/admin/')).text(), /href="\/admin\/mail"/);
  });
});
