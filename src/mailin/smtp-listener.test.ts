// Hearth's SMTP listener: it takes mail only for the reply address, offers STARTTLS with a given
// certificate, refuses oversized mail while it arrives, and `hearth serve` starts it when
// HEARTH_SMTP_LISTEN is set.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { type TestApp, testApp } from '../../test/harness.js';
import { freePort, freshDatabase, startServe } from '../../test/processes.js';
import { MAX_MESSAGE_BYTES } from './mailin-service.js';
import { type SmtpListener, startSmtpListener } from './smtp-listener.js';

const REPLY = 'reply@mail.hearth.test';

describe('the SMTP listener', () => {
  let t: TestApp;
  let listener: SmtpListener;
  let dir: string;
  before(async () => {
    t = await testApp();
    await t.services.mailIn.setReplyAddress(REPLY);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=mail.hearth.test',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    listener = await startSmtpListener(t.services.mailIn, {
      host: '127.0.0.1',
      port: 0,
      tlsCert: path.join(dir, 'cert.pem'),
      tlsKey: path.join(dir, 'key.pem'),
    });
  });
  after(async () => {
    await listener.close();
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const transport = () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: listener.port,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });

  it('takes mail for the reply address over STARTTLS, and keeps what became of it', async () => {
    const info = await transport().sendMail({
      from: 'maya@example.org',
      to: 'reply+nothing@mail.hearth.test',
      subject: 'Out of office',
      text: 'Away.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    assert.deepEqual(info.accepted, ['reply+nothing@mail.hearth.test']);
    const { rows } = await t.services.mailIn.unplaced(10);
    assert.equal(rows[0]?.reason, 'an automatic message (Auto-Submitted: auto-replied)');
  });

  it('refuses other recipients, and messages over the size limit', async () => {
    await assert.rejects(transport().sendMail({ from: 'a@example.org', to: 'someone@mail.hearth.test', text: 'Hi' }), /550/);
    await assert.rejects(transport().sendMail({ from: 'a@example.org', to: REPLY, text: 'x'.repeat(MAX_MESSAGE_BYTES + 10) }), /552/);
  });
});

describe('hearth serve with HEARTH_SMTP_LISTEN', () => {
  it('listens for mail beside the web site, and answers only for the reply address', async () => {
    const db = await freshDatabase();
    const smtpPort = await freePort();
    const serve = await startServe({ ...db.env, HEARTH_DEMO: '0', HEARTH_SMTP_LISTEN: `127.0.0.1:${smtpPort}` });
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      await transport.verify();
      // No reply address is set yet: nothing is taken.
      await assert.rejects(transport.sendMail({ from: 'a@example.org', to: 'reply+x@mail.hearth.test', text: 'Hi' }), /550/);
    } finally {
      await serve.stop();
      await db.drop();
    }
  });
});
