import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Browser, parseSetCookie } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { hashToken } from '../ids.js';
import type { Staff } from './accounts-service.js';
import { AUTH_POLICY, SIGN_IN_FAILED } from './auth-service.js';
import { SIGN_IN_THROTTLE } from './sign-in-throttle.js';

const PASSWORD = 'correct horse battery';

/** The links queued in the outbox for an address, newest last. */
async function mailedLinks(t: TestApp, to: string): Promise<{ type: string; link: string }[]> {
  const rows = await t.conn.db.selectFrom('outbox').select(['payload', 'created_at']).orderBy('created_at').orderBy('id').execute();
  return rows
    .map((r) => JSON.parse(r.payload) as { type: string; to: string; link?: string })
    .filter((p) => p.to === to && p.link)
    .map((p) => ({ type: p.type, link: p.link as string }));
}

const pathOf = (link: string) => new URL(link).pathname;

describe('signing in to the workspace', () => {
  let t: TestApp;
  let owner: Staff;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
  });
  after(() => t.close());
  beforeEach(async () => {
    // Each test starts from a clean slate of failures; the clock keeps moving forward.
    await t.conn.db.deleteFrom('sign_in_counters').execute();
  });

  it('sends a signed-out visitor of /admin/ to the sign-in page', async () => {
    const res = await t.request('/admin/');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/sign-in');
    const deep = await t.request('/admin/posts?status=draft');
    assert.equal(deep.headers.get('location'), `/admin/sign-in?next=${encodeURIComponent('/admin/posts?status=draft')}`);
  });

  it('signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie that lasts 30 days', async () => {
    const b = new Browser(t);
    const res = await b.signIn(owner.email);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/');
    const cookie = res.headers
      .getSetCookie()
      .map(parseSetCookie)
      .find((c) => c.name === 'hearth_session');
    assert.ok(cookie, 'a session cookie is set');
    assert.ok(cookie.attributes.has('httponly'));
    assert.equal(cookie.attributes.get('samesite'), 'Lax');
    assert.equal(cookie.attributes.has('secure'), false, 'no Secure flag on an http site');
    assert.equal(Number(cookie.attributes.get('max-age')), AUTH_POLICY.sessionTtlMs / 1000);
    const stored = await t.conn.db.selectFrom('sessions').selectAll().where('user_id', '=', owner.id).execute();
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0]?.id, cookie.value, 'only a hash of the cookie is stored');
    assert.match(stored[0]?.id ?? '', /^[0-9a-f]{64}$/);
    const home = await b.get('/admin/');
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Welcome, Olive Owner/);
  });

  it('answers a wrong password and an unknown email with the same message, keeping the email', async () => {
    const b = new Browser(t);
    const wrong = await b.signIn(owner.email, 'not the password');
    const wrongHtml = await wrong.text();
    const unknown = await b.signIn('nobody@example.com', PASSWORD);
    const unknownHtml = await unknown.text();
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    for (const html of [wrongHtml, unknownHtml])
      assert.ok(html.includes(SIGN_IN_FAILED.replaceAll("'", '&#39;')) || html.includes(SIGN_IN_FAILED));
    assert.match(wrongHtml, new RegExp(`value="${owner.email}"`));
    assert.match(unknownHtml, /value="nobody@example.com"/);
    assert.equal(b.jar.cookies.has('hearth_session'), false);
  });

  it('refuses the sixth attempt for one email within 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const b = new Browser(t, '198.51.100.1');
    for (let i = 0; i < SIGN_IN_THROTTLE.maxPerPair; i++) assert.equal((await b.signIn(owner.email, `wrong ${i}`)).status, 401);
    const blocked = await b.signIn(owner.email, PASSWORD);
    assert.equal(blocked.status, 429);
    const retry = Number(blocked.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
    assert.match(await blocked.text(), new RegExp(`value="${owner.email}"`));
    t.clock.advance(SIGN_IN_THROTTLE.pairWindowMs + 1000);
    assert.equal((await b.signIn(owner.email, PASSWORD)).status, 303, 'the window passes and the right password works again');
  });

  it('refuses an address after 20 failures across many emails', async () => {
    const b = new Browser(t, '198.51.100.2');
    for (let i = 0; i < SIGN_IN_THROTTLE.maxPerAddress; i++) await b.signIn(`guess${i}@example.com`, 'guess');
    assert.equal((await b.signIn(owner.email, PASSWORD)).status, 429);
    const elsewhere = new Browser(t, '198.51.100.3');
    assert.equal((await elsewhere.signIn(owner.email, PASSWORD)).status, 303, 'another address is not blocked');
    t.clock.advance(SIGN_IN_THROTTLE.addressWindowMs + 1000);
  });

  it('marks the session cookie Secure when the site is served over https', async () => {
    const { compose } = await import('../main.js');
    const pino = (await import('pino')).default;
    const { createPasswordHasher, TEST_ARGON } = await import('./passwords.js');
    const { app } = compose({
      conn: t.conn,
      baseUrl: 'https://blog.example',
      dataDir: t.dataDir,
      clock: t.clock,
      log: pino({ level: 'silent' }),
      secret: 'test-secret-test-secret-test-secret-0123',
      passwords: createPasswordHasher(TEST_ARGON),
    });
    const page = await app.request('https://blog.example/admin/sign-in');
    const pre = page.headers.getSetCookie().map(parseSetCookie)[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const res = await app.request('https://blog.example/admin/sign-in', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://blog.example',
        cookie: `${pre?.name}=${pre?.value}`,
      },
      body: new URLSearchParams({ _csrf: token, email: owner.email, password: PASSWORD }),
    });
    assert.equal(res.status, 303);
    const cookie = res.headers
      .getSetCookie()
      .map(parseSetCookie)
      .find((c) => c.name === 'hearth_session');
    assert.ok(cookie?.attributes.has('secure'));
  });

  it('slides the session forward as it is used and records when it was last seen', async () => {
    const b = new Browser(t);
    await b.signIn(owner.email);
    const first = await t.conn.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', hashToken(b.jar.cookies.get('hearth_session') ?? ''))
      .executeTakeFirstOrThrow();
    t.clock.advance(29 * 24 * 3600_000);
    assert.equal((await b.get('/admin/')).status, 200);
    const touched = await t.conn.db.selectFrom('sessions').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
    assert.equal(touched.last_seen_at, t.clock.now());
    assert.equal(touched.expires_at, t.clock.now() + AUTH_POLICY.sessionTtlMs);
    t.clock.advance(29 * 24 * 3600_000);
    assert.equal((await b.get('/admin/')).status, 200, 'still signed in 58 days after signing in');
    t.clock.advance(31 * 24 * 3600_000);
    assert.equal((await b.get('/admin/')).status, 303, 'a session unused for 31 days has ended');
  });
});

describe('forms of the workspace are protected against forgery', () => {
  let t: TestApp;
  let owner: Staff;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
  });
  after(() => t.close());

  it('refuses a form without the CSRF token with 403', async () => {
    const b = new Browser(t);
    await b.signIn(owner.email);
    await b.get('/admin/settings');
    const res = await b.post(
      '/admin/settings/site',
      { title: 'Forged', description: '', navigation: '', footer: '', postsPerPage: '10' },
      { csrf: null },
    );
    assert.equal(res.status, 403);
    assert.notEqual((await t.services.settings.site()).title, 'Forged');
  });

  it('refuses a form whose token belongs to another session', async () => {
    const mine = new Browser(t);
    await mine.signIn(owner.email);
    const other = new Browser(t);
    await other.signIn(owner.email);
    await other.get('/admin/settings');
    const res = await mine.post(
      '/admin/settings/site',
      { title: 'Forged', description: '', navigation: '', footer: '', postsPerPage: '10' },
      { csrf: other.csrf },
    );
    assert.equal(res.status, 403);
  });

  it('refuses a form with the right token sent from a foreign Origin', async () => {
    const b = new Browser(t);
    await b.signIn(owner.email);
    await b.get('/admin/settings');
    const fields = { title: 'From elsewhere', description: '', navigation: '', footer: '', postsPerPage: '10' };
    assert.equal((await b.post('/admin/settings/site', fields, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await b.post('/admin/settings/site', fields)).status, 303, 'the same form from the site itself is accepted');
    assert.equal((await t.services.settings.site()).title, 'From elsewhere');
  });

  it('protects the sign-in form too, before any session exists', async () => {
    const b = new Browser(t);
    await b.get('/admin/sign-in');
    assert.equal((await b.post('/admin/sign-in', { email: owner.email, password: PASSWORD }, { csrf: null })).status, 403);
    assert.equal(
      (await b.post('/admin/sign-in', { email: owner.email, password: PASSWORD }, { origin: 'https://evil.example' })).status,
      403,
    );
  });

  it('signs out with a POST, and the old cookie no longer opens the workspace', async () => {
    const b = new Browser(t);
    await b.signIn(owner.email);
    const cookie = b.jar.header();
    await b.get('/admin/');
    const out = await b.post('/admin/sign-out', {});
    assert.equal(out.status, 303);
    assert.equal(b.jar.cookies.has('hearth_session'), false);
    const replay = await t.request('/admin/', { headers: { cookie } });
    assert.equal(replay.status, 303);
  });

  it('signs out everywhere: every session of the user ends, others stay', async () => {
    const author = await makeStaff(t, 'author', 'Ada Author');
    const laptop = new Browser(t);
    const phone = new Browser(t);
    const colleague = new Browser(t);
    await laptop.signIn(owner.email);
    await phone.signIn(owner.email);
    await colleague.signIn(author.email);
    await laptop.get('/admin/');
    assert.equal((await laptop.post('/admin/sign-out-everywhere', {})).status, 303);
    assert.equal((await phone.get('/admin/')).status, 303, 'the other device is signed out');
    assert.equal((await laptop.get('/admin/')).status, 303);
    assert.equal((await colleague.get('/admin/')).status, 200, 'another person stays signed in');
  });
});

describe('password reset and staff invitations', () => {
  let t: TestApp;
  let owner: Staff;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
  });
  after(() => t.close());

  it('answers a reset request the same way for a known and an unknown address, and emails only the known one', async () => {
    const b = new Browser(t);
    await b.get('/admin/reset');
    const known = await b.post('/admin/reset', { email: owner.email });
    const knownText = (await known.text()).replace(owner.email, 'X');
    const unknown = await b.post('/admin/reset', { email: 'stranger@example.com' });
    const unknownText = (await unknown.text()).replace('stranger@example.com', 'X');
    assert.equal(known.status, 200);
    assert.equal(unknown.status, 200);
    assert.equal(knownText.replace(/value="[^"]*"/g, ''), unknownText.replace(/value="[^"]*"/g, ''));
    assert.equal((await mailedLinks(t, owner.email)).length, 1);
    assert.equal((await mailedLinks(t, 'stranger@example.com')).length, 0);
  });

  it('sets a new password through the link once, signs out other sessions, and stores the token only hashed', async () => {
    const other = new Browser(t);
    await other.signIn(owner.email);
    const b = new Browser(t);
    await b.get('/admin/reset');
    await b.post('/admin/reset', { email: owner.email });
    const link = (await mailedLinks(t, owner.email)).at(-1)?.link ?? '';
    const token = pathOf(link).split('/').at(-1) ?? '';
    const stored = await t.conn.db.selectFrom('account_links').select('token_hash').execute();
    assert.ok(stored.every((r) => r.token_hash !== token));
    const form = await b.get(pathOf(link));
    assert.equal(form.status, 200);
    const short = await b.post(pathOf(link), { password: 'short' });
    assert.equal(short.status, 422, 'a too short password is refused and the link still works');
    const done = await b.post(pathOf(link), { password: 'a brand new passphrase' });
    assert.equal(done.status, 303);
    assert.equal((await b.get('/admin/')).status, 200, 'the browser that reset is signed in');
    assert.equal((await other.get('/admin/')).status, 303, 'other sessions are signed out');
    assert.equal((await new Browser(t).signIn(owner.email, 'a brand new passphrase')).status, 303);
    assert.equal((await new Browser(t).signIn(owner.email, PASSWORD)).status, 401);
    const again = new Browser(t);
    await again.get('/admin/sign-in');
    assert.equal((await again.get(pathOf(link))).status, 404, 'the link works once');
    assert.equal((await again.post(pathOf(link), { password: 'yet another passphrase' })).status, 404);
  });

  it('sends at most three reset emails per account in 15 minutes, answering the same each time', async () => {
    const member = await makeStaff(t, 'author', 'Flo Flooded');
    const b = new Browser(t);
    await b.get('/admin/reset');
    for (let i = 0; i < 5; i++) assert.equal((await b.post('/admin/reset', { email: member.email })).status, 200);
    assert.equal((await mailedLinks(t, member.email)).length, AUTH_POLICY.maxResetsPerWindow);
    t.clock.advance(AUTH_POLICY.resetWindowMs + 1000);
    await b.post('/admin/reset', { email: member.email });
    assert.equal((await mailedLinks(t, member.email)).length, AUTH_POLICY.maxResetsPerWindow + 1);
  });

  it('lets a reset link expire after one hour', async () => {
    const b = new Browser(t);
    await b.get('/admin/reset');
    await b.post('/admin/reset', { email: owner.email });
    const link = (await mailedLinks(t, owner.email)).at(-1)?.link ?? '';
    t.clock.advance(AUTH_POLICY.resetTtlMs - 1000);
    assert.equal((await b.get(pathOf(link))).status, 200, 'still valid just before the hour');
    t.clock.advance(2000);
    assert.equal((await b.get(pathOf(link))).status, 404);
    assert.equal((await b.post(pathOf(link), { password: 'too late a passphrase' })).status, 404);
  });

  it('invites a staff member who sets her password through the emailed link and signs in with her role', async () => {
    const b = new Browser(t);
    await b.signIn(owner.email, 'a brand new passphrase');
    await b.get('/admin/staff');
    const res = await b.post('/admin/staff/invite', { email: 'Mina@Example.com', name: 'Mina Moss', role: 'moderator' });
    assert.equal(res.status, 303);
    const row = await t.conn.db.selectFrom('users').selectAll().where('email', '=', 'mina@example.com').executeTakeFirstOrThrow();
    assert.equal(row.role, 'moderator');
    assert.equal(row.password_hash, null);
    const [mail] = await mailedLinks(t, 'mina@example.com');
    assert.equal(mail?.type, 'invitation');
    assert.equal((await new Browser(t).signIn('mina@example.com', '')).status, 401, 'no password, no sign-in');
    const mina = new Browser(t);
    const page = await mina.get(pathOf(mail?.link ?? ''));
    assert.match(await page.text(), /Welcome, Mina Moss/);
    assert.equal((await mina.post(pathOf(mail?.link ?? ''), { password: 'minas own passphrase' })).status, 303);
    const home = await mina.get('/admin/');
    assert.equal(home.status, 200);
    const html = await home.text();
    assert.match(html, /Comments awaiting moderation/);
    assert.doesNotMatch(html, /href="\/admin\/posts"/, 'a moderator sees no Posts item');
    assert.doesNotMatch(html, /href="\/admin\/settings"/);
    assert.equal((await new Browser(t).signIn('mina@example.com', 'minas own passphrase')).status, 303);
  });

  it('lets an account made without a password sign in through the reset flow', async () => {
    const noPassword = await t.services.accounts.addUser({ email: 'cli@example.com', name: 'Cli User', role: 'author', password: null });
    const b = new Browser(t);
    await b.get('/admin/reset');
    await b.post('/admin/reset', { email: noPassword.email });
    const link = (await mailedLinks(t, noPassword.email)).at(-1)?.link ?? '';
    assert.equal((await b.post(pathOf(link), { password: 'first ever passphrase' })).status, 303);
    assert.equal((await b.get('/admin/posts')).status, 200);
  });
});
