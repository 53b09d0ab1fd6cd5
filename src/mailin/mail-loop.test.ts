// The whole loop with real parts: Hearth's SMTP listener, a Dovecot mailbox polled over IMAP, and a
// test SMTP server catching what Hearth sends. A reader answers her notification from her mail
// program; the author answers the "new comment" email from her mailbox; programs, forgers and
// replays change nothing visible and are listed with their reasons.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { Browser } from '../../test/cookie-jar.js';
import { DOVECOT, type Dovecot, IN_CI, startDovecot } from '../../test/dovecot.js';
import { makePost } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { testWorker } from '../../test/kits/notify.js';
import { header, linksIn, recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import type { Staff } from '../accounts/accounts-service.js';
import { checkReaderWords } from '../comments/comment-form.js';
import type { CommentRow, PostRow } from '../db/tables.js';
import { hashToken } from '../ids.js';
import type { OutboxWorker } from '../notify/worker.js';
import { createImapPoller, type ImapPoller } from './imap-poller.js';
import { type SmtpListener, startSmtpListener } from './smtp-listener.js';

const REPLY = 'reply@mail.hearth.test';
/** The comments of a post page (its form carries a fresh token on every render). */
const threadOf = (html: string) => /<section id="comments"[\s\S]*?<form data-comment-form/.exec(html)?.[0] ?? '';
const PASSWORD = 'correct horse battery';

if (!DOVECOT && !IN_CI) console.warn('!!! mail-loop.test.ts SKIPPED: dovecot is not installed (apt-get install dovecot-imapd)');

describe('replies by email, from the mailbox into the thread', { skip: !DOVECOT && !IN_CI ? 'dovecot is not installed' : false }, () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let dovecot: Dovecot;
  let listener: SmtpListener;
  let worker: OutboxWorker;
  let poller: ImapPoller;
  let author: Staff;
  let owner: Browser;
  let post: PostRow;
  const send = (
    raw: string | { from: string; to: string; subject: string; text: string; headers?: Record<string, string>; messageId?: string },
  ) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true })
      .sendMail(
        typeof raw === 'string' ? { envelope: { from: 'maya@example.org', to: [/^To: (.+)$/m.exec(raw)?.[1] ?? REPLY] }, raw } : raw,
      );
  const mailTo = (address: string) => smtp.messages.filter((m) => recipient(m) === address);
  const comments = () =>
    t.conn.db.selectFrom('comments').selectAll().orderBy('created_at').orderBy('id').execute() as Promise<CommentRow[]>;

  before(async () => {
    smtp = await startTestSmtp();
    t = await testApp();
    worker = testWorker(t, { smtpUrl: smtp.url });
    author = await t.services.accounts.addUser({ email: 'rosa@example.com', name: 'Rosa Vale', role: 'author', password: PASSWORD });
    await t.services.accounts.addUser({ email: 'olive@example.com', name: 'Olive Owner', role: 'owner', password: PASSWORD });
    owner = new Browser(t);
    await owner.signIn('olive@example.com');
    post = await makePost(t, author, { title: 'On waiting', slug: 'on-waiting' });
    dovecot = await startDovecot({ 'rosa@example.com': 'mailbox-password' });
    listener = await startSmtpListener(t.services.mailIn, { host: '127.0.0.1', port: 0 });
    poller = createImapPoller(
      { db: t.conn.db, mailIn: t.services.mailIn },
      { url: dovecot.urlFor('rosa@example.com'), doneFolder: 'Hearth', pollSeconds: 60 },
    );
  });
  after(async () => {
    await listener?.close();
    await dovecot?.close();
    await t?.close();
    await smtp?.close();
  });

  let maya: CommentRow;
  let rosaAnswer: CommentRow;
  let mayaByMail: CommentRow;
  let mayaRaw = '';

  it('the owner sets the reply address, and the Email page says whether replies by email work', async () => {
    let page = await owner.get('/admin/mail');
    assert.match(await page.text(), /Off: no reply address is set/);
    await owner.get('/admin/mail/replies');
    const bad = await owner.post('/admin/mail/replies', { replyAddress: 'not an address' });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /value="not an address"/, 'her text is kept');
    const saved = await owner.post('/admin/mail/replies', { replyAddress: REPLY });
    assert.equal(saved.status, 303);
    page = await owner.get('/admin/mail');
    assert.match(await page.text(), /Not working yet: emails say Reply-To reply\+…@mail\.hearth\.test/, 'no door in this test app');
  });

  it('a reader asks for replies by email and confirms; the author answers; the email to her has a signed Reply-To', async () => {
    const posted = await t.services.comments.submit({
      post,
      parentId: null,
      words: checkReaderWords(
        { name: 'Maya', email: 'maya@example.org', website: '', body: 'How long should I wait before answering?' },
        await t.services.comments.settings(),
      ),
      notify: true,
      private: false,
      honeypotFilled: false,
      credentialHash: hashToken('maya-browser'),
      ip: '192.0.2.7',
      userAgent: 'test',
      replyChosen: false,
    });
    assert.equal(posted.kind, 'posted');
    maya = (posted as { comment: CommentRow }).comment;
    assert.equal(maya.status, 'pending', 'held: her first comment');
    await worker.drainUntilIdle();
    const [confirm] = mailTo('maya@example.org');
    assert.ok(confirm, 'she is asked to confirm');
    const [link] = linksIn(confirm, `${TEST_BASE_URL}/subscribe/confirm`);
    const page = await t.request(link ?? '');
    const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(await page.text());
    const fields = new URLSearchParams();
    for (const m of (form?.[2] ?? '').matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)) fields.set(m[1] ?? '', m[2] ?? '');
    const confirmed = await t.request((form?.[1] ?? '').replace(/&amp;/g, '&'), {
      method: 'POST',
      body: fields,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(confirmed.status, 200);

    rosaAnswer = (await t.services.comments.reply(author, maya.id, 'A week at most, Maya.')).comment;
    await worker.drainUntilIdle();
    const reply = mailTo('maya@example.org').find((m) => /replied/.test(m.subject ?? ''));
    assert.ok(reply, 'the author’s answer reached her');
    assert.match(header(reply, 'Reply-To'), /^reply\+[a-z2-7]{40,}@mail\.hearth\.test$/);
  });

  it('her reply, Thunderbird-style with the quote below, arrives through the SMTP listener and becomes her comment under the answer', async () => {
    const reply = mailTo('maya@example.org').find((m) => /replied/.test(m.subject ?? ''));
    assert.ok(reply);
    const replyTo = header(reply, 'Reply-To');
    mayaRaw = [
      'From: Maya <Maya+blog@Example.org>',
      `To: ${replyTo}`,
      `Subject: Re: ${reply.subject}`,
      'Message-ID: <maya-1@example.org>',
      `In-Reply-To: ${reply.messageId}`,
      'User-Agent: Mozilla Thunderbird',
      'Authentication-Results: mx.hearth.test; dkim=pass header.d=example.org; spf=pass smtp.mailfrom=example.org',
      'Content-Type: text/plain; charset=UTF-8; format=flowed',
      '',
      'A week, then. Thank you, Rosa!',
      '',
      `On 03/03/2026 10:12, Rosa Vale wrote:`,
      '> A week at most, Maya.',
      '',
    ].join('\r\n');
    await send(mayaRaw);
    const rows = await comments();
    mayaByMail = rows[rows.length - 1] as CommentRow;
    assert.equal(mayaByMail.parent_id, rosaAnswer.id, 'under the author’s answer');
    assert.equal(mayaByMail.author_email, 'maya@example.org');
    assert.equal(mayaByMail.author_name, 'Maya', 'signed as she signs on the site');
    assert.equal(mayaByMail.markdown, 'A week, then. Thank you, Rosa!', 'the quote is stripped');
    assert.equal(mayaByMail.status, 'published', 'not her first comment any more: the same rules as the form');
  });

  it('the author answers the "new comment" email from her mailbox; Hearth polls it over IMAP and posts her reply with the Author badge', async () => {
    await worker.drainUntilIdle();
    const notice = mailTo('rosa@example.com').find((m) => (m.text ?? '').includes('A week, then.'));
    assert.ok(notice, 'the author was told of the new comment');
    const replyTo = header(notice, 'Reply-To');
    assert.match(replyTo, /^reply\+[a-z2-7]+@mail\.hearth\.test$/);
    const imap = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: 'rosa@example.com', pass: 'mailbox-password' },
      logger: false,
    });
    await imap.connect();
    await imap.append(
      'INBOX',
      [
        'From: Rosa Vale <rosa@example.com>',
        `To: ${replyTo}`,
        `Subject: Re: ${notice.subject}`,
        'Message-ID: <rosa-1@example.com>',
        'Content-Type: text/html; charset=UTF-8',
        '',
        '<div dir="ltr">See you then, <b>Maya</b>.</div><br><div class="gmail_quote"><div class="gmail_attr">On Tue, Mar 3, 2026 at 10:20 AM Hearth wrote:<br></div><blockquote class="gmail_quote">A week, then. Thank you, Rosa!</blockquote></div>',
        '',
      ].join('\r\n'),
    );
    assert.equal(await poller.pollOnce(), 1);
    const count = async (folder: string) => {
      const status = await imap.status(folder, { messages: true });
      return status === false ? -1 : status.messages;
    };
    assert.equal(await count('Hearth'), 1, 'the handled message was moved to the Hearth folder');
    assert.equal(await count('INBOX'), 0);
    await imap.logout();

    const rows = await comments();
    const rosaByMail = rows[rows.length - 1] as CommentRow;
    assert.equal(rosaByMail.parent_id, mayaByMail.id);
    assert.equal(rosaByMail.staff_user_id, author.id);
    assert.equal(rosaByMail.status, 'published');
    assert.equal(rosaByMail.markdown, 'See you then, Maya.');
    const inbox = await t.services.comments.inbox(author, { limit: 10, after: undefined });
    assert.equal(inbox.items.length, 0, 'the thread is answered');
    const thread = await (await t.request('/on-waiting/')).text();
    assert.match(thread, new RegExp(`id="comment-${rosaByMail.id}"[\\s\\S]*?class="badge">Author<`), 'with the Author badge');
    await worker.drainUntilIdle();
    assert.ok(
      mailTo('maya@example.org').some((m) => (m.text ?? '').includes('See you then')),
      'her answer reached the reader',
    );
    assert.equal(await poller.pollOnce(), 0, 'nothing left to poll');
  });

  it('an out-of-office, a bounce, a forged From and a replayed message change nothing visible, and are listed with their reasons', async () => {
    const reply = mailTo('maya@example.org').find((m) => /replied/.test(m.subject ?? ''));
    const replyTo = header(reply ?? (smtp.messages[0] as never), 'Reply-To');
    // A message to an address that later fails: its bounce is believed.
    await t.services.notify.mail.sendPasswordReset({ to: 'gone@example.net', name: 'Gone', link: `${TEST_BASE_URL}/admin/reset/x` });
    await worker.drainUntilIdle();
    const before = await comments();
    const pageBefore = await (await t.request('/on-waiting/')).text();
    const mailsBefore = smtp.messages.length;

    await send({
      from: 'Maya <maya@example.org>',
      to: replyTo,
      subject: 'Out of office: Re: Rosa Vale replied',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      `To: ${REPLY}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.example.net>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--r',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; gone@example.net',
      'Action: failed',
      'Status: 5.1.1',
      '',
      'Final-Recipient: rfc822; stranger@example.net',
      'Action: failed',
      'Status: 5.1.1',
      '--r--',
      '',
    ].join('\r\n');
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true })
      .sendMail({ envelope: { from: '', to: [REPLY] } as never, raw: dsn });
    await send({
      from: 'Mallory <mallory@example.net>',
      to: replyTo,
      subject: 'Re: hi',
      text: 'Buy cheap watches.',
      messageId: '<forged@example.net>',
    });
    await send(mayaRaw);

    assert.deepEqual(
      (await comments()).map((c) => c.id),
      before.map((c) => c.id),
      'no new comment',
    );
    assert.equal(threadOf(await (await t.request('/on-waiting/')).text()), threadOf(pageBefore), 'the thread looks the same');
    const suppressed = await t.conn.db.selectFrom('email_suppressions').select('email').execute();
    assert.deepEqual(
      suppressed.map((r) => r.email),
      ['gone@example.net'],
      'the bounce fed the suppression list',
    );
    await worker.drainUntilIdle();
    assert.equal(smtp.messages.length, mailsBefore, 'no program and no forger is answered');

    const list = await (await owner.get('/admin/mail/unplaced')).text();
    const reasons = [...list.matchAll(/<td class="unplaced-reason">([^<]*)<\/td>/g)].map((m) => m[1] ?? '');
    assert.equal(reasons.length, 4);
    assert.ok(
      reasons.some((r) => /Auto-Submitted: auto-replied/.test(r)),
      'the out-of-office',
    );
    assert.ok(
      reasons.some((r) => /bounce.*gone@example\.net will get no more email; ignored for stranger@example\.net/.test(r)),
      'the bounce',
    );
    assert.ok(
      reasons.some((r) => /mallory@example\.net, but the reply address was given to someone else/.test(r)),
      'the forgery',
    );
    assert.ok(
      reasons.some((r) => /same message \(&lt;maya-1@example\.org&gt;\) arrived before/.test(r)),
      'the replay',
    );
  });

  it('a refused message from a person can be placed by the owner, and is answered once', async () => {
    const reply = mailTo('maya@example.org').find((m) => /replied/.test(m.subject ?? ''));
    const replyTo = header(reply ?? (smtp.messages[0] as never), 'Reply-To');
    const mailsBefore = smtp.messages.length;
    // Comments closed: the form would refuse her too; she is told why.
    await t.conn.db.updateTable('posts').set({ comments_mode: 'closed' }).where('id', '=', post.id).execute();
    await send({
      from: 'maya@example.org',
      to: replyTo,
      subject: 'Re: one more',
      text: 'One more thought.',
      messageId: '<maya-2@example.org>',
    });
    await worker.drainUntilIdle();
    const answers = smtp.messages.slice(mailsBefore);
    assert.equal(answers.length, 1);
    assert.match(answers[0]?.subject ?? '', /^Not posted: Re: one more/);
    assert.match(answers[0]?.text ?? '', /Comments are closed on this post/);
    await t.conn.db.updateTable('posts').set({ comments_mode: 'open' }).where('id', '=', post.id).execute();

    const list = await (await owner.get('/admin/mail/unplaced')).text();
    const action = /action="(\/admin\/mail\/unplaced\/[0-9a-f-]+\/place)"/.exec(list)?.[1];
    assert.ok(action, 'a Place it button');
    const placed = await owner.post(action, {});
    assert.equal(placed.status, 303);
    const rows = await comments();
    assert.equal(rows[rows.length - 1]?.markdown, 'One more thought.');
    const emailPage = await (await owner.get('/admin/mail')).text();
    assert.match(
      emailPage,
      /Working: conversation emails say Reply-To reply\+…@mail\.hearth\.test, and replies come in through an SMTP listener in another process/,
    );
  });
});
