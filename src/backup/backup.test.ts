// Backups as the owner meets them: the dashboard tells when the last one was taken and warns
// once it is more than a day old; the schedule takes one when it is due, one process at a time,
// and keeps only the newest HEARTH_BACKUP_KEEP.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Browser } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { backupIfDue } from './backup-schedule.js';

const HOUR = 3_600_000;

describe('scheduled backups and the dashboard', () => {
  let t: TestApp;
  let dir: string;
  let owner: Browser;

  before(async () => {
    t = await testApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-backups-'));
    const staff = await makeStaff(t, 'owner', 'Olive Owner');
    owner = new Browser(t);
    await owner.signIn(staff.email);
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const schedule = (keep = 2) => ({
    conn: t.conn,
    dataDir: t.dataDir,
    clock: t.clock,
    log: pino({ level: 'silent' }),
    dir,
    everyHours: 24,
    keep,
  });
  const dashboard = async () => (await (await owner.get('/admin/')).text()).replace(/\s+/g, ' ');

  it('warns the owner while no backup has been taken', async () => {
    assert.match(await dashboard(), /No backup has been taken yet\./);
    assert.match(await dashboard(), /Take one with &quot;hearth backup&quot;/);
  });

  it('takes a due backup in one of two processes asking at once, and shows it without a warning', async () => {
    const [a, b] = await Promise.all([backupIfDue(schedule()), backupIfDue(schedule())]);
    assert.equal([a, b].filter(Boolean).length, 1, 'one process took it');
    assert.equal(fs.readdirSync(dir).filter((n) => n.startsWith('hearth-backup-')).length, 1);
    const page = await dashboard();
    assert.match(page, /The last backup was taken less than an hour ago/);
    assert.doesNotMatch(page, /more than a day old/);
    assert.equal(await backupIfDue(schedule()), null, 'not due again within the interval');
  });

  it('warns once the last backup is more than a day old, and the next one is taken then', async () => {
    t.clock.advance(25 * HOUR);
    assert.match(await dashboard(), /The last backup is more than a day old/);
    assert.ok(await backupIfDue(schedule()));
    assert.doesNotMatch(await dashboard(), /more than a day old/);
  });

  it('keeps only the newest backups the setting asks for', async () => {
    t.clock.advance(25 * HOUR);
    const newest = await backupIfDue(schedule(2));
    const kept = fs
      .readdirSync(dir)
      .filter((n) => n.startsWith('hearth-backup-'))
      .sort();
    assert.equal(kept.length, 2);
    assert.equal(path.join(dir, kept[1] as string), newest);
  });
});
