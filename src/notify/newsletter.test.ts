import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { ownerWithToken, testWorker, writeComment } from '../../test/kits/notify.js';
import { header, linksIn, recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import type { OutboxWorker } from './worker.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('the newsletter and a reader’s data', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: OutboxWorker;
  before(async () => {
    smtp = await startTestSmtp();
  });
  after(() => smtp.close());
  beforeEach(async () => {
    t = await testApp();
    smtp.messages.length = 0;
    worker = testWorker(t, { smtpUrl: smtp.url });
  });
  afterEach(() => t.close());

  it('subscribes through the form with double opt-in, and ignores a robot that fills the honeypot', async () => {
    const page = await t.request('/subscribe');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/subscribe"[^>]*data-subscribe-form/);
    const robot = await t.request('/subscribe', form({ email: 'bot@example.org', website: 'http://spam.example' }));
    assert.equal(robot.status, 303);
    const person = await t.request('/subscribe', form({ email: 'Ada@Example.org', website: '' }));
    assert.equal(person.status, 303);
    assert.equal(person.headers.get('location'), '/subscribe?sent=1');
    const again = await t.request('/subscribe', form({ email: 'ada@example.org', website: '' }));
    assert.equal(again.status, 303);
    const bad = await t.request('/subscribe', form({ email: 'not an address', website: '' }));
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /value="not an address"/, 'the text is kept');
    await worker.drainUntilIdle();
    assert.deepEqual(
      smtp.messages.map((m) => recipient(m)),
      ['ada@example.org'],
      'one confirmation, to the person only',
    );
    const [link] = linksIn(smtp.messages[0]!, `${TEST_BASE_URL}/subscribe/confirm`);
    const confirmPage = await t.request(link ?? '');
    const token = /name="token" value="([^"]+)"/.exec(await confirmPage.text())?.[1] ?? '';
    const confirmed = await t.request('/subscribe/confirm', form({ token }));
    assert.equal(confirmed.status, 200);
    const { auth } = await ownerWithToken(t);
    const list = (await (await t.request('/api/v1/admin/subscribers?status=confirmed', { headers: auth })).json()) as {
      items: { email: string }[];
      total: number;
    };
    assert.deepEqual(
      list.items.map((i) => i.email),
      ['ada@example.org'],
    );
  });

  it('refuses the subscribe and my-data forms sent from another site with 403 and a page that says why, mailing nobody', async () => {
    const foreign = (fields: Record<string, string>, headers: Record<string, string>) => {
      const sent = form(fields);
      return { ...sent, headers: { ...sent.headers, ...headers } };
    };
    for (const path of ['/subscribe', '/my-data']) {
      const res = await t.request(path, foreign({ email: 'victim@example.org', website: '' }, { origin: 'https://evil.example' }));
      assert.equal(res.status, 403, path);
      assert.match(await res.text(), /This form was sent from another site, so it was not accepted/);
      const byReferer = await t.request(path, foreign({ email: 'victim@example.org', website: '' }, { referer: 'https://evil.example/x' }));
      assert.equal(byReferer.status, 403, `${path} with a foreign Referer`);
    }
    const own = await t.request('/subscribe', foreign({ email: 'own@example.org', website: '' }, { origin: TEST_BASE_URL }));
    assert.equal(own.status, 303, 'the form from the site itself is accepted');
    await worker.drainUntilIdle();
    assert.deepEqual(
      smtp.messages.map((m) => recipient(m)),
      ['own@example.org'],
    );
  });

  it('sends a post to confirmed subscribers in throttled batches, once per subscriber however often it is asked', async () => {
    const { auth } = await ownerWithToken(t);
    const csv = 'email,name\r\none@example.org,One\r\ntwo@example.org,Two\r\nthree@example.org,Three\r\nnot-an-address,X\r\n';
    const imported = await t.request('/api/v1/admin/subscribers/import', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.deepEqual(await imported.json(), { added: 3, existing: 0, skipped: 0, invalid: ['not-an-address'] });
    await t.request('/api/v1/admin/settings/email', {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ newsletterBatchSize: 2, newsletterBatchIntervalSeconds: 60 }),
    });
    const author = await makeStaff(t, 'author');
    const post = await makePost(t, author, { title: 'Letters from the hearth', slug: 'letters', markdown: 'A *warm* word.' });
    const send = () => t.request(`/api/v1/admin/posts/${post.id}/send-newsletter`, { method: 'POST', headers: auth });
    const res = await send();
    assert.equal(res.status, 202);
    assert.equal(((await res.json()) as { subscribers: number }).subscribers, 3);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 2, 'the first batch only');
    t.clock.advance(60_000);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 3, 'the second batch after the interval');
    assert.equal((await send()).status, 202);
    t.clock.advance(60_000);
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 3, 'sent once per subscriber');

    const mail = smtp.messages.find((m) => recipient(m) === 'two@example.org');
    assert.ok(mail);
    assert.equal(mail.subject, 'Letters from the hearth');
    assert.match(String(mail.html), /<em>warm<\/em>/);
    assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const unsubscribe = /<([^>]+)>/.exec(header(mail, 'List-Unsubscribe'))?.[1] ?? '';
    assert.equal((await t.request(unsubscribe, form({ 'List-Unsubscribe': 'One-Click' }))).status, 200);
    const exported = await (await t.request('/api/v1/admin/subscribers/export', { headers: auth })).text();
    assert.match(exported, /^email,status,subscribed_at,confirmed_at\r\n/);
    assert.match(exported, /two@example\.org,unsubscribed,/);
    assert.match(exported, /one@example\.org,confirmed,/);

    const reimport = await t.request('/api/v1/admin/subscribers/import', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(((await reimport.json()) as { skipped: number }).skipped, 1, 'an unsubscribed address is not brought back by an import');
  });

  it('lets only the owner or the post’s author send it, and only once published', async () => {
    const author = await makeStaff(t, 'author');
    const other = await makeStaff(t, 'author', 'Other Author');
    const { token } = await t.services.accounts.createToken(other.email);
    const post = await makePost(t, author);
    const draft = await makePost(t, author, { status: 'draft' });
    const byOther = await t.request(`/api/v1/admin/posts/${post.id}/send-newsletter`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(byOther.status, 403);
    const { token: own } = await t.services.accounts.createToken(author.email);
    const ofDraft = await t.request(`/api/v1/admin/posts/${draft.id}/send-newsletter`, {
      method: 'POST',
      headers: { authorization: `Bearer ${own}` },
    });
    assert.equal(ofDraft.status, 409);
  });

  it('emails a reader a link to export or erase her comments, and erases them anonymized', async () => {
    const author = await makeStaff(t, 'author');
    const post = await makePost(t, author, { slug: 'on-data' });
    await writeComment(t, { post, name: 'Nora', email: 'nora@example.org', markdown: 'My own words.' });
    await worker.drainUntilIdle();
    smtp.messages.length = 0;
    assert.equal((await t.request('/my-data')).status, 200);
    const asked = await t.request('/my-data', form({ email: 'nora@example.org', website: '' }));
    assert.equal(asked.status, 303);
    const stranger = await t.request('/my-data', form({ email: 'nobody@example.org', website: '' }));
    assert.equal(stranger.headers.get('location'), asked.headers.get('location'), 'the answer does not tell who commented');
    await worker.drainUntilIdle();
    assert.deepEqual(
      smtp.messages.map((m) => recipient(m)),
      ['nora@example.org'],
    );
    const [manage] = linksIn(smtp.messages[0]!, `${TEST_BASE_URL}/my-data/manage`);
    const token = new URL(manage ?? '').searchParams.get('token') ?? '';
    assert.match(await (await t.request(manage ?? '')).text(), /You wrote 1 comment here/);
    const exported = await t.request(`/my-data/export?token=${encodeURIComponent(token)}`);
    assert.match(exported.headers.get('content-disposition') ?? '', /attachment/);
    const data = (await exported.json()) as { email: string; comments: { markdown: string; authorName: string }[] };
    assert.equal(data.email, 'nora@example.org');
    assert.deepEqual(
      data.comments.map((c) => c.markdown),
      ['My own words.'],
    );
    const erased = await t.request(`/my-data/erase?token=${encodeURIComponent(token)}`, form({ mode: 'anonymize' }));
    assert.equal(erased.status, 200);
    const row = await t.conn.db.selectFrom('comments').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.author_name, 'A reader');
    assert.equal(row.author_email, '');
    assert.equal(row.ip, null);
    assert.equal(row.markdown, 'My own words.');
    t.clock.advance(24 * 60 * 60_000 + 1);
    assert.equal((await t.request(manage ?? '')).status, 404, 'the link expires after a day');
  });

  it('removes a reader’s comments when she chooses removal, keeping answered ones as a marker', async () => {
    const author = await makeStaff(t, 'author');
    const post = await makePost(t, author, { slug: 'on-removal' });
    const answered = await writeComment(t, { post, email: 'nora@example.org', markdown: 'Answered words.' });
    await writeComment(t, { post, parent: answered, staff: author, markdown: 'An answer.' });
    await writeComment(t, { post, email: 'nora@example.org', markdown: 'Lonely words.' });
    const { readerDataUrl } = await import('./links.js');
    const manage = readerDataUrl(TEST_BASE_URL, await t.services.settings.secret(), 'nora@example.org', t.clock.now());
    const token = new URL(manage).searchParams.get('token') ?? '';
    const res = await t.request(`/my-data/erase?token=${encodeURIComponent(token)}`, form({ mode: 'remove' }));
    assert.equal(res.status, 200);
    const rows = await t.conn.db.selectFrom('comments').select(['markdown', 'author_email', 'staff_user_id']).orderBy('depth').execute();
    assert.deepEqual(
      rows.map((r) => r.markdown),
      ['', 'An answer.'],
    );
    assert.equal(rows[0]?.author_email, '');
  });
});
