import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { ownerWithToken, testWorker } from '../../test/kits/notify.js';
import { header, recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { enqueueMail } from './mail-payloads.js';
import { createMailTransport } from './mailer.js';
import { mailDirOf } from './notify.js';
import { countByStatus } from './outbox-store.js';

async function queueResets(t: TestApp, count: number, prefix = 'r'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await enqueueMail(
      t.conn.db,
      { type: 'password-reset', to: `${prefix}${i}@example.org`, name: `Person ${i}`, link: `${TEST_BASE_URL}/admin/reset?token=t${i}` },
      `${prefix}-${i}`,
      t.clock.now(),
    );
  }
}

describe('email delivery through the outbox', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startTestSmtp();
  });
  after(() => smtp.close());
  beforeEach(async () => {
    t = await testApp();
    smtp.messages.length = 0;
  });
  afterEach(() => t.close());

  it('delivers a queued email over SMTP with a Message-ID made of the outbox id and the site host', async () => {
    await queueResets(t, 1);
    const row = await t.conn.db.selectFrom('outbox').selectAll().where('kind', '=', 'mail').executeTakeFirstOrThrow();
    await testWorker(t, { smtpUrl: smtp.url }).drainUntilIdle();
    assert.equal(smtp.messages.length, 1);
    const [mail] = smtp.messages;
    assert.ok(mail);
    assert.equal(mail.messageId, `<${row.id}@hearth.test>`);
    assert.equal(recipient(mail), 'r0@example.org');
    assert.match(mail.subject ?? '', /Set a new password/);
    assert.match(mail.text ?? '', /http:\/\/hearth\.test\/admin\/reset\?token=t0/);
    assert.match(String(mail.html), /href="http:\/\/hearth\.test\/admin\/reset\?token=t0"/);
    assert.equal(header(mail, 'List-Unsubscribe'), '', 'a requested email is not a list');
    assert.deepEqual(await countByStatus(t.conn.db, 'mail'), { sent: 1 });
  });

  it('sends the invitation and program sign-up emails other features queue, escaping what people typed', async () => {
    const { mail } = t.services.notify;
    await mail.sendInvitation({
      to: 'new@example.org',
      name: '<b>Noor</b>',
      inviterName: 'Olive',
      role: 'author',
      link: `${TEST_BASE_URL}/admin/invite?t=1`,
    });
    await mail.sendProgramSignupConfirmation({
      to: 'reader@example.org',
      name: 'Maya',
      programTitle: 'Steady Hearts',
      programUrl: `${TEST_BASE_URL}/steady-hearts/`,
      details: 'We start on Monday.',
    });
    await testWorker(t, { smtpUrl: smtp.url }).drainUntilIdle();
    const invite = smtp.messages.find((m) => recipient(m) === 'new@example.org');
    const signup = smtp.messages.find((m) => recipient(m) === 'reader@example.org');
    assert.match(invite?.subject ?? '', /Olive invited you to Hearth/);
    assert.match(String(invite?.html), /&lt;b&gt;Noor&lt;\/b&gt;/);
    assert.match(String(invite?.html), /href="http:\/\/hearth\.test\/admin\/invite\?t=1"/);
    assert.match(signup?.subject ?? '', /You are signed up for “Steady Hearts”/);
    assert.match(signup?.text ?? '', /We start on Monday\.[\s\S]*http:\/\/hearth\.test\/steady-hearts\//);
    assert.equal(header(signup!, 'List-Unsubscribe'), '');
  });

  it('retries after the server refuses the recipient, later by the backoff, with the same Message-ID', async () => {
    await queueResets(t, 1);
    const worker = testWorker(t, { smtpUrl: smtp.url });
    smtp.refuseRecipients(2);
    await worker.drainUntilIdle();
    let row = await t.conn.db.selectFrom('outbox').selectAll().where('kind', '=', 'mail').executeTakeFirstOrThrow();
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /451/);
    // With jitter in the middle of its range, the first wait is three quarters of the base step.
    assert.equal(row.next_attempt_at - t.clock.now(), (DEFAULT_BACKOFF.baseMs * 3) / 4);
    t.clock.advance(DEFAULT_BACKOFF.baseMs / 2);
    await worker.drainUntilIdle();
    assert.equal(
      (await t.conn.db.selectFrom('outbox').select('attempts').where('kind', '=', 'mail').executeTakeFirstOrThrow()).attempts,
      1,
      'not before its time',
    );
    t.clock.advance(DEFAULT_BACKOFF.baseMs / 2);
    await worker.drainUntilIdle();
    row = await t.conn.db.selectFrom('outbox').selectAll().where('kind', '=', 'mail').executeTakeFirstOrThrow();
    assert.equal(row.attempts, 2);
    assert.equal(row.next_attempt_at - t.clock.now(), (DEFAULT_BACKOFF.baseMs * 2 * 3) / 4, 'the step doubles');
    t.clock.advance(DEFAULT_BACKOFF.baseMs * 2);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 1);
    assert.equal(smtp.messages[0]?.messageId, `<${row.id}@hearth.test>`);
    assert.equal(
      (await t.conn.db.selectFrom('outbox').select('status').where('kind', '=', 'mail').executeTakeFirstOrThrow()).status,
      'sent',
    );
  });

  it('retries after the server refuses the message after DATA, then accepts it', async () => {
    await queueResets(t, 1);
    const worker = testWorker(t, { smtpUrl: smtp.url });
    smtp.refuseData(1);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 0);
    t.clock.advance(DEFAULT_BACKOFF.baseMs);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 1);
  });

  it('parks a message after 8 failures, lists it for the owner, and sends it after a retry from the API', async () => {
    await queueResets(t, 1);
    const worker = testWorker(t, { smtpUrl: smtp.url });
    smtp.refuseRecipients(8);
    for (let i = 0; i < 8; i++) {
      await worker.drainUntilIdle();
      t.clock.advance(DEFAULT_BACKOFF.capMs);
    }
    const { auth } = await ownerWithToken(t);
    const listed = await t.request('/api/v1/admin/outbox?status=parked', { headers: auth });
    assert.equal(listed.status, 200);
    const body = (await listed.json()) as { items: { id: string; attempts: number; to: string; status: string }[]; total: number };
    assert.equal(body.total, 1);
    assert.equal(body.items[0]?.attempts, 8);
    assert.equal(body.items[0]?.to, 'r0@example.org');
    assert.equal(smtp.messages.length, 0);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 0, 'a parked message waits for a person');

    const retried = await t.request(`/api/v1/admin/outbox/${body.items[0]?.id}/retry`, { method: 'POST', headers: auth });
    assert.equal(retried.status, 200);
    assert.equal(((await retried.json()) as { status: string }).status, 'queued');
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 1);
    const again = await t.request(`/api/v1/admin/outbox/${body.items[0]?.id}/retry`, { method: 'POST', headers: auth });
    assert.equal(again.status, 404, 'only a parked message can be retried');
  });

  it('keeps the outbox API to the owner: 401 without a token, 403 for an author', async () => {
    assert.equal((await t.request('/api/v1/admin/outbox?status=parked')).status, 401);
    const author = await t.services.accounts.addUser({
      email: 'a@example.com',
      name: 'Ann',
      role: 'author',
      password: 'correct horse battery',
    });
    const { token } = await t.services.accounts.createToken(author.email);
    const res = await t.request('/api/v1/admin/outbox?status=parked', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 403);
    assert.equal((await t.request('/api/v1/admin/mail', { headers: { authorization: `Bearer ${token}` } })).status, 403);
  });

  it('a graceful stop in the middle of a batch loses and duplicates nothing', async () => {
    await queueResets(t, 30);
    const first = testWorker(t, { smtpUrl: smtp.url, batchSize: 30, workerId: 'first' });
    first.start();
    await smtp.waitFor(5);
    await first.stop();
    const afterStop = await countByStatus(t.conn.db, 'mail');
    assert.equal(afterStop.sending, undefined, 'nothing is left claimed');
    assert.ok((afterStop.queued ?? 0) > 0, 'the stop came in the middle of the batch');
    const second = testWorker(t, { smtpUrl: smtp.url, batchSize: 30, workerId: 'second' });
    await second.drainUntilIdle();
    const ids = smtp.messages.map((m) => m.messageId);
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
    assert.deepEqual(await countByStatus(t.conn.db, 'mail'), { sent: 30 });
  });

  it('takes again, after the lease, what a process that died had claimed', async () => {
    await queueResets(t, 3);
    // A worker that claims and then "dies": its rows stay in sending.
    const { claimDue } = await import('./outbox-store.js');
    const claimed = await claimDue(t.conn.db, { workerId: 'dead', now: t.clock.now(), leaseMs: 60_000, limit: 10, kinds: ['mail'] });
    assert.equal(claimed.length, 3);
    const survivor = testWorker(t, { smtpUrl: smtp.url, leaseMs: 60_000 });
    await survivor.drainUntilIdle();
    assert.equal(smtp.messages.length, 0, 'a live lease is respected');
    t.clock.advance(60_001);
    await survivor.drainUntilIdle();
    assert.equal(smtp.messages.length, 3);
    assert.deepEqual(await countByStatus(t.conn.db, 'mail'), { sent: 3 });
  });

  it('writes .eml files without SMTP_URL, lists them for the owner and serves each one', async () => {
    await queueResets(t, 2);
    await testWorker(t).drainUntilIdle();
    const files = fs.readdirSync(mailDirOf(t.dataDir)).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 2);
    const { auth } = await ownerWithToken(t);
    const res = await t.request('/api/v1/admin/mail', { headers: auth });
    const body = (await res.json()) as { items: { name: string; to: string; subject: string; messageId: string }[]; total: number };
    assert.equal(body.total, 2);
    assert.deepEqual(body.items.map((i) => i.to).sort(), ['r0@example.org', 'r1@example.org']);
    assert.match(body.items[0]?.subject ?? '', /Set a new password for Hearth/);
    const one = await t.request(`/api/v1/admin/mail/${body.items[0]?.name}`, { headers: auth });
    assert.equal(one.headers.get('content-type'), 'message/rfc822');
    const raw = await one.text();
    assert.match(raw, /^Message-ID: <[0-9a-f-]{36}@hearth\.test>/im);
    assert.match(raw, /Content-Type: multipart\/alternative/);
    assert.equal((await t.request('/api/v1/admin/mail/..%2Fhearth.db', { headers: auth })).status, 404);
  });

  it('signs every message with DKIM when a key is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const transport = createMailTransport({
      mailDir: mailDirOf(t.dataDir),
      dkim: { domainName: 'hearth.test', keySelector: 'mail', privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
    });
    await queueResets(t, 1);
    await testWorker(t, { transport }).drainUntilIdle();
    const [file] = fs.readdirSync(mailDirOf(t.dataDir));
    const raw = fs.readFileSync(`${mailDirOf(t.dataDir)}/${file}`, 'utf8');
    assert.match(raw.replace(/\r\n[ \t]+/g, ' '), /^DKIM-Signature: .*d=hearth\.test;.* s=mail;/m);
  });
});
