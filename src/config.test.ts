import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has working defaults: SQLite in ./data, port 3000 on 127.0.0.1', () => {
    const config = loadConfig({}, '/srv/blog');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.database, { kind: 'sqlite', file: '/srv/blog/data/hearth.db' });
    assert.equal(config.baseUrl, 'http://127.0.0.1:3000');
    assert.equal(config.demo, true);
    assert.equal(config.pageCache, true);
  });

  it('runs on PostgreSQL when DATABASE_URL is a postgres:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db.example:5432/blog' });
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://u@db.example:5432/blog' });
  });

  it('derives BASE_URL from the port and trims a trailing slash from a given one', () => {
    assert.equal(loadConfig({ PORT: '8080' }).baseUrl, 'http://127.0.0.1:8080');
    assert.equal(loadConfig({ BASE_URL: 'https://blog.example.com/' }).baseUrl, 'https://blog.example.com');
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT must be a whole number from 1 to 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ URL/],
    [{ BASE_URL: 'blog.example.com' }, /^BASE_URL must be an http:\/\/ or https:\/\/ URL/],
    [{ HEARTH_DEMO: 'yes' }, /^HEARTH_DEMO must be 0 or 1/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ SMTP_URL: 'http://mail' }, /^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ HEARTH_SECRET: 'short' }, /^HEARTH_SECRET must be at least 32 characters/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${Object.entries(env)[0]?.join('=')} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && message.test(err.message) && !err.message.includes('\n'),
      );
    });
  }

  it('returns a frozen object', () => {
    assert.ok(Object.isFrozen(loadConfig({})));
  });
});
