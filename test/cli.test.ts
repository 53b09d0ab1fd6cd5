// The `hearth` command as a person runs it: a real process, real exit codes, real signals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, freshDatabase, hearth, startServe } from './processes.js';

const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('hearth configuration errors', () => {
  it('exits 2 with one line naming PORT when it is not a number', async () => {
    const r = await hearth(['serve'], { PORT: 'abc' });
    assert.equal(r.code, 2);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /PORT must be a whole number/);
  });

  it('exits 2 with one line naming DATABASE_URL for a mysql:// URL', async () => {
    const r = await hearth(['serve'], { DATABASE_URL: 'mysql://x' });
    assert.equal(r.code, 2);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('exits 1 with one line, no stack trace, when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    const r = await hearth(['migrate'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere` });
    assert.equal(r.code, 1);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /cannot reach the database at 127\.0\.0\.1:\d+\/nowhere/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('exits 2 on an unknown command', async () => {
    const r = await hearth(['frobnicate'], {});
    assert.equal(r.code, 2);
  });
});

describe('hearth user add and token create', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.drop());

  it('refuses to add a user without a password source (exit 2)', async () => {
    const r = await hearth(['user', 'add', '--email', 'a@example.com', '--name', 'A', '--role', 'owner'], db.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HEARTH_PASSWORD or --password-stdin/);
  });

  it('adds an owner with the password from HEARTH_PASSWORD', async () => {
    const r = await hearth(['user', 'add', '--email', 'Owner@Example.com', '--name', 'Olive Owner', '--role', 'owner'], {
      ...db.env,
      HEARTH_PASSWORD: 'a long enough passphrase',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /added owner Olive Owner <owner@example.com>/);
  });

  it('adds an author from --password-stdin and an invited moderator with --no-password', async () => {
    const a = await hearth(
      ['user', 'add', '--email', 'w@example.com', '--name', 'Wren', '--role', 'author', '--password-stdin'],
      db.env,
      'another long passphrase\n',
    );
    assert.equal(a.code, 0, a.stderr);
    const m = await hearth(['user', 'add', '--email', 'm@example.com', '--name', 'Mo', '--role', 'moderator', '--no-password'], db.env);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stderr, /reset link/);
  });

  it('refuses a duplicate email (exit 1), a bad email or role, or a short password (exit 2)', async () => {
    const env = { ...db.env, HEARTH_PASSWORD: 'a long enough passphrase' };
    assert.equal((await hearth(['user', 'add', '--email', 'owner@example.com', '--name', 'X', '--role', 'owner'], env)).code, 1);
    const badEmail = await hearth(['user', 'add', '--email', 'nope', '--name', 'X', '--role', 'owner'], env);
    assert.equal(badEmail.code, 2);
    assert.match(badEmail.stderr, /email must be an address/);
    assert.equal((await hearth(['user', 'add', '--email', 'x@example.com', '--name', 'X', '--role', 'king'], env)).code, 2);
    const short = await hearth(['user', 'add', '--email', 'y@example.com', '--name', 'Y', '--role', 'author'], {
      ...db.env,
      HEARTH_PASSWORD: 'short',
    });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 10 characters/);
  });

  it('prints a new API token alone on stdout, and exits 1 for an unknown email', async () => {
    const r = await hearth(['token', 'create', '--email', 'owner@example.com', '--label', 'scripts'], db.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hth_[\w-]{43}\n$/);
    assert.match(r.stderr, /shown only once/);
    const unknown = await hearth(['token', 'create', '--email', 'ghost@example.com'], db.env);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stdout, '');
    assert.ok(oneLine(unknown.stderr));
  });
});

describe('hearth serve', () => {
  it('serves the demo site on an empty database, tells how to add an owner, and ends with 0 on SIGTERM', async () => {
    const db = await freshDatabase();
    try {
      const server = await startServe(db.env);
      const home = await (await fetch(`${server.base}/`)).text();
      assert.match(home, /Welcome to your Hearth/);
      assert.match(home, /Why every reader deserves an answer/);
      assert.match(server.output(), /npx hearth user add --email you@example.com --name "Your Name" --role owner/);
      // An in-flight request started before the signal still gets its answer.
      const inFlight = fetch(`${server.base}/why-every-reader-deserves-an-answer/`);
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      assert.equal((await inFlight).status, 200);
      assert.equal(await server.exit, 0);
      assert.ok(Date.now() - signalled < 5000, 'stopped within 5 s');
    } finally {
      await db.drop();
    }
  });

  it('creates no demo content with HEARTH_DEMO=0, and does not repeat it on a second start', async () => {
    const db = await freshDatabase();
    try {
      const bare = await startServe({ ...db.env, HEARTH_DEMO: '0' });
      assert.doesNotMatch(await (await fetch(`${bare.base}/`)).text(), /Welcome to your Hearth/);
      bare.child.kill('SIGINT');
      assert.equal(await bare.exit, 0);
    } finally {
      await db.drop();
    }
  });
});
