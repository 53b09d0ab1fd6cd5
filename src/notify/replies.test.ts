import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { approve, ownerWithToken, testWorker, writeComment } from '../../test/kits/notify.js';
import { header, linksIn, recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';
import { countByStatus } from './outbox-store.js';
import type { OutboxWorker } from './worker.js';

/** Follows an emailed link like a person: the GET page, then its button (a POST form). */
async function followAndPress(t: TestApp, link: string): Promise<Response> {
  const page = await t.request(link);
  assert.equal(page.status, 200, `GET ${link}`);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  assert.ok(form, 'the page offers a button');
  const action = (form[1] ?? '').replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const m of (form[2] ?? '').matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)) fields.set(m[1] ?? '', m[2] ?? '');
  return t.request(action, { method: 'POST', body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const to = (smtp: TestSmtp, address: string) => smtp.messages.filter((m) => recipient(m) === address);

describe('emails about conversations', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: OutboxWorker;
  let author: Staff;
  let post: PostRow;
  before(async () => {
    smtp = await startTestSmtp();
  });
  after(() => smtp.close());
  beforeEach(async () => {
    t = await testApp();
    smtp.messages.length = 0;
    worker = testWorker(t, { smtpUrl: smtp.url });
    author = await makeStaff(t, 'author', 'Rosa Vale');
    post = await makePost(t, author, { title: 'On waiting', slug: 'on-waiting' });
  });
  afterEach(() => t.close());

  it('asks a writer who ticked "email me replies" to confirm, then sends her the replies, with one-click unsubscribe', async () => {
    const maya = await writeComment(t, {
      post,
      name: 'Maya',
      email: 'Maya@Example.org',
      notify: true,
      markdown: 'How long should I wait?',
    });
    await worker.drainUntilIdle();
    const [confirm] = to(smtp, 'maya@example.org');
    assert.ok(confirm, 'a confirmation was sent');
    assert.match(confirm.subject ?? '', /Confirm: email me replies on “On waiting”/);
    assert.equal(header(confirm, 'List-Unsubscribe'), '', 'a confirmation is not a list');

    // Before she confirms, a reply brings her nothing.
    await writeComment(t, { post, parent: maya, name: 'Tomas', email: 'tomas@example.org', markdown: 'Me too.' });
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'maya@example.org').length, 1);

    const [confirmLink] = linksIn(confirm, `${TEST_BASE_URL}/subscribe/confirm`);
    assert.ok(confirmLink);
    const confirmed = await followAndPress(t, confirmLink);
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /you are subscribed/);
    assert.equal((await t.request(confirmLink)).status, 404, 'a confirmation link works once');

    const reply = await writeComment(t, { post, parent: maya, staff: author, markdown: 'Not *that* long, Maya.' });
    await worker.drainUntilIdle();
    const replies = to(smtp, 'maya@example.org').slice(1);
    assert.equal(replies.length, 1);
    const [mail] = replies;
    assert.ok(mail);
    assert.match(mail.subject ?? '', /Rosa Vale replied on “On waiting”/);
    assert.match(mail.text ?? '', /> Not that long, Maya\./, 'the reply as plain text, not Markdown');
    assert.match(String(mail.html), /<em>that<\/em>/, 'the sanitized HTML of the reply');
    assert.ok(linksIn(mail, `${TEST_BASE_URL}/on-waiting/#comment-${reply.id}`).length > 0, 'a link to the reply');
    assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const listUnsubscribe = /<([^>]+)>/.exec(header(mail, 'List-Unsubscribe'))?.[1];
    assert.ok(listUnsubscribe?.startsWith(`${TEST_BASE_URL}/unsubscribe?token=`));
    assert.ok(mail.messageId?.endsWith('@hearth.test>'));
    assert.doesNotMatch(mail.text ?? '', /tomas@example\.org/, 'addresses are never shown');

    // Another reply: its email is queued (one pass fans the event out), and then she unsubscribes
    // with the mail client's one-click POST before it goes.
    await writeComment(t, { post, parent: maya, name: 'Tomas', email: 'tomas@example.org', markdown: 'Another thought.' });
    await worker.drainOnce();
    assert.equal((await countByStatus(t.conn.db, 'mail')).queued, 2, 'to Maya, and to the post’s author');
    const oneClick = await t.request(listUnsubscribe ?? '', {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(oneClick.status, 200);
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'maya@example.org').length, 2, 'checked at send time: nothing after the unsubscribe');
    assert.equal((await countByStatus(t.conn.db, 'mail')).skipped, 1);
  });

  it('shows a page with a button for an unsubscribe link, and changes nothing on GET', async () => {
    const maya = await writeComment(t, { post, email: 'maya@example.org', notify: true });
    await worker.drainUntilIdle();
    const [link] = linksIn(to(smtp, 'maya@example.org')[0]!, `${TEST_BASE_URL}/subscribe/confirm`);
    await followAndPress(t, link ?? '');
    await writeComment(t, { post, parent: maya, email: 'other@example.org' });
    await worker.drainUntilIdle();
    const notice = to(smtp, 'maya@example.org')[1]!;
    const [stopThread, stopAll] = linksIn(notice, `${TEST_BASE_URL}/unsubscribe`);
    assert.ok(stopThread && stopAll && stopThread !== stopAll);
    const page = await t.request(stopThread);
    assert.match(await page.text(), /<button type="submit">Unsubscribe<\/button>/);
    await writeComment(t, { post, parent: maya, email: 'other@example.org' });
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'maya@example.org').length, 3, 'opening the page unsubscribed nothing');
    assert.equal((await followAndPress(t, stopAll)).status, 200);
    await writeComment(t, { post, parent: maya, email: 'other@example.org' });
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'maya@example.org').length, 3, 'unsubscribed from everything');
    assert.equal((await t.request('/unsubscribe?token=forged.token')).status, 404);
  });

  it('does not email the writer of a reply about her own reply', async () => {
    const maya = await writeComment(t, { post, email: 'maya@example.org', notify: true });
    await worker.drainUntilIdle();
    await followAndPress(t, linksIn(to(smtp, 'maya@example.org')[0]!, `${TEST_BASE_URL}/subscribe/confirm`)[0]!);
    await writeComment(t, { post, parent: maya, email: 'maya@example.org', markdown: 'Adding to my own words.' });
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'maya@example.org').length, 1);
  });

  it('asks for confirmation when a held comment is posted, and not again when it is approved', async () => {
    const held = await writeComment(t, { post, email: 'june@example.org', notify: true, status: 'pending' });
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'june@example.org').length, 1);
    t.clock.advance(60 * 60_000);
    await approve(t, held);
    await worker.drainUntilIdle();
    assert.equal(to(smtp, 'june@example.org').length, 1);
    // Her first link still works.
    const res = await followAndPress(t, linksIn(to(smtp, 'june@example.org')[0]!, `${TEST_BASE_URL}/subscribe/confirm`)[0]!);
    assert.equal(res.status, 200);
  });

  it('tells a reader whose private question was answered, without any opt-in', async () => {
    const question = await writeComment(t, { post, email: 'ines@example.org', visibility: 'private', markdown: 'May I ask you alone?' });
    await writeComment(t, { post, parent: question, staff: author, visibility: 'private', markdown: 'Of course you may.' });
    await worker.drainUntilIdle();
    const [mail] = to(smtp, 'ines@example.org');
    assert.ok(mail);
    assert.match(mail.subject ?? '', /Your question on “On waiting” was answered/);
    assert.match(mail.text ?? '', /May I ask you alone\?[\s\S]*Of course you may\./);
    assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
  });

  it('tells the post’s author about a reader’s comment at once, or in the next daily digest when she chose that', async () => {
    await writeComment(t, { post, name: 'Maya', markdown: 'Thank you for this.' });
    await worker.drainUntilIdle();
    const [now] = to(smtp, author.email);
    assert.match(now?.subject ?? '', /Maya commented on “On waiting”/);
    assert.ok(header(now!, 'List-Unsubscribe'));

    const { auth } = await ownerWithToken(t);
    const patched = await t.request('/api/v1/admin/settings/email', {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ authorNotifications: 'daily' }),
    });
    assert.equal(patched.status, 200);
    await writeComment(t, { post, name: 'Lena', markdown: 'A second voice.' });
    await worker.drainUntilIdle();
    assert.equal(to(smtp, author.email).length, 1, 'nothing at once');
    t.clock.advance(24 * 60 * 60_000);
    await worker.drainUntilIdle();
    const digest = to(smtp, author.email)[1];
    assert.ok(digest, 'the daily digest came');
    assert.match(digest.subject ?? '', /new comments? on your posts/);
    assert.match(digest.text ?? '', /Lena on “On waiting”/);
  });

  it('tells the owners and the post’s author once about comments held in the same window', async () => {
    const { staff: owner } = await ownerWithToken(t);
    await writeComment(t, { post, status: 'pending', markdown: 'First held.' });
    t.clock.advance(60_000);
    await writeComment(t, { post, status: 'pending', markdown: 'Second held.' });
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, 0, 'held until the window closes');
    t.clock.advance(10 * 60_000);
    await worker.drainUntilIdle();
    for (const who of [owner.email, author.email]) {
      const mails = to(smtp, who);
      assert.equal(mails.length, 1, who);
      assert.match(mails[0]?.subject ?? '', /2 comments await moderation/);
    }
  });

  it('fans a burst of comments out in batches: each told to the author once, the held ones in one email, one gone before its turn to no one', async () => {
    const { staff: owner } = await ownerWithToken(t);
    const readers = Array.from({ length: 30 }, (_, i) => `Reader ${i + 1}`);
    for (const name of readers) await writeComment(t, { post, name, markdown: `Words from ${name}.` });
    await writeComment(t, { post, status: 'pending', markdown: 'First held.' });
    await writeComment(t, { post, status: 'pending', markdown: 'Second held.' });
    const gone = await writeComment(t, { post, name: 'Gone', markdown: 'Withdrawn at once.' });
    await t.conn.db.updateTable('comments').set({ status: 'trash' }).where('id', '=', gone.id).execute();

    await worker.drainUntilIdle();
    t.clock.advance(10 * 60_000);
    await worker.drainUntilIdle();
    const told = to(smtp, author.email).filter((m) => /commented on/.test(m.subject ?? ''));
    assert.deepEqual(told.map((m) => /^(.*) commented on/.exec(m.subject ?? '')?.[1]).sort(), [...readers].sort());
    for (const who of [owner.email, author.email]) {
      const held = to(smtp, who).filter((m) => /await moderation/.test(m.subject ?? ''));
      assert.equal(held.length, 1, who);
      assert.match(held[0]?.subject ?? '', /2 comments await moderation/);
    }
    assert.ok(!smtp.messages.some((m) => /Gone/.test(m.subject ?? '')));
    assert.deepEqual(await countByStatus(t.conn.db, 'mail'), { sent: 32 });
  });

  it('sends the awaiting-reply digest each day to staff who opted in', async () => {
    await writeComment(t, { post, name: 'Maya', markdown: 'Still waiting here.' });
    await t.conn.db
      .insertInto('threads')
      .values({
        root_id: 'x',
        post_id: post.id,
        last_reader_at: t.clock.now(),
        last_staff_at: null,
        awaiting_since: t.clock.now(),
        awaiting_comment_id: null,
        reply_count: 0,
      })
      .execute()
      .catch(() => {});
    const waiting = await t.conn.db.selectFrom('comments').select('id').executeTakeFirstOrThrow();
    await t.conn.db
      .updateTable('threads')
      .set({ awaiting_comment_id: waiting.id, awaiting_since: t.clock.now() })
      .where('root_id', '=', 'x')
      .execute();
    const { token } = await t.services.accounts.createToken(author.email);
    const optIn = await t.request('/api/v1/admin/me/notifications', {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ digest: true, comments: false }),
    });
    assert.deepEqual(await optIn.json(), { comments: false, moderation: true, digest: true });
    t.clock.advance(24 * 60 * 60_000);
    await worker.drainUntilIdle();
    const mails = to(smtp, author.email);
    assert.equal(mails.length, 1, 'the digest, and no single comment email (turned off)');
    assert.match(mails[0]?.subject ?? '', /One reader is waiting for your answer/);
    assert.match(mails[0]?.text ?? '', /Maya on “On waiting”, waiting 24 hours/);
  });
});
