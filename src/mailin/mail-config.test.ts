import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.js';

describe('configuration of replies by email', () => {
  it('has no listener and no polling by default', () => {
    assert.deepEqual(loadConfig({}, '/srv/blog').mailIn, { smtpListen: undefined, tls: undefined, imap: undefined });
  });

  it('reads the listener, its certificate and the polled mailbox', () => {
    const c = loadConfig(
      {
        HEARTH_SMTP_LISTEN: '0.0.0.0:2525',
        HEARTH_SMTP_TLS_CERT: 'tls/cert.pem',
        HEARTH_SMTP_TLS_KEY: 'tls/key.pem',
        HEARTH_IMAP_URL: 'imaps://reply%40example.com:pw@imap.example.com/INBOX',
        HEARTH_IMAP_POLL_SECONDS: '30',
      },
      '/srv/blog',
    );
    assert.deepEqual(c.mailIn.smtpListen, { host: '0.0.0.0', port: 2525 });
    assert.deepEqual(c.mailIn.tls, { cert: '/srv/blog/tls/cert.pem', key: '/srv/blog/tls/key.pem' });
    assert.deepEqual(c.mailIn.imap, {
      url: 'imaps://reply%40example.com:pw@imap.example.com/INBOX',
      doneFolder: 'Hearth',
      pollSeconds: 30,
    });
  });

  it('stops with one line naming the variable when a value is wrong', () => {
    assert.throws(
      () => loadConfig({ HEARTH_SMTP_LISTEN: '25' }),
      (e: Error) => e instanceof ConfigError && /HEARTH_SMTP_LISTEN must be host:port/.test(e.message),
    );
    assert.throws(() => loadConfig({ HEARTH_IMAP_URL: 'http://x' }), /HEARTH_IMAP_URL must be an imap:\/\/ or imaps:\/\/ URL/);
    assert.throws(() => loadConfig({ HEARTH_SMTP_TLS_CERT: 'c.pem' }), /must be set together/);
    assert.throws(() => loadConfig({ HEARTH_IMAP_POLL_SECONDS: '1' }), /HEARTH_IMAP_POLL_SECONDS must be 5 to 86400/);
  });
});
