import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { listMailFiles } from './mail-files.js';

describe('the folder of written mail', () => {
  it('lists a message whose Date header is missing or unreadable at its time on disk, instead of failing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-mail-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.eml'), 'Subject: fine\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nbody');
      fs.writeFileSync(path.join(dir, 'b.eml'), 'Subject: odd\r\nDate: the day after tomorrow\r\n\r\nbody');
      fs.writeFileSync(path.join(dir, 'c.eml'), 'Subject: none\r\n\r\nbody');
      const when = new Date('2026-12-01T08:00:00Z');
      fs.utimesSync(path.join(dir, 'b.eml'), when, when);
      const listed = new Map((await listMailFiles(dir)).map((m) => [m.name, m.date]));
      assert.equal(listed.get('a.eml'), '2026-12-06T10:00:00.000Z');
      assert.equal(listed.get('b.eml'), when.toISOString());
      assert.match(listed.get('c.eml') ?? '', /^\d{4}-\d\d-\d\dT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
