// The whole loop the way people make it: a first-time reader asks through the comment form and
// ticks "email me replies"; she is held, approved, confirms by email; the author answers through
// the API; the answer arrives by real SMTP; one click unsubscribes her, and nothing more arrives.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboxWorker } from '../src/notify/worker.js';
import { makePost } from './factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from './harness.js';
import { idFromLocation, reader, sendComment, staffWithToken } from './kits/comments.js';
import { testWorker } from './kits/notify.js';
import { header, linksIn, recipient, startTestSmtp, type TestSmtp } from './kits/smtp.js';

/** Follows an emailed link like a person: the page, then its button. */
async function pressButton(t: TestApp, link: string): Promise<Response> {
  const page = await t.request(link);
  assert.equal(page.status, 200, link);
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(await page.text());
  assert.ok(form, `${link} offers a button`);
  const fields = new URLSearchParams();
  for (const m of (form[2] ?? '').matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)) fields.set(m[1] ?? '', m[2] ?? '');
  return t.request((form[1] ?? '').replaceAll('&amp;', '&'), {
    method: 'POST',
    body: fields,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describe('a reader who asked is answered, and told so', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: OutboxWorker;
  before(async () => {
    smtp = await startTestSmtp();
    t = await testApp();
    worker = testWorker(t, { smtpUrl: smtp.url });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('goes from a held question to an emailed answer and a one-click goodbye', async () => {
    const { staff: author, api } = await staffWithToken(t, 'owner', 'Rosa Vale');
    await makePost(t, author, { title: 'In limbo', slug: 'in-limbo' });
    const mail = (to: string) => smtp.messages.filter((m) => recipient(m) === to);

    // She asks through the form, without scripts, and ticks "email me replies".
    const asked = await sendComment(t, 'in-limbo', {
      ...reader('Nadia'),
      body: 'How do I get him on the same page with me?',
      notify: 'on',
    });
    assert.equal(asked.status, 303);
    const question = idFromLocation(asked);
    const held = await (await api(`/api/v1/admin/comments/${question}`)).json();
    assert.equal(held.status, 'pending', 'a first-time reader is held');

    // The author approves her; the worker asks her to confirm the subscription.
    assert.equal((await api(`/api/v1/admin/comments/${question}/approve`, { method: 'POST' })).status, 200);
    await worker.drainUntilIdle();
    const [confirmation] = mail('nadia@example.com');
    assert.ok(confirmation, 'she is asked to confirm');
    const [confirmLink] = linksIn(confirmation, `${TEST_BASE_URL}/subscribe/confirm`);
    assert.equal((await pressButton(t, confirmLink ?? '')).status, 200);

    // The author answers through the API; the answer arrives with a link and one-click unsubscribe.
    const replied = await api(`/api/v1/admin/comments/${question}/reply`, {
      method: 'POST',
      json: { markdown: 'Start by *listening*, Nadia.' },
    });
    assert.equal(replied.status, 201);
    const answer = await replied.json();
    assert.equal(answer.authorRole, 'owner');
    await worker.drainUntilIdle();
    const [, told] = mail('nadia@example.com');
    assert.ok(told, 'she is told of the answer');
    assert.match(told.subject ?? '', /Rosa Vale replied on “In limbo”/);
    assert.match(told.text ?? '', /> Start by listening, Nadia\./, 'the answer as plain text, not Markdown');
    assert.ok(linksIn(told, `${TEST_BASE_URL}/in-limbo/#comment-${answer.id}`).length > 0);
    assert.equal(header(told, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const oneClick = /<([^>]+)>/.exec(header(told, 'List-Unsubscribe'))?.[1] ?? '';
    assert.ok(oneClick.startsWith(`${TEST_BASE_URL}/unsubscribe`));

    // One click (the mail client's POST) and she is never emailed about this thread again.
    const goodbye = await t.request(oneClick, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(goodbye.status, 200);
    assert.equal(
      (await api(`/api/v1/admin/comments/${question}/reply`, { method: 'POST', json: { markdown: 'One more thought.' } })).status,
      201,
    );
    await worker.drainUntilIdle();
    assert.equal(mail('nadia@example.com').length, 2, 'nothing after the unsubscribe');
  });
});
