// The conversation over HTTP, as readers use it: posting, replying, holding, fixing, paging.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import {
  commentIds,
  hiddenFields,
  idFromLocation,
  loadPage,
  newReader,
  reader,
  sendComment,
  staffWithToken,
} from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';

describe('posting comments without JavaScript', () => {
  let t: TestApp;
  let post: PostRow;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());
  beforeEach(async () => {
    post = await makePost(t, await makeStaff(t));
  });

  it('holds a first-time commenter, shows the held comment to her alone, and publishes it when approved', async () => {
    const maya = newReader();
    const res = await sendComment(t, post.slug, { ...reader('Maya'), body: 'My *first* words here.' }, { reader: maya });
    assert.equal(res.status, 303);
    const id = idFromLocation(res);
    assert.equal(res.headers.get('location'), `/${post.slug}/?held=${id}#comment-${id}`);
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /hearth_writer=/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);

    const hers = (await loadPage(t, `/${post.slug}/`, maya)).html;
    assert.ok(commentIds(hers).includes(id));
    assert.match(hers, /Awaiting moderation/);
    assert.match(hers, /<em>first<\/em>/);
    assert.match(hers, /data-comment-count="0"/);

    const others = (await loadPage(t, `/${post.slug}/`)).html;
    assert.deepEqual(commentIds(others), []);

    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    const approved = await owner.api(`/api/v1/admin/comments/${id}/approve`, { method: 'POST' });
    assert.equal(approved.status, 200);
    assert.equal(((await approved.json()) as { status: string }).status, 'published');
    const now = (await loadPage(t, `/${post.slug}/`)).html;
    assert.deepEqual(commentIds(now), [id]);
    assert.match(now, /data-comment-count="1"/);
    assert.doesNotMatch(now, /maya@example\.com/, 'the email is never public');

    const events = await t.conn.db.selectFrom('outbox').select(['kind', 'dedupe_key']).orderBy('created_at').execute();
    assert.deepEqual(
      events.filter((e) => e.dedupe_key.endsWith(id)).map((e) => e.kind),
      ['comment.held', 'comment.published'],
    );
  });

  it('publishes a returning commenter at once and answers JSON clients with 201 and the status', async () => {
    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    const first = await sendComment(t, post.slug, { ...reader('Tomas'), body: 'Hello there.' }, { json: true });
    assert.equal(first.status, 201);
    const held = (await first.json()) as { id: string; status: string };
    assert.equal(held.status, 'pending');
    await owner.api(`/api/v1/admin/comments/${held.id}/approve`, { method: 'POST' });

    const second = await sendComment(
      t,
      post.slug,
      { ...reader('Tomas'), body: 'Me again, with a follow-up.', notify: 'on' },
      { json: true },
    );
    assert.equal(second.status, 201);
    const body = (await second.json()) as { id: string; status: string };
    assert.deepEqual(Object.keys(body).sort(), ['id', 'status']);
    assert.equal(body.status, 'published');
    const row = await t.conn.db
      .selectFrom('comments')
      .select(['notify', 'edit_token_hash'])
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.notify, 1);
    assert.ok(row.edit_token_hash);
    assert.match((await loadPage(t, `/${post.slug}/`)).html, /data-comment-count="2"/);
    assert.match((await loadPage(t, '/')).html, new RegExp(`href="/${post.slug}/#comments" data-comment-count="2"`));
  });

  it('nests replies inside their parent and links each reply form without scripts', async () => {
    await t.services.conversationSettings.update({ hold: 'none' });
    const root = idFromLocation(await sendComment(t, post.slug, { ...reader('Ana'), body: 'A question.' }));
    const page = (await loadPage(t, `/${post.slug}/`)).html;
    assert.match(page, new RegExp(`href="/${post.slug}/\\?replyto=${root}#respond"`));
    const form = (await loadPage(t, `/${post.slug}/?replyto=${root}`)).html;
    assert.match(form, new RegExp(`<input type="hidden" name="parent" value="${root}"`));
    assert.match(form, /Reply to Ana/);
    const reply = idFromLocation(await sendComment(t, post.slug, { ...reader('Ben'), body: 'An answer.', parent: root }));
    const html = (await loadPage(t, `/${post.slug}/`)).html;
    const rootAt = html.indexOf(`id="comment-${root}"`);
    const replyAt = html.indexOf(`id="comment-${reply}"`);
    const rootEnd = html.indexOf('</li>', replyAt);
    assert.ok(rootAt < replyAt && replyAt < rootEnd);
    assert.match(html.slice(rootAt, replyAt), /<ol class="comment-replies">/);
    await t.services.conversationSettings.update({ hold: 'first_time' });
  });

  it('caps nesting at the display depth: a deeper reply sits in the deepest shown ancestor and names whom it answers', async () => {
    await t.services.conversationSettings.update({ hold: 'none', maxDepth: 2 });
    let parent = '';
    const ids: string[] = [];
    for (const name of ['Ada', 'Bea', 'Cy', 'Dee']) {
      const res = await sendComment(t, post.slug, { ...reader(name), body: `Words of ${name}.`, ...(parent ? { parent } : {}) });
      parent = idFromLocation(res);
      ids.push(parent);
    }
    const html = (await loadPage(t, `/${post.slug}/`)).html;
    const depthOf = (id: string) => new RegExp(`id="comment-${id}"[^>]*data-depth="(\\d)"`).exec(html)?.[1];
    assert.deepEqual(ids.map(depthOf), ['0', '1', '2', '2']);
    const dee = html.slice(html.indexOf(`id="comment-${ids[3]}"`));
    assert.match(dee, new RegExp(`replying to <a href="#comment-${ids[2]}">Cy</a>`));
    await t.services.conversationSettings.update({ hold: 'first_time', maxDepth: 5 });
  });

  it('renders Markdown-lite and never lets markup through', async () => {
    await t.services.conversationSettings.update({ hold: 'none' });
    const res = await sendComment(t, post.slug, {
      ...reader('Mallory'),
      body: '<script>alert(1)</script> **bold** [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    });
    const html = (await loadPage(t, `/${post.slug}/`)).html;
    const id = idFromLocation(res);
    const body = html.slice(html.indexOf(`id="comment-${id}"`), html.indexOf('</li>', html.indexOf(`id="comment-${id}"`)));
    assert.match(body, /<strong>bold<\/strong>/);
    assert.doesNotMatch(body, /<script|<img|href="javascript:/i);
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    await t.services.conversationSettings.update({ hold: 'first_time' });
  });

  it('links a website with rel="ugc nofollow noopener" and shows a generated avatar, not an outside image', async () => {
    await t.services.conversationSettings.update({ hold: 'none' });
    await sendComment(t, post.slug, { ...reader('Wes'), website: 'example.org/me', body: 'Visit me.' });
    const html = (await loadPage(t, `/${post.slug}/`)).html;
    assert.match(html, /<a href="https:\/\/example\.org\/me" rel="ugc nofollow noopener">Wes<\/a>/);
    assert.match(html, /<svg class="avatar"[^>]*aria-hidden="true"/);
    assert.doesNotMatch(html, /gravatar/i);
    await t.services.conversationSettings.update({ hold: 'first_time' });
  });

  it('closes the form on a post whose comments are closed and refuses a comment sent anyway', async () => {
    const closed = await makePost(t, await makeStaff(t), { commentsMode: 'closed' });
    const open = await loadPage(t, `/${post.slug}/`);
    const html = (await loadPage(t, `/${closed.slug}/`)).html;
    assert.doesNotMatch(html, /data-comment-form/);
    assert.match(html, /Comments are closed/);
    const res = await sendComment(t, closed.slug, { ...reader('Late'), body: 'Too late?' }, { hidden: hiddenFields(open.html) });
    assert.equal(res.status, 403);
  });
});

describe('spam and abuse are kept out without punishing readers', () => {
  let t: TestApp;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    post = await makePost(t, await makeStaff(t));
  });
  after(() => t.close());

  it('sends blocklisted words, emails and domains to spam, answered as pending and shown to no reader', async () => {
    await t.services.conversationSettings.update({
      hold: 'none',
      blockedWords: ['casino'],
      blockedEmails: ['bad@example.net'],
      blockedDomains: ['spam.example'],
    });
    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    const cases = [
      { ...reader('Word'), body: 'Try our CASINO today.' },
      { name: 'Mail', email: 'bad@example.net', body: 'Harmless words.' },
      { ...reader('Link'), body: 'See https://www.spam.example/offer now.' },
      { name: 'Dom', email: 'x@sub.spam.example', body: 'Other harmless words.' },
    ];
    for (const fields of cases) {
      const res = await sendComment(t, post.slug, fields, { json: true });
      assert.equal(res.status, 201);
      const { id, status } = (await res.json()) as { id: string; status: string };
      assert.equal(status, 'pending', fields.name);
      const row = await t.conn.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'spam', fields.name);
    }
    assert.deepEqual(commentIds((await loadPage(t, `/${post.slug}/`)).html), []);
    const spam = (await (await owner.api('/api/v1/admin/comments?status=spam')).json()) as { total: number };
    assert.equal(spam.total, 4);
    const allButTrash = (await (await owner.api('/api/v1/admin/comments')).json()) as { total: number };
    assert.equal(allButTrash.total, 4);
    const held = await t.conn.db.selectFrom('outbox').select('kind').where('kind', '=', 'comment.held').execute();
    assert.equal(held.length, 0, 'spam does not ask moderators for attention');
    await t.services.conversationSettings.update({ hold: 'first_time', blockedWords: [], blockedEmails: [], blockedDomains: [] });
  });

  it('sends a comment whose honeypot is filled to spam, answered like a held one', async () => {
    const res = await sendComment(t, post.slug, { ...reader('Bot'), body: 'Great post!', homepage: 'http://bot.example' }, { json: true });
    assert.equal(res.status, 201);
    const { id, status } = (await res.json()) as { id: string; status: string };
    assert.equal(status, 'pending');
    assert.equal((await t.conn.db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'spam');
  });

  it('holds a comment with more links than allowed', async () => {
    await t.services.conversationSettings.update({ hold: 'none' });
    const res = await sendComment(
      t,
      post.slug,
      { ...reader('Linky'), body: 'https://a.example https://b.example https://c.example' },
      { json: true },
    );
    assert.equal(((await res.json()) as { status: string }).status, 'pending');
    await t.services.conversationSettings.update({ hold: 'first_time' });
  });

  it('refuses a form sent too quickly with 422 and keeps the words', async () => {
    const res = await sendComment(t, post.slug, { ...reader('Speedy'), body: 'Typed at lightning speed.' }, { wait: 500 });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /quicker than a person/);
    assert.match(html, /Typed at lightning speed\./);
    assert.match(html, /value="Speedy"/);
    // Turned back after the post was read for writing (without its words): the page shows them.
    assert.ok(post.html.length > 0 && html.includes(post.html), 'the post is shown again, its words with it');
  });

  it('refuses a form from a foreign origin with 403', async () => {
    const res = await sendComment(t, post.slug, { ...reader('Eve'), body: 'From elsewhere.' }, { origin: 'https://evil.example' });
    assert.equal(res.status, 403);
    const fine = await sendComment(t, post.slug, { ...reader('Eve'), body: 'From here.' }, { origin: null, json: true });
    assert.equal(fine.status, 201, 'a client that sends no Origin still needs the signed form fields, and has them');
  });

  it('refuses a forged or missing form token', async () => {
    const res = await sendComment(
      t,
      post.slug,
      { ...reader('Forger'), body: 'Forged.' },
      { hidden: { ts: String(t.clock.now() - 60_000), token: 'nope' } },
    );
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Forged\./);
  });

  it('answers 422 with field messages and the reader text kept, as a page or as JSON', async () => {
    const res = await sendComment(t, post.slug, { name: '', email: 'not-an-email', body: 'My carefully written thoughts.' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /My carefully written thoughts\./);
    assert.match(html, /Tell us your name/);
    assert.match(html, /value="not-an-email"/);
    assert.match(html, /data-comment-form/);
    const json = await sendComment(t, post.slug, { name: 'X', email: 'nope', body: 'Hi' }, { json: true });
    assert.equal(json.status, 422);
    const err = (await json.json()) as { error: { code: string; fields: Record<string, string> } };
    assert.equal(err.error.code, 'invalid');
    assert.ok(err.error.fields.email);
  });

  it('answers 413 for a comment over the length limit with a page that keeps the text', async () => {
    const long = `${'a'.repeat(10_001)} THE END`;
    const res = await sendComment(t, post.slug, { ...reader('Verbose'), body: long });
    assert.equal(res.status, 413);
    const html = await res.text();
    assert.match(html, /too long/i);
    assert.ok(html.includes(long), 'every word is kept');
    assert.match(html, /Back/);
    const json = await sendComment(t, post.slug, { ...reader('Verbose'), body: long }, { json: true });
    assert.equal(json.status, 413);
  });

  it('limits comments per email with 429 and Retry-After, keeping the text', async () => {
    await t.services.conversationSettings.update({ emailLimit: { max: 2, windowSeconds: 600 } });
    for (const n of [1, 2])
      assert.equal((await sendComment(t, post.slug, { ...reader('Flood'), body: `Comment number ${n}.` })).status, 303);
    const res = await sendComment(t, post.slug, { ...reader('Flood'), body: 'Comment number 3.' });
    assert.equal(res.status, 429);
    const retry = Number(res.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 600, `Retry-After ${retry}`);
    assert.match(await res.text(), /Comment number 3\./);
    t.clock.advance(retry * 1000);
    assert.equal((await sendComment(t, post.slug, { ...reader('Flood'), body: 'Comment number 4.' })).status, 303);
    await t.services.conversationSettings.update({ emailLimit: { max: 10, windowSeconds: 600 } });
  });

  it('treats the same words sent twice by the same person as one comment', async () => {
    const a = await sendComment(t, post.slug, { ...reader('Twice'), body: 'Double click.' }, { json: true });
    const b = await sendComment(t, post.slug, { ...reader('Twice'), body: 'Double click.' }, { json: true });
    assert.equal(((await a.json()) as { id: string }).id, ((await b.json()) as { id: string }).id);
  });
});
