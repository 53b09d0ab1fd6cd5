// The rules for mail that comes in, through MailInService.receive (the one path all three doors
// share): held when the sender's server cannot vouch for it, private threads stay private,
// attachments and oversized mail, staff replies, and answers to refused mail kept to a few.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { freshDatabase, hearth } from '../../test/processes.js';
import type { Staff } from '../accounts/accounts-service.js';
import { checkReaderWords } from '../comments/comment-form.js';
import type { CommentRow, PostRow } from '../db/tables.js';
import { hashToken } from '../ids.js';
import { MAX_MESSAGE_BYTES } from './mailin-service.js';
import { makeReplyToken, replyAddressFor } from './reply-address.js';

const REPLY = 'reply@mail.hearth.test';
const SECRET = 'test-secret-test-secret-test-secret-0123';

function message(o: { from: string; to: string; text: string; id: string; extra?: string[]; attachment?: boolean }): Buffer {
  const head = [`From: ${o.from}`, `To: ${o.to}`, 'Subject: Re: your comment', `Message-ID: <${o.id}@example.org>`, ...(o.extra ?? [])];
  if (!o.attachment) return Buffer.from([...head, 'Content-Type: text/plain; charset=UTF-8', '', o.text, ''].join('\r\n'));
  return Buffer.from(
    [
      ...head,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      '--m',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      o.text,
      '--m',
      'Content-Type: application/pdf; name="cv.pdf"',
      'Content-Disposition: attachment; filename="cv.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 not really').toString('base64'),
      '--m--',
      '',
    ].join('\r\n'),
  );
}

describe('mail to a reply address', () => {
  let t: TestApp;
  let author: Staff;
  let post: PostRow;
  let question: CommentRow;
  let answer: CommentRow;
  const addressFor = (to: string, role: 'reader' | 'staff', commentId: string) =>
    replyAddressFor(REPLY, makeReplyToken(SECRET, to, role, commentId, t.clock.now()));
  const byId = (id: string) =>
    t.conn.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow() as Promise<CommentRow>;
  let n = 0;
  const readerWrites = async (email: string, visibility: 'public' | 'private' = 'public') => {
    n++;
    const r = await t.services.comments.submit({
      post,
      parentId: null,
      words: checkReaderWords({ name: 'Ines', email, website: '', body: `A question, number ${n}?` }, await t.services.comments.settings()),
      notify: false,
      private: visibility === 'private',
      honeypotFilled: false,
      credentialHash: hashToken(`browser-${n}`),
      ip: '192.0.2.9',
      userAgent: 'test',
      replyChosen: false,
    });
    const c = (r as { comment: CommentRow }).comment;
    const reply = await t.services.comments.reply(author, c.id, `An answer, number ${n}.`);
    return { question: await byId(c.id), answer: reply.comment };
  };

  before(async () => {
    t = await testApp();
    author = await t.services.accounts.addUser({
      email: 'rosa@example.com',
      name: 'Rosa Vale',
      role: 'author',
      password: 'correct horse battery',
    });
    post = await makePost(t, author, { slug: 'on-mail' });
    await t.services.mailIn.setReplyAddress(REPLY);
    ({ question, answer } = await readerWrites('ines@example.org'));
  });
  after(() => t.close());

  it('holds a reader’s reply whose DKIM check failed at her mail server, whatever the rules say', async () => {
    const got = await t.services.mailIn.receive(
      message({
        from: 'ines@example.org',
        to: addressFor('ines@example.org', 'reader', answer.id),
        text: 'Signed by nobody.',
        id: 'dkim-fail',
        extra: ['Authentication-Results: mx.hearth.test; dkim=fail (bad signature) header.d=example.org; spf=pass'],
      }),
      'pipe',
    );
    assert.equal(got.outcome, 'held');
    assert.match(got.reason, /dkim=fail/);
    const c = await byId(got.commentId as string);
    assert.equal(c.status, 'pending');
    assert.equal(c.parent_id, answer.id);
  });

  it('drops attachments with a note, and posts the words', async () => {
    const got = await t.services.mailIn.receive(
      message({
        from: 'ines@example.org',
        to: addressFor('ines@example.org', 'reader', answer.id),
        text: 'Here is my CV.',
        id: 'att',
        attachment: true,
      }),
      'pipe',
    );
    assert.equal(got.outcome, 'placed');
    const c = await byId(got.commentId as string);
    assert.equal(c.markdown, 'Here is my CV.\n\n_(An attachment was left out.)_');
    assert.doesNotMatch(c.html, /PDF/);
  });

  it('refuses a reply longer than a comment may be, with the form’s own words, and posts nothing', async () => {
    const { bodyMaxChars } = await t.services.comments.settings();
    const before = await t.conn.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const got = await t.services.mailIn.receive(
      message({
        from: 'ines@example.org',
        to: addressFor('ines@example.org', 'reader', answer.id),
        text: 'w'.repeat(bodyMaxChars + 1),
        id: 'long',
      }),
      'pipe',
    );
    assert.equal(got.outcome, 'refused');
    assert.match(got.reason, new RegExp(`the limit is ${bodyMaxChars.toLocaleString('en-US')}`));
    const after = await t.conn.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  it('keeps a private thread private: her emailed answer is private too', async () => {
    const secret = await readerWrites('pia@example.org', 'private');
    const got = await t.services.mailIn.receive(
      message({
        from: 'pia@example.org',
        to: addressFor('pia@example.org', 'reader', secret.answer.id),
        text: 'Only for you, Rosa.',
        id: 'private',
      }),
      'smtp',
    );
    const c = await byId(got.commentId as string);
    assert.equal(c.visibility, 'private');
    assert.doesNotMatch(await (await t.request('/on-mail/')).text(), /Only for you, Rosa/);
  });

  it('posts a staff member’s answer as her reply, but never one her server could not vouch for', async () => {
    const to = addressFor('rosa@example.com', 'staff', question.id);
    const refused = await t.services.mailIn.receive(
      message({
        from: 'rosa@example.com',
        to,
        text: 'Forged?',
        id: 'staff-spf',
        extra: ['Authentication-Results: mx; spf=softfail smtp.mailfrom=example.com'],
      }),
      'imap',
    );
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.reason, /spf=softfail/);
    const placed = await t.services.mailIn.receive(
      message({ from: 'Rosa <ROSA@example.com>', to, text: 'Yes, truly.', id: 'staff-ok' }),
      'imap',
    );
    assert.equal(placed.outcome, 'placed');
    const c = await byId(placed.commentId as string);
    assert.equal(c.staff_user_id, author.id);
    assert.equal(c.parent_id, question.id);
    assert.equal(c.origin, 'email');
  });

  it('shows in the thread that words came by email, and only those', async () => {
    const { question: q } = await readerWrites('ines@example.org');
    const placed = await t.services.mailIn.receive(
      message({ from: 'rosa@example.com', to: addressFor('rosa@example.com', 'staff', q.id), text: 'From my phone.', id: 'origin-shown' }),
      'imap',
    );
    const id = placed.commentId as string;
    const page = await (await t.request('/on-mail/')).text();
    const item = (cid: string) =>
      page.slice(page.indexOf(`id="comment-${cid}"`), page.indexOf('comment-body', page.indexOf(`id="comment-${cid}"`)));
    assert.match(item(id), /<span class="comment-origin">by email<\/span>/);
    assert.doesNotMatch(item(q.id), /comment-origin/);
  });

  it('refuses oversized mail unread, and answers refused mail at most three times a day per sender', async () => {
    const big = Buffer.alloc(MAX_MESSAGE_BYTES + 1, 'a');
    assert.equal((await t.services.mailIn.receive(big, 'smtp')).outcome, 'refused');
    const expired = replyAddressFor(
      REPLY,
      makeReplyToken(SECRET, 'ines@example.org', 'reader', answer.id, t.clock.now() - 200 * 86_400_000),
    );
    for (let i = 0; i < 5; i++) {
      const got = await t.services.mailIn.receive(
        message({ from: 'ines@example.org', to: expired, text: `Late ${i}.`, id: `late-${i}` }),
        'pipe',
      );
      assert.match(got.reason, /expired/);
    }
    const answers = await t.conn.db.selectFrom('outbox').select('payload').where('payload', 'like', '%mail-refused%').execute();
    assert.equal(answers.length, 3);
  });
});

describe('hearth mail receive', () => {
  it('takes a message on standard input, as an MTA pipe gives it, and says what became of it', async () => {
    const db = await freshDatabase();
    try {
      const r = await hearth(
        ['mail', 'receive'],
        { ...db.env, HEARTH_DEMO: '0' },
        [
          'From: a@example.org',
          'To: reply+abc@mail.example.com',
          'Subject: Out of office',
          'Auto-Submitted: auto-replied',
          '',
          'Away.',
          '',
        ].join('\r\n'),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^hearth: ignored: an automatic message \(Auto-Submitted: auto-replied\)$/m);
    } finally {
      await db.drop();
    }
  });
});
