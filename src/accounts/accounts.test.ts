import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';

describe('staff accounts and API tokens', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('stores an argon2id hash, never the password, and gives each user a unique slug', async () => {
    const a = await t.services.accounts.addUser({
      email: 'june@example.com',
      name: 'June Ray',
      role: 'owner',
      password: 'a long passphrase',
    });
    const b = await t.services.accounts.addUser({ email: 'june2@example.com', name: 'June Ray', role: 'author', password: null });
    assert.equal(a.slug, 'june-ray');
    assert.equal(b.slug, 'june-ray-2');
    const row = await t.conn.db.selectFrom('users').select('password_hash').where('id', '=', a.id).executeTakeFirstOrThrow();
    assert.match(row.password_hash ?? '', /^\$argon2id\$/);
    assert.ok(await t.services.accounts.hasOwner());
  });

  it('refuses a second account with the same email, in any case', async () => {
    await assert.rejects(
      t.services.accounts.addUser({ email: 'JUNE@example.com', name: 'Other', role: 'author', password: null }),
      ConflictError,
    );
  });

  it('refuses a malformed email with a field message', async () => {
    await assert.rejects(
      t.services.accounts.addUser({ email: 'not-an-email', name: 'X', role: 'author', password: null }),
      (err: unknown) => err instanceof InvalidError && typeof err.fields.email === 'string',
    );
  });

  it('makes tokens that act as their user and are stored only as a hash', async () => {
    const { token, user } = await t.services.accounts.createToken('june@example.com', 'deploy');
    assert.match(token, /^hth_/);
    assert.equal((await t.services.accounts.userForToken(token))?.id, user.id);
    assert.equal(await t.services.accounts.userForToken(`${token}x`), undefined);
    assert.equal(await t.services.accounts.userForToken('not-a-token'), undefined);
    const stored = await t.conn.db.selectFrom('api_tokens').select('token_hash').execute();
    assert.ok(stored.every((r) => r.token_hash !== token && /^[0-9a-f]{64}$/.test(r.token_hash)));
    await assert.rejects(t.services.accounts.createToken('nobody@example.com'), NotFoundError);
  });
});
