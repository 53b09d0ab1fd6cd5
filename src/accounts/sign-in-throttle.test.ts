import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from './accounts-service.js';
import { createPasswordHasher, type PasswordHasher, TEST_ARGON } from './passwords.js';
import { SIGN_IN_THROTTLE } from './sign-in-throttle.js';

const PASSWORD = 'correct horse battery';

/** The real hasher, counting how many passwords it was asked to check. */
function countingHasher(): PasswordHasher & { checks: number } {
  const real = createPasswordHasher(TEST_ARGON);
  const counting = {
    checks: 0,
    hash: real.hash,
    verify: (hashed: string, password: string) => {
      counting.checks++;
      return real.verify(hashed, password);
    },
  };
  return counting;
}

/** A browser at `address` on the sign-in page, ready to send the form. */
async function atSignIn(t: TestApp, address: string): Promise<Browser> {
  const b = new Browser(t, address);
  await b.get('/admin/sign-in');
  return b;
}

const statuses = (responses: Response[]) => {
  const count = new Map<number, number>();
  for (const r of responses) count.set(r.status, (count.get(r.status) ?? 0) + 1);
  return count;
};

async function resetLinkFor(t: TestApp, email: string): Promise<string> {
  const rows = await t.conn.db.selectFrom('outbox').select('payload').orderBy('created_at').orderBy('id').execute();
  const link = rows
    .map((r) => JSON.parse(r.payload) as { type: string; to: string; link?: string })
    .filter((p) => p.to === email && p.type === 'password-reset')
    .at(-1)?.link;
  if (!link) throw new Error(`no reset link for ${email}`);
  return new URL(link).pathname;
}

describe('sign-in throttling', () => {
  let t: TestApp;
  let hasher: ReturnType<typeof countingHasher>;
  let owner: Staff;
  before(async () => {
    hasher = countingHasher();
    t = await testApp({ passwords: hasher });
    owner = await makeStaff(t, 'owner', 'Olive Owner');
  });
  after(() => t.close());
  beforeEach(async () => {
    await t.conn.db.deleteFrom('sign_in_counters').execute();
    await t.conn.db.deleteFrom('sign_in_addresses').execute();
    hasher.checks = 0;
  });

  it('checks at most five passwords when 150 wrong guesses for one account arrive at once from one address', async () => {
    const attacker = await atSignIn(t, '198.51.100.66');
    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, i) => attacker.post('/admin/sign-in', { email: owner.email, password: `guess ${i}` })),
    );
    const by = statuses(responses);
    assert.equal(hasher.checks, SIGN_IN_THROTTLE.maxPerPair, 'passwords checked');
    assert.equal(by.get(401), SIGN_IN_THROTTLE.maxPerPair, 'answered "wrong password"');
    assert.equal(by.get(429), 150 - SIGN_IN_THROTTLE.maxPerPair, 'answered "too many attempts"');
    const owners = await atSignIn(t, '203.0.113.10');
    assert.equal(
      (await owners.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status,
      303,
      'the owner, elsewhere, gets in',
    );
  });

  it('checks at most fifty passwords when 150 wrong guesses arrive at once from 150 addresses', async () => {
    const attackers = await Promise.all(Array.from({ length: 150 }, (_, i) => atSignIn(t, `10.0.0.${i + 1}`)));
    hasher.checks = 0;
    const responses = await Promise.all(attackers.map((b, i) => b.post('/admin/sign-in', { email: owner.email, password: `guess ${i}` })));
    const by = statuses(responses);
    assert.equal(hasher.checks, SIGN_IN_THROTTLE.maxPerAccount);
    assert.equal(by.get(401), SIGN_IN_THROTTLE.maxPerAccount);
    assert.equal(by.get(429), 150 - SIGN_IN_THROTTLE.maxPerAccount);
  });

  it('does not let failures from one address keep the owner out at another', async () => {
    const attacker = await atSignIn(t, '198.51.100.67');
    for (let i = 0; i < SIGN_IN_THROTTLE.maxPerPair; i++) {
      assert.equal((await attacker.post('/admin/sign-in', { email: owner.email, password: `guess ${i}` })).status, 401);
    }
    const blocked = await attacker.post('/admin/sign-in', { email: owner.email, password: PASSWORD });
    assert.equal(blocked.status, 429, 'the guessing address is refused, even with the right password');
    assert.match(await blocked.text(), /Too many attempts to sign in/);
    const owners = await atSignIn(t, '203.0.113.11');
    assert.equal((await owners.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 303);
    assert.equal((await owners.get('/admin/')).status, 200);
  });

  it('forgives the owner her own typos once she gets the password right', async () => {
    const b = await atSignIn(t, '203.0.113.12');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < SIGN_IN_THROTTLE.maxPerPair - 1; i++) {
        assert.equal((await b.post('/admin/sign-in', { email: owner.email, password: 'typo' })).status, 401);
      }
      const fresh = await atSignIn(t, '203.0.113.12');
      assert.equal((await fresh.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 303, `round ${round}`);
    }
  });

  it('refuses new places once the account had fifty failures within the hour, while a known place and a reset link still get in', async () => {
    const home = await atSignIn(t, '203.0.113.20');
    assert.equal((await home.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 303, 'home is a known place');

    for (let i = 0; i < SIGN_IN_THROTTLE.maxPerAccount; i++) {
      const attacker = await atSignIn(t, `192.0.2.${i + 1}`);
      assert.equal((await attacker.post('/admin/sign-in', { email: owner.email, password: `guess ${i}` })).status, 401);
    }
    const cafe = await atSignIn(t, '198.51.100.30');
    const refused = await cafe.post('/admin/sign-in', { email: owner.email, password: PASSWORD });
    assert.equal(refused.status, 429, 'a new place is refused, even with the right password');
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 3600, `Retry-After ${retry}`);
    assert.match(await refused.text(), /Sign in from a device you used here before, or ask for a new password/);

    const again = await atSignIn(t, '203.0.113.20');
    assert.equal((await again.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 303, 'home still gets in');

    // The reset link works from the new place, and the account starts afresh.
    await cafe.get('/admin/reset');
    assert.equal((await cafe.post('/admin/reset', { email: owner.email })).status, 200);
    const link = await resetLinkFor(t, owner.email);
    await cafe.get(link);
    assert.equal((await cafe.post(link, { password: PASSWORD })).status, 303);
    assert.equal((await cafe.get('/admin/')).status, 200);
    const library = await atSignIn(t, '198.51.100.31');
    assert.equal((await library.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 303, 'counters were cleared');
  });

  it('answers an unknown email under siege exactly like a real one, so the limit reveals no account', async () => {
    const nobody = 'nobody@example.com';
    for (let i = 0; i < SIGN_IN_THROTTLE.maxPerAccount; i++) {
      const attacker = await atSignIn(t, `192.0.2.${i + 1}`);
      assert.equal((await attacker.post('/admin/sign-in', { email: nobody, password: `guess ${i}` })).status, 401);
    }
    const next = await atSignIn(t, '198.51.100.32');
    const refused = await next.post('/admin/sign-in', { email: nobody, password: 'guess' });
    assert.equal(refused.status, 429);
    assert.match(await refused.text(), /Sign in from a device you used here before/);
  });

  it('starts the account afresh an hour after the siege began', async () => {
    for (let i = 0; i < SIGN_IN_THROTTLE.maxPerAccount; i++) {
      const attacker = await atSignIn(t, `192.0.2.${i + 1}`);
      await attacker.post('/admin/sign-in', { email: owner.email, password: `guess ${i}` });
    }
    const cafe = await atSignIn(t, '198.51.100.33');
    assert.equal((await cafe.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 429);
    t.clock.advance(SIGN_IN_THROTTLE.accountWindowMs + 1000);
    assert.equal((await cafe.post('/admin/sign-in', { email: owner.email, password: PASSWORD })).status, 303);
  });
});
