import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { ownerWithToken, testWorker, writeComment } from '../../test/kits/notify.js';
import { recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import type { OutboxWorker } from './worker.js';

const POST_MARKDOWN = `A *warm* word and a **strong** one. See [the notes](notes/), [about me](/about/) and [the part below](#the-part).[^1]

- first thing
- second [thing](https://other.example/x)

## The part

![A kettle](/media/kettle.jpg)

[^1]: A footnote.
`;

const to = (smtp: TestSmtp, address: string) => smtp.messages.filter((m) => recipient(m) === address);

describe('what emails say, in their HTML and text parts', () => {
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

  it('sends a newsletter whose links and images carry the post’s full address and whose text part is plain text', async () => {
    const { auth } = await ownerWithToken(t);
    await t.request('/api/v1/admin/subscribers/import', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: 'email,name\r\nreader@example.org,Reader\r\n',
    });
    const author = await makeStaff(t, 'author');
    const post = await makePost(t, author, { title: 'Letters', slug: 'letters', markdown: POST_MARKDOWN });
    const res = await t.request(`/api/v1/admin/posts/${post.id}/send-newsletter`, { method: 'POST', headers: auth });
    assert.equal(res.status, 202);
    await worker.drainUntilIdle();
    const [mail] = to(smtp, 'reader@example.org');
    assert.ok(mail, 'the newsletter came');
    const postUrl = `${TEST_BASE_URL}/letters/`;

    const html = String(mail.html);
    const urls = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
    assert.ok(urls.length > 5);
    for (const url of urls) assert.match(url, /^(https?:|mailto:)/, `${url} is absolute`);
    assert.ok(urls.includes(`${postUrl}notes/`), 'a relative link resolved against the post');
    assert.ok(urls.includes(`${TEST_BASE_URL}/about/`), 'a root-relative link resolved against the site');
    assert.ok(urls.includes(`${TEST_BASE_URL}/media/kettle.jpg`), 'the image');
    assert.ok(urls.includes(`${postUrl}#the-part`), 'an in-page link and the heading anchor go to the post');
    assert.ok(urls.includes(`${postUrl}#fn1`), 'a footnote reference goes to the post');
    assert.match(html, /<em>warm<\/em>/);

    const text = mail.text ?? '';
    assert.match(
      text,
      /^A warm word and a strong one\. See the notes \(http:\/\/[^)]+\/letters\/notes\/\), about me \(http:\/\/[^)]+\/about\/\)/m,
    );
    assert.match(text, new RegExp(`the part below \\(${postUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}#the-part\\)`));
    assert.match(text, /^- first thing\n- second thing \(https:\/\/other\.example\/x\)$/m);
    assert.match(text, /^The part$/m);
    assert.match(text, /^A kettle$/m, 'an image by its description');
    assert.match(text, /A footnote\./);
    assert.doesNotMatch(text, /\*\*|\*warm\*|^#|\]\(|<\w+|&amp;/m, 'no Markdown or HTML syntax');
  });

  it('shows a held comment imported as HTML as readable words in the moderation email, never its tags', async () => {
    const { staff: owner } = await ownerWithToken(t);
    const author = await makeStaff(t, 'author');
    const post = await makePost(t, author, { title: 'On kettles', slug: 'on-kettles' });
    const source = '<p>Thanks for <strong>this</strong> &amp; more.</p>\n<p>Second thought.</p>';
    await writeComment(t, { post, name: 'Wren', status: 'pending', markdown: source, html: source });
    await worker.drainUntilIdle();
    t.clock.advance(10 * 60_000);
    await worker.drainUntilIdle();
    const [mail] = to(smtp, owner.email);
    assert.ok(mail, 'the moderation email came');
    assert.match(mail.subject ?? '', /A comment awaits moderation/);
    assert.match(mail.text ?? '', /Wren on “On kettles”: Thanks for this & more\. Second thought\./);
    assert.doesNotMatch(mail.text ?? '', /<\/?(p|strong)>/);
    assert.match(String(mail.html), /Thanks for this &amp; more\. Second thought\./);
    assert.doesNotMatch(String(mail.html), /&lt;\/?(p|strong)&gt;/);
  });

  it('quotes a reader’s comment to the post’s author as plain text and as its sanitized HTML', async () => {
    const author = await makeStaff(t, 'author');
    const post = await makePost(t, author, { title: 'On kettles', slug: 'on-kettles' });
    const source = '<p>Thanks for <strong>this</strong>.</p>\n<ul><li>one</li><li>two</li></ul>';
    await writeComment(t, { post, name: 'Wren', markdown: source, html: source });
    await worker.drainUntilIdle();
    const [mail] = to(smtp, author.email);
    assert.ok(mail, 'the author was told');
    assert.match(mail.text ?? '', /> Thanks for this\.\n>\s*\n> - one\n> - two/);
    assert.doesNotMatch(mail.text ?? '', /<\/?(p|strong|li)>/);
    assert.match(String(mail.html), /<strong>this<\/strong>/);
    assert.doesNotMatch(String(mail.html), /&lt;\/?(p|strong)&gt;/);
  });
});
