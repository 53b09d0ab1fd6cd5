// Programs over HTTP: the card in posts and staff replies, the counted link, the sign-up form
// (success, errors that keep the reader's words, honeypot, rate limits) and the author's view.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { staffWithToken } from '../../test/kits/comments.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_BASE_URL },
  body: new URLSearchParams(fields).toString(),
});

/** The hidden fields of the sign-up form on a program page. */
function hidden(html: string): { ts: string; token: string; from: string } {
  const ts = /name="ts" value="(\d+)"/.exec(html)?.[1];
  const token = /name="token" value="([\w-]+)"/.exec(html)?.[1];
  const from = /name="from" value="([^"]*)"/.exec(html)?.[1];
  if (!ts || !token || from === undefined) throw new Error('the page has no sign-up form');
  return { ts, token, from };
}

describe('programs for readers', () => {
  let t: TestApp;
  let rosa: Staff;
  let program: PostRow;
  let essay: PostRow;
  let mailsTo: (email: string) => Promise<{ type: string; programTitle: string; programUrl: string }[]>;
  let signupsOf: (email: string) => Promise<{ source_post_id: string | null; source_comment_id: string | null; message: string }[]>;

  /** Loads the program page (as a card's redirect leaves it), waits like a person, sends the form. */
  async function signUp(fields: Record<string, string>, o: { query?: string; wait?: number; browser?: Browser } = {}) {
    const page = await t.request(`/coming-home/${o.query ?? ''}`);
    const h = hidden(await page.text());
    t.clock.advance(o.wait ?? 5000);
    const all = { ...h, name: '', email: '', message: '', homepage: '', ...fields };
    if (o.browser) return o.browser.post('/coming-home/signup', all, { csrf: null });
    return t.request('/coming-home/signup', form(all));
  }

  before(async () => {
    t = await testApp();
    rosa = await makeStaff(t, 'author', 'Rosa Vale');
    program = await makePost(t, rosa, {
      kind: 'program',
      title: 'Coming Home: six weeks',
      slug: 'coming-home',
      markdown: 'Six weeks of **coaching** for women who want to be met.',
      excerpt: 'Six weeks to ask for what you desire.',
    });
    essay = await makePost(t, rosa, {
      title: 'Why pursuit is not the answer',
      markdown: 'Reassurance is what we want.\n\n{{program coming-home}}\n\nThank you for reading.',
    });
    mailsTo = async (email) =>
      (await t.conn.db.selectFrom('outbox').select('payload').where('kind', '=', 'mail').execute())
        .map((r) => JSON.parse(r.payload))
        .filter((p) => p.to === email);
    signupsOf = (email) =>
      t.conn.db
        .selectFrom('program_signups')
        .select(['source_post_id', 'source_comment_id', 'message'])
        .where('email', '=', email)
        .execute();
  });
  after(() => t.close());

  it('shows a card for a program placed in a post, linking through the counted redirect', async () => {
    const html = await (await t.request('/why-pursuit-is-not-the-answer/')).text();
    assert.match(html, /<div class="program-card" data-program="coming-home">/);
    assert.match(html, /<p class="program-card-title">Coming Home: six weeks<\/p>/);
    assert.match(html, /<p class="program-card-excerpt">Six weeks to ask for what you desire\.<\/p>/);
    assert.ok(html.includes(`href="/go/program/coming-home?from=post:${essay.id}"`));
    assert.doesNotMatch(html, /\{\{program/);
  });

  it('leaves nothing of a directive that names an unknown or unpublished program, and escapes a card’s text', async () => {
    await makePost(t, rosa, { kind: 'program', title: 'Not yet', slug: 'not-yet', status: 'draft', markdown: 'Soon.' });
    await makePost(t, rosa, {
      kind: 'program',
      title: 'Tricky <img src=x onerror=alert(1)> "title"',
      slug: 'tricky',
      markdown: 'x',
      excerpt: '</p><script>alert(1)</script>',
    });
    const post = await makePost(t, rosa, {
      title: 'Directives of every kind',
      markdown: 'One.\n\n{{program no-such-program}}\n\n{{program not-yet}}\n\n{{program tricky}}\n\n{{program <b>x</b>}}\n\nTwo.',
    });
    const html = await (await t.request(`/${post.slug}/`)).text();
    const body = html.slice(html.indexOf('<div class="post-body">'), html.indexOf('</article>'));
    assert.equal(body.match(/class="program-card"/g)?.length, 1, 'only the published program gets a card');
    assert.doesNotMatch(body, /no-such-program|not-yet/);
    assert.ok(body.includes('Tricky &lt;img src=x onerror=alert(1)&gt; &quot;title&quot;'));
    assert.ok(body.includes('&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.doesNotMatch(body, /<script>|<img src=x/);
    assert.match(body, /<p>One\.<\/p>/);
    assert.match(body, /<p>Two\.<\/p>/);
  });

  it('puts a card in a staff reply that names the reply, but never in a reader’s comment', async () => {
    const author = await staffWithToken(t, 'author', 'Card Author');
    const post = await makePost(t, author.staff, { title: 'A post with questions' });
    const question = await t.services.comments.add({
      postId: post.id,
      authorName: 'Mia',
      authorEmail: 'mia@example.com',
      markdown: 'How do I begin?\n\n{{program coming-home}}',
      status: 'published',
    });
    const res = await author.api(`/api/v1/admin/comments/${question.id}/reply`, {
      method: 'POST',
      json: { markdown: 'Start here:\n\n{{program coming-home}}' },
    });
    assert.equal(res.status, 201);
    const reply = (await res.json()) as { id: string; html: string };
    assert.ok(reply.html.includes(`href="/go/program/coming-home?from=comment:${reply.id}"`));
    const page = await (await t.request(`/${post.slug}/`)).text();
    const readerPart = page.slice(page.indexOf(`id="comment-${question.id}"`), page.indexOf(`id="comment-${reply.id}"`));
    assert.match(readerPart, /\{\{program coming-home\}\}/, 'a reader’s words stay as typed');
    assert.doesNotMatch(readerPart, /program-card/);
    assert.match(page, /class="program-card"/);
  });

  it('counts a card’s click for its post or reply and sends the reader on with 303', async () => {
    const countFor = async (where: { post?: string | null; comment?: string | null }) => {
      let q = t.conn.db
        .selectFrom('link_clicks')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('target', '=', program.id);
      q = where.post === null ? q.where('source_post_id', 'is', null) : q.where('source_post_id', '=', where.post ?? '');
      q = where.comment ? q.where('source_comment_id', '=', where.comment) : q.where('source_comment_id', 'is', null);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const before = await countFor({ post: essay.id });
    const res = await t.request(`/go/program/coming-home?from=post:${essay.id}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/coming-home/?from=post:${essay.id}`);
    assert.equal(await countFor({ post: essay.id }), before + 1);

    const staff = await staffWithToken(t, 'owner', 'Olive Click');
    const q = await t.services.comments.add({
      postId: essay.id,
      authorName: 'Ana',
      authorEmail: 'ana@example.com',
      markdown: 'Hi',
      status: 'published',
    });
    const reply = (await (
      await staff.api(`/api/v1/admin/comments/${q.id}/reply`, { method: 'POST', json: { markdown: 'Hello' } })
    ).json()) as {
      id: string;
    };
    const viaReply = await t.request(`/go/program/coming-home?from=comment:${reply.id}`);
    assert.equal(viaReply.headers.get('location'), `/coming-home/?from=comment:${reply.id}`);
    assert.equal(await countFor({ post: essay.id, comment: reply.id }), 1, 'a reply counts with its post');

    // A reader's comment id, a made-up id or junk is counted without a source and not carried on
    // (three readers here: one reader's clicks without a source count once).
    const nobody = await countFor({ post: null });
    for (const [i, from] of [`comment:${q.id}`, 'post:00000000-0000-7000-8000-000000000000', '<script>'].entries()) {
      const r = await t.request(`/go/program/coming-home?from=${encodeURIComponent(from)}`, { headers: { 'user-agent': `Reader ${i}` } });
      assert.equal(r.status, 303);
      assert.equal(r.headers.get('location'), '/coming-home/');
    }
    assert.equal(await countFor({ post: null }), nobody + 3);
    assert.equal((await t.request(`/go/program/not-yet?from=post:${essay.id}`)).status, 404);
  });

  it('counts one click per reader and card placement within 30 minutes, and sends her on every time', async () => {
    const other = await makePost(t, rosa, { title: 'Another essay', markdown: '{{program coming-home}}' });
    const clicks = async (postId: string) =>
      Number(
        (
          await t.conn.db
            .selectFrom('link_clicks')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('source_post_id', '=', postId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const click = async (b: Browser, postId: string, userAgent = 'Firefox') => {
      const res = await b.request(`/go/program/coming-home?from=post:${postId}`, { headers: { 'user-agent': userAgent } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/coming-home/?from=post:${postId}`);
    };
    const lena = new Browser(t, '198.51.100.40');
    const before = await clicks(essay.id);
    for (let i = 0; i < 3; i++) await click(lena, essay.id);
    await Promise.all([click(lena, essay.id), click(lena, essay.id)]);
    assert.equal(await clicks(essay.id), before + 1, 'her five clicks on one card count once');
    await click(lena, other.id);
    assert.equal(await clicks(other.id), 1, 'the same program from another post is another click');
    await click(new Browser(t, '198.51.100.41'), essay.id);
    await click(lena, essay.id, 'Safari');
    assert.equal(await clicks(essay.id), before + 3, 'another address, or another browser at hers, is another reader');
    t.clock.advance(29 * 60_000);
    await click(lena, essay.id);
    assert.equal(await clicks(essay.id), before + 3, 'still within 30 minutes');
    t.clock.advance(60_000 + 1000);
    await click(lena, essay.id);
    assert.equal(await clicks(essay.id), before + 4, 'counted again once 30 minutes have passed');
  });

  it('refuses a sign-up sent from another site with 403 and a page that says why, and signs nobody up', async () => {
    const page = hidden(await (await t.request('/coming-home/')).text());
    t.clock.advance(5000);
    const fields = { ...page, name: 'Forged', email: 'forged-origin@example.com', message: '', homepage: '' };
    const res = await t.request('/coming-home/signup', {
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /This form was sent from another site, so it was not accepted/);
    const byReferer = await t.request('/coming-home/signup', {
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'https://evil.example/page' },
    });
    assert.equal(byReferer.status, 403, 'a foreign Referer without Origin is refused too');
    assert.equal((await signupsOf('forged-origin@example.com')).length, 0);
    assert.equal((await mailsTo('forged-origin@example.com')).length, 0);
    assert.equal((await t.request('/coming-home/signup', form(fields))).status, 303, 'the same form from the site itself is accepted');
  });

  it('signs a reader up, attributes her to the post she came from and queues her confirmation', async () => {
    const page = await (await t.request(`/coming-home/?from=post:${essay.id}`)).text();
    assert.match(page, /<form id="signup" class="signup-form" method="post" action="\/coming-home\/signup"/);
    assert.match(page, /<strong>coaching<\/strong>/);
    const res = await signUp({ name: 'Lena', email: 'Lena@Example.com', message: 'I am ready.' }, { query: `?from=post:${essay.id}` });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/coming-home/thanks');
    const thanks = await t.request('/coming-home/thanks');
    assert.equal(thanks.status, 200);
    assert.match(await thanks.text(), /You are signed up for <a href="\/coming-home\/">Coming Home: six weeks<\/a>/);
    assert.deepEqual(await signupsOf('lena@example.com'), [{ source_post_id: essay.id, source_comment_id: null, message: 'I am ready.' }]);
    const mails = await mailsTo('lena@example.com');
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.type, 'program-signup');
    assert.equal(mails[0]?.programTitle, 'Coming Home: six weeks');
    assert.equal(mails[0]?.programUrl, `${TEST_BASE_URL}/coming-home/`);

    // The same address again: the same answer, still one sign-up and one email.
    const again = await signUp({ name: 'Lena', email: 'lena@example.com', message: 'Me again' });
    assert.equal(again.headers.get('location'), '/coming-home/thanks');
    assert.equal((await signupsOf('lena@example.com')).length, 1);
    assert.equal((await mailsTo('lena@example.com')).length, 1);
  });

  it('answers 422 with the reader’s words kept and each problem named', async () => {
    const message = 'My <b>long</b> story, with "quotes" & more.';
    const res = await signUp({ name: '  ', email: 'not-an-address', message });
    assert.equal(res.status, 422);
    const html = await res.text();
    const kept = /<textarea id="signup-message"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '';
    assert.equal(kept.replaceAll('&quot;', '"'), 'My &lt;b&gt;long&lt;/b&gt; story, with "quotes" &amp; more.');
    assert.match(html, /value="not-an-address"/);
    assert.match(html, /Tell us your name\./);
    assert.match(html, /That does not look like an email address\./);
    assert.match(html, /aria-invalid="true"/);
    assert.equal((await signupsOf('not-an-address')).length, 0);
  });

  it('refuses a form sent quicker than a person types, or with a forged token, keeping the words', async () => {
    const quick = await signUp({ name: 'Bot', email: 'quick@example.com', message: 'Fast words' }, { wait: 500 });
    assert.equal(quick.status, 422);
    const quickHtml = await quick.text();
    assert.match(quickHtml, /quicker than a person/);
    assert.match(quickHtml, /Fast words/);
    const page = hidden(await (await t.request('/coming-home/')).text());
    t.clock.advance(5000);
    const forged = await t.request('/coming-home/signup', form({ ...page, token: 'x'.repeat(43), name: 'F', email: 'forged@example.com' }));
    assert.equal(forged.status, 422);
    assert.equal((await signupsOf('quick@example.com')).length + (await signupsOf('forged@example.com')).length, 0);
  });

  it('answers a filled honeypot like a success but keeps and sends nothing', async () => {
    const res = await signUp({ name: 'Spam', email: 'spam@example.com', homepage: 'http://spam.example' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/coming-home/thanks');
    assert.equal((await signupsOf('spam@example.com')).length, 0);
    assert.equal((await mailsTo('spam@example.com')).length, 0);
  });

  it('limits sign-ups from one address with 429, Retry-After and the words kept', async () => {
    const browser = new Browser(t, '198.51.100.23');
    for (let i = 0; i < 10; i++) {
      const res = await signUp({ name: `Person ${i}`, email: `many${i}@example.com` }, { browser });
      assert.equal(res.status, 303, `sign-up ${i + 1} is within the limit`);
    }
    const res = await signUp({ name: 'One too many', email: 'many10@example.com', message: 'Please let me in' }, { browser });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    const html = await res.text();
    assert.match(html, /Please let me in/);
    assert.match(html, /value="One too many"/);
    assert.equal((await signupsOf('many10@example.com')).length, 0);
    // Another address is not held back.
    const other = await signUp({ name: 'Elsewhere', email: 'elsewhere@example.com' }, { browser: new Browser(t, '198.51.100.99') });
    assert.equal(other.status, 303);
  });

  it('answers 404 for a sign-up to a post that is not a program', async () => {
    const res = await t.request(`/${essay.slug}/signup`, form({ name: 'A', email: 'a@example.com' }));
    assert.equal(res.status, 404);
  });
});
