// The served OpenAPI document passes redocly's recommended rules with no error and no warning.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type TestApp, testApp } from '../../test/harness.js';

const run = promisify(execFile);
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    t = await testApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-openapi-'));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('passes `redocly lint` with the recommended rules, without a warning', async () => {
    const res = await t.request('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    fs.writeFileSync(path.join(dir, 'openapi.json'), await res.text());
    fs.writeFileSync(path.join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');
    const { stdout } = await run(process.execPath, [redocly, 'lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    }).catch((err: { stdout?: string; stderr?: string }) => {
      // redocly exits 1 when it finds errors; its report is still on stdout.
      if (err.stdout) return { stdout: err.stdout };
      throw err;
    });
    const report = JSON.parse(stdout) as LintReport;
    const found = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    assert.deepEqual(found, []);
    assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 });
  });
});
