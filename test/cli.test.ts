// The `hearth` command as a person runs it: a real process, real exit codes, real signals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/main.js';
import { testApp } from './harness.js';
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

describe('hearth token list, revoke and expiry', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const env = () => ({ ...db.env, HEARTH_PASSWORD: 'a long enough passphrase' });
  const create = async (...args: string[]) => {
    const r = await hearth(['token', 'create', '--email', 'olive@example.com', ...args], db.env);
    assert.equal(r.code, 0, r.stderr);
    return { token: r.stdout.trim(), id: /token ([0-9a-f-]{36}) created/.exec(r.stderr)?.[1] ?? '', stderr: r.stderr };
  };
  /** The site as it answers the API, over the same database the commands use. */
  const apiStatus = async (token: string) => {
    const t = await testApp({ conn: await openDatabase(loadConfig(db.env)) });
    try {
      return (await t.request('/api/v1/admin/posts', { headers: { authorization: `Bearer ${token}` } })).status;
    } finally {
      await t.close();
    }
  };
  before(async () => {
    db = await freshDatabase();
    for (const [email, name] of [
      ['olive@example.com', 'Olive Owner'],
      ['wren@example.com', 'Wren Writer'],
    ] as const) {
      const r = await hearth(['user', 'add', '--email', email, '--name', name, '--role', 'owner'], env());
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(() => db.drop());

  it('lists a user’s tokens with id, label, created, last used and expiry, never the secret', async () => {
    const scripts = await create('--label', 'deploy scripts');
    const brief = await create('--label', 'one week', '--expires-in-days', '7');
    assert.match(brief.stderr, /works until 2\d{3}-\d\d-\d\dT/);
    await create('--label', 'backups');
    await hearth(['token', 'create', '--email', 'wren@example.com', '--label', 'wren’s own'], db.env);
    assert.equal(await apiStatus(scripts.token), 200, 'a used token records when');

    const r = await hearth(['token', 'list', '--email', 'Olive@Example.com'], db.env);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    assert.deepEqual(header, ['ID', 'LABEL', 'CREATED', 'LAST USED', 'EXPIRES']);
    assert.deepEqual(
      rows.map((row) => row[1]),
      ['backups', 'one week', 'deploy scripts'],
      'newest first, only hers',
    );
    const byLabel = new Map(rows.map((row) => [row[1], row]));
    assert.equal(byLabel.get('deploy scripts')?.[0], scripts.id);
    assert.match(byLabel.get('deploy scripts')?.[3] ?? '', /^\d{4}-\d\d-\d\dT/, 'last used is tracked');
    assert.equal(byLabel.get('one week')?.[3], 'never');
    assert.equal(byLabel.get('deploy scripts')?.[4], 'never');
    const created = Date.parse(byLabel.get('one week')?.[2] ?? '');
    assert.equal(Date.parse(byLabel.get('one week')?.[4] ?? ''), created + 7 * 24 * 3600_000);
    assert.ok(!r.stdout.includes('hth_'), 'no secret is printed');
    assert.match(r.stderr, /olive@example.com has 3 API tokens/);

    const json = await hearth(['token', 'list', '--email', 'olive@example.com', '--json'], db.env);
    const items = JSON.parse(json.stdout) as { id: string; label: string; expiresAt: string | null; expired: boolean }[];
    assert.deepEqual(
      items.map((i) => [i.label, i.expired]),
      [
        ['backups', false],
        ['one week', false],
        ['deploy scripts', false],
      ],
    );
  });

  it('revokes a token by id so the API refuses it, and answers an unknown id or email with exit 1 and one line', async () => {
    const doomed = await create('--label', 'to revoke');
    assert.equal(await apiStatus(doomed.token), 200);
    const r = await hearth(['token', 'revoke', doomed.id], db.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`revoked token ${doomed.id} \\("to revoke"\\) of olive@example.com`));
    assert.equal(r.stdout, '');
    assert.equal(await apiStatus(doomed.token), 401, 'a revoked token is refused');
    const listed = await hearth(['token', 'list', '--email', 'olive@example.com'], db.env);
    assert.ok(!listed.stdout.includes(doomed.id));

    for (const args of [
      ['token', 'revoke', doomed.id],
      ['token', 'revoke', 'nonsense'],
      ['token', 'list', '--email', 'ghost@example.com'],
    ]) {
      const failed = await hearth(args, db.env);
      assert.equal(failed.code, 1, args.join(' '));
      assert.ok(oneLine(failed.stderr), failed.stderr);
      assert.doesNotMatch(failed.stderr, /\n\s+at /);
      assert.equal(failed.stdout, '');
    }
    assert.equal((await hearth(['token', 'revoke'], db.env)).code, 2, 'no id given');
  });

  it('refuses an expiry that is not a whole number of days, and an empty label, with exit 2', async () => {
    for (const days of ['0', 'soon', '99999']) {
      const r = await hearth(['token', 'create', '--email', 'olive@example.com', '--expires-in-days', days], db.env);
      assert.equal(r.code, 2, days);
      assert.ok(oneLine(r.stderr), r.stderr);
      assert.match(r.stderr, /--expires-in-days must be a whole number of days/);
      assert.equal(r.stdout, '');
    }
    const empty = await hearth(['token', 'create', '--email', 'olive@example.com', '--label', ' '], db.env);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /the label must not be empty/);
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
