import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { CREDENTIAL_COOKIE, keepCredential, readCredential, signCredential, verifyCredential } from './credential.js';

const SECRET = 'a-site-secret-of-some-length';
const TOKEN = 'abcdefghijklmnopqrstuvwxyz_0123456789-ABC';

describe("the writer's credential cookie", () => {
  it('is the signed cookie Hono makes, so cookies already in browsers keep working', async () => {
    const app = new Hono();
    app.get('/hono', async (c) => {
      await setSignedCookie(c, CREDENTIAL_COOKIE, TOKEN, SECRET, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 });
      return c.text('');
    });
    app.get('/ours', async (c) => {
      await keepCredential(c, SECRET, TOKEN, false);
      return c.text('');
    });
    app.get('/read-ours', async (c) => c.text(String(await readCredential(c, SECRET))));
    app.get('/read-hono', async (c) => c.text(String(await getSignedCookie(c, SECRET, CREDENTIAL_COOKIE))));
    const hono = (await app.request('/hono')).headers.get('set-cookie') ?? '';
    const ours = (await app.request('/ours')).headers.get('set-cookie') ?? '';
    assert.equal(ours.split(';')[0], hono.split(';')[0]);
    const cookie = { cookie: ours.split(';')[0] as string };
    assert.equal(await (await app.request('/read-ours', { headers: cookie })).text(), TOKEN);
    assert.equal(await (await app.request('/read-hono', { headers: cookie })).text(), TOKEN);
  });

  it('refuses a changed token, another site’s signature and a malformed value', () => {
    const signed = signCredential(SECRET, TOKEN);
    assert.equal(verifyCredential(SECRET, signed), TOKEN);
    assert.equal(verifyCredential(SECRET, signed.replace('abc', 'abd')), null);
    assert.equal(verifyCredential('another-secret', signed), null);
    assert.equal(verifyCredential(SECRET, TOKEN), null);
    assert.equal(verifyCredential(SECRET, `${signed}x`), null);
    assert.equal(verifyCredential(SECRET, signCredential(SECRET, 'short')), null);
  });
});
