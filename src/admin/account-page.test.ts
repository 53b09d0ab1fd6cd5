// The Account page over HTTP: API tokens made (shown once), listed, expiring and revoked; signing
// out everywhere and a password reset revoke them too. The API is asked each time whether a token works.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';

const DAY = 24 * 3600_000;
const TOKEN = /id="new-token" type="text" readonly="" value="(hth_[\w-]+)"/;

describe('API tokens on the Account page', () => {
  let t: TestApp;
  let ada: Staff;
  let bea: Staff;
  let asAda: Browser;
  before(async () => {
    t = await testApp();
    ada = await makeStaff(t, 'author', 'Ada Author');
    bea = await makeStaff(t, 'author', 'Bea Author');
    asAda = new Browser(t);
    await asAda.signIn(ada.email);
  });
  after(() => t.close());

  const api = (token: string) => t.request('/api/v1/admin/posts', { headers: { authorization: `Bearer ${token}` } });
  /** Makes a token from the page's form, as Ada's browser would; returns the secret the page shows. */
  const createFromPage = async (b: Browser, fields: { label: string; expiresInDays?: string }) => {
    await b.get('/admin/account');
    const res = await b.post('/admin/account/tokens', { expiresInDays: '', ...fields });
    assert.equal(res.status, 200);
    const token = TOKEN.exec(await res.text())?.[1];
    assert.ok(token, 'the page shows the new token');
    return token;
  };
  const rowOf = (html: string, label: string) => {
    const at = html.indexOf(`<td>${label}</td>`);
    return at === -1 ? undefined : html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at));
  };

  it('is reached from the workspace header and lists only her own tokens, never a secret', async () => {
    const hers = await t.services.accounts.createToken(ada.email, 'From the command line');
    await t.services.accounts.createToken(bea.email, 'Bea’s scripts');
    const res = await asAda.get('/admin/');
    assert.match(await res.text(), /<a href="\/admin\/account"[^>]*>Ada Author<\/a>/);
    const html = await (await asAda.get('/admin/account')).text();
    assert.ok(rowOf(html, 'From the command line')?.includes(`data-token-id="${hers.info.id}"`));
    assert.match(rowOf(html, 'From the command line') ?? '', /Never/, 'never used yet');
    assert.ok(!html.includes('Bea’s scripts'), 'not another’s tokens');
    assert.ok(!html.includes('hth_'), 'no secret on the page');
  });

  it('creates a token from the form, shows it once, and the API accepts it as her', async () => {
    const token = await createFromPage(asAda, { label: 'Newsletter script' });
    assert.equal((await api(token)).status, 200);
    const again = await (await asAda.get('/admin/account')).text();
    assert.ok(!again.includes(token), 'the secret is not shown a second time');
    assert.match(rowOf(again, 'Newsletter script') ?? '', /<time datetime="[^"]+">/, 'its last use is shown');
    const stored = await t.conn.db.selectFrom('api_tokens').select('token_hash').execute();
    assert.ok(
      stored.every((r) => r.token_hash !== token),
      'only a hash is kept',
    );
  });

  it('keeps her words and names the field when the label is empty or the days are not a whole number, creating nothing', async () => {
    await asAda.get('/admin/account');
    const before = (await t.services.accounts.ownTokens(ada)).length;
    const empty = await asAda.post('/admin/account/tokens', { label: '  ', expiresInDays: '30' });
    assert.equal(empty.status, 422);
    const emptyHtml = await empty.text();
    assert.match(emptyHtml, /The label must not be empty\./);
    assert.match(emptyHtml, /name="expiresInDays"[^>]*value="30"/);
    for (const days of ['0', 'soon', '2.5', '4000']) {
      const res = await asAda.post('/admin/account/tokens', { label: 'Kept label', expiresInDays: days });
      assert.equal(res.status, 422, days);
      const html = await res.text();
      assert.match(html, /The expiry must be a whole number of days, from 1 to 3650\./, days);
      assert.match(html, /name="label"[^>]*value="Kept label"/, days);
      assert.ok(!TOKEN.test(html));
    }
    assert.equal((await t.services.accounts.ownTokens(ada)).length, before, 'nothing was created');
  });

  it('refuses the forms without the page’s CSRF token, changing nothing', async () => {
    const { token, info } = await t.services.accounts.createToken(ada.email, 'Guarded');
    await asAda.get('/admin/account');
    assert.equal((await asAda.post(`/admin/account/tokens/${info.id}/revoke`, {}, { csrf: null })).status, 403);
    assert.equal((await asAda.post(`/admin/account/tokens/${info.id}/revoke`, {}, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await asAda.post('/admin/account/tokens', { label: 'Forged', expiresInDays: '' }, { csrf: null })).status, 403);
    assert.equal((await api(token)).status, 200, 'the token still works');
    assert.ok(!(await t.services.accounts.ownTokens(ada)).some((x) => x.label === 'Forged'));
  });

  it('revokes a token with its button, after which the API answers 401 as for an unknown token', async () => {
    const token = await createFromPage(asAda, { label: 'Short-lived script' });
    const page = await (await asAda.get('/admin/account')).text();
    const id = /data-token-id="([0-9a-f-]{36})"/.exec(rowOf(page, 'Short-lived script') ?? '')?.[1];
    assert.ok(id);
    assert.match(page, new RegExp(`<form method="post" action="/admin/account/tokens/${id}/revoke">`));
    const res = await asAda.post(`/admin/account/tokens/${id}/revoke`, {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/account?done=revoked');
    const after = await (await asAda.get('/admin/account?done=revoked')).text();
    assert.match(after, /The token is revoked/);
    assert.equal(rowOf(after, 'Short-lived script'), undefined);
    const refused = await api(token);
    const unknown = await api('hth_nobodyknowsthisonebecauseitwasnevermade0000');
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), await unknown.json());
    assert.equal((await asAda.post(`/admin/account/tokens/${id}/revoke`, {})).status, 404, 'revoking twice finds nothing');
  });

  it('does not revoke another staff member’s token through her own page', async () => {
    const beas = await t.services.accounts.createToken(bea.email, 'Bea’s deploys');
    await asAda.get('/admin/account');
    assert.equal((await asAda.post(`/admin/account/tokens/${beas.info.id}/revoke`, {})).status, 404);
    assert.equal((await api(beas.token)).status, 200);
  });

  it('makes a token that stops working when its days are over, refused like an unknown one and marked expired', async () => {
    const token = await createFromPage(asAda, { label: 'Two-day token', expiresInDays: '2' });
    const row = rowOf(await (await asAda.get('/admin/account')).text(), 'Two-day token') ?? '';
    assert.ok(row.includes(`datetime="${new Date(t.clock.now() + 2 * DAY).toISOString()}"`), 'the page says when it expires');
    t.clock.advance(2 * DAY - 1000);
    assert.equal((await api(token)).status, 200, 'still good a second before');
    t.clock.advance(1000);
    const expired = await api(token);
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(await expired.json(), await (await api('hth_unknown')).json());
    assert.match(rowOf(await (await asAda.get('/admin/account')).text(), 'Two-day token') ?? '', /Expired/);
  });
});

describe('signing out everywhere and resetting a password revoke API tokens', () => {
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
  });
  after(() => t.close());

  const works = async (token: string) =>
    (await t.request('/api/v1/admin/posts', { headers: { authorization: `Bearer ${token}` } })).status === 200;
  const lastLink = async (to: string) => {
    const rows = await t.conn.db.selectFrom('outbox').select('payload').orderBy('created_at').orderBy('id').execute();
    const links = rows.map((r) => JSON.parse(r.payload) as { to?: string; link?: string }).filter((p) => p.to === to && p.link);
    return new URL(links.at(-1)?.link ?? '').pathname;
  };

  it('offers sign out everywhere on the Account page; it ends her sessions and revokes her tokens, not a colleague’s', async () => {
    const mine = await t.services.accounts.createToken(owner.email, 'Mine');
    const theirs = await t.services.accounts.createToken(ada.email, 'Ada’s');
    const laptop = new Browser(t);
    const phone = new Browser(t);
    await laptop.signIn(owner.email);
    await phone.signIn(owner.email);
    const page = await (await laptop.get('/admin/account')).text();
    assert.match(page, /<form method="post" action="\/admin\/sign-out-everywhere">/);
    assert.match(page, /revokes all your API tokens/);
    const res = await laptop.post('/admin/sign-out-everywhere', {});
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/sign-in?done=everywhere');
    assert.equal((await phone.get('/admin/')).status, 303, 'every session ended');
    assert.equal(await works(mine.token), false, 'her token is revoked');
    assert.equal(await works(theirs.token), true, 'a colleague’s token still works');
    assert.deepEqual(await t.services.accounts.ownTokens(owner), []);
  });

  it('revokes every token of the account when a password is reset through the emailed link', async () => {
    const token = await t.services.accounts.createToken(ada.email, 'Before the reset');
    const b = new Browser(t);
    await b.get('/admin/reset');
    await b.post('/admin/reset', { email: ada.email });
    const link = await lastLink(ada.email);
    await b.get(link);
    assert.equal((await b.post(link, { password: 'a fresh passphrase here' })).status, 303);
    assert.equal(await works(token.token), false);
    assert.deepEqual(await t.services.accounts.ownTokens(ada), []);
  });

  it('keeps the tokens of an account that chooses its first password, as made for a script by `hearth user add --no-password`', async () => {
    const bot = await t.services.accounts.addUser({ email: 'bot@example.com', name: 'Bot Author', role: 'author', password: null });
    const token = await t.services.accounts.createToken(bot.email, 'Made before any password');
    const b = new Browser(t);
    await b.get('/admin/reset');
    await b.post('/admin/reset', { email: bot.email });
    const link = await lastLink(bot.email);
    await b.get(link);
    assert.equal((await b.post(link, { password: 'the first passphrase' })).status, 303);
    assert.equal(await works(token.token), true);
  });
});
