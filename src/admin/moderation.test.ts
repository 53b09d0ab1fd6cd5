// The moderation queue and a commenter's page in the workspace, over HTTP with a signed-in
// browser: tabs and role boundaries, every action and bulk action, trust and block.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { idFromLocation, reader, sendComment } from '../../test/kits/comments.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';
import { canBlockCommenter, canTrustCommenter } from './moderation-permissions.js';

const HOUR = 3600_000;
/** The ids of the comments the queue page lists, in order. */
const queued = (html: string) => [...html.matchAll(/<li class="mq-item" id="mq-([0-9a-f-]{36})"/g)].map((m) => m[1]);

describe('the moderation queue', () => {
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  let bea: Staff;
  let mo: Staff;
  let adas: PostRow;
  let beas: PostRow;
  let asOwner: Browser;
  let asAda: Browser;
  let asMo: Browser;
  const add = (
    post: PostRow,
    who: string,
    text: string,
    extra: { status?: 'pending' | 'published' | 'spam' | 'trash'; private?: boolean; parentId?: string } = {},
  ) => {
    t.clock.advance(60_000);
    return t.services.comments.add({
      postId: post.id,
      authorName: who,
      authorEmail: `${who.toLowerCase()}@example.com`,
      markdown: text,
      status: extra.status ?? 'pending',
      visibility: extra.private ? 'private' : 'public',
      parentId: extra.parentId ?? null,
    });
  };
  const status = async (id: string) => (await t.services.comments.get(owner, id)).comment.status;

  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    bea = await makeStaff(t, 'author', 'Bea Author');
    mo = await makeStaff(t, 'moderator', 'Mo Moderator');
    adas = await makePost(t, ada, { title: 'Letters to the lonely' });
    beas = await makePost(t, bea, { title: 'On gardens' });
    asOwner = new Browser(t);
    asAda = new Browser(t);
    asMo = new Browser(t);
    await asOwner.signIn(owner.email);
    await asAda.signIn(ada.email);
    await asMo.signIn(mo.email);
  });
  after(() => t.close());

  it('shows an author only the comments on her own posts, a moderator never a private one, the owner all', async () => {
    const onAda = await add(adas, 'Nora', 'Held on Ada’s post.');
    const onBea = await add(beas, 'Omar', 'Held on Bea’s post.');
    const secret = await add(adas, 'Pia', 'A private question for Ada.', { private: true });
    const ownerIds = queued(await (await asOwner.get('/admin/comments?tab=pending')).text());
    assert.deepEqual(ownerIds.slice(0, 3), [secret.id, onBea.id, onAda.id], 'newest first, every post');
    const adaIds = queued(await (await asAda.get('/admin/comments?tab=pending')).text());
    assert.ok(adaIds.includes(onAda.id) && adaIds.includes(secret.id));
    assert.ok(!adaIds.includes(onBea.id), 'not another author’s post');
    const moPage = await (await asMo.get('/admin/comments?tab=pending')).text();
    assert.ok(queued(moPage).includes(onAda.id) && queued(moPage).includes(onBea.id));
    assert.ok(!queued(moPage).includes(secret.id), 'a moderator never sees a private question');
    assert.doesNotMatch(moPage, /tab=private/, 'nor has a private tab');
    const privateTab = queued(await (await asMo.get('/admin/comments?tab=private')).text());
    assert.ok(!privateTab.includes(secret.id));
    assert.ok(queued(await (await asAda.get('/admin/comments?tab=private')).text()).includes(secret.id));
  });

  it('lists each state in its tab, with the comment answered and the post linked', async () => {
    const parent = await add(adas, 'Quinn', 'The first words of the thread.', { status: 'published' });
    const answer = await add(adas, 'Rae', 'An answer to Quinn.', { parentId: parent.id });
    const spam = await add(adas, 'Sam', 'Cheap watches.', { status: 'spam' });
    const trash = await add(adas, 'Tia', 'Deleted words.', { status: 'trash' });
    const pending = await (await asAda.get('/admin/comments?tab=pending')).text();
    assert.ok(queued(pending).includes(answer.id));
    assert.match(pending, /In reply to <strong>Quinn<\/strong>: The first words of the thread\./);
    assert.match(pending, new RegExp(`href="/${adas.slug}/#comment-${answer.id}">Letters to the lonely</a>`));
    assert.deepEqual(queued(await (await asAda.get('/admin/comments?tab=spam')).text()), [spam.id]);
    assert.deepEqual(queued(await (await asAda.get('/admin/comments?tab=trash')).text()), [trash.id]);
    const all = queued(await (await asAda.get('/admin/comments?tab=all')).text());
    assert.ok(all.includes(parent.id) && all.includes(spam.id) && !all.includes(trash.id), 'all but the trash');
  });

  it('approves, marks as spam, trashes and restores through plain forms that come back to the queue', async () => {
    const c = await add(adas, 'Uma', 'Please approve me.');
    await asAda.get('/admin/comments?tab=pending');
    const approved = await asAda.post(`/admin/comments/${c.id}/approve`, { back: '/admin/comments?tab=pending' });
    assert.equal(approved.status, 303);
    assert.equal(approved.headers.get('location'), '/admin/comments?tab=pending&done=approve');
    assert.equal(await status(c.id), 'published');
    assert.match(await (await asAda.get(approved.headers.get('location') ?? '')).text(), /Approved\./);
    await asAda.post(`/admin/comments/${c.id}/spam`, { back: '/admin/comments' });
    assert.equal(await status(c.id), 'spam');
    await asAda.post(`/admin/comments/${c.id}/trash`, { back: '/admin/comments' });
    assert.equal(await status(c.id), 'trash');
    await asAda.post(`/admin/comments/${c.id}/restore`, { back: '/admin/comments' });
    assert.equal(await status(c.id), 'published');
    const json = await asAda.request(`/admin/comments/${c.id}/trash`, {
      method: 'POST',
      headers: { accept: 'application/json', 'x-csrf-token': asAda.csrf, origin: 'http://hearth.test' },
    });
    assert.deepEqual(await json.json(), { id: c.id, status: 'trash', visibility: 'public' });
  });

  it('refuses an author acting on another author’s comment, and a form without its token', async () => {
    const c = await add(beas, 'Vic', 'On Bea’s post.');
    await asAda.get('/admin/comments');
    assert.equal((await asAda.post(`/admin/comments/${c.id}/approve`, {})).status, 403);
    assert.equal((await asAda.post(`/admin/comments/${c.id}/reply`, { markdown: 'Not mine to answer.' })).status, 403);
    assert.equal((await asAda.get(`/admin/comments/${c.id}/edit`)).status, 403);
    assert.equal((await asOwner.post(`/admin/comments/${c.id}/approve`, {}, { csrf: null })).status, 403);
    assert.equal(await status(c.id), 'pending');
    const secret = await add(adas, 'Wren', 'Private to Ada.', { private: true });
    await asMo.get('/admin/comments');
    assert.equal((await asMo.post(`/admin/comments/${secret.id}/approve`, {})).status, 404, 'not even told it exists');
  });

  it('applies one action to every selected comment and says what could not be done', async () => {
    const a = await add(adas, 'Xena', 'One.');
    const b = await add(adas, 'Yara', 'Two.');
    const notHers = await add(beas, 'Zoe', 'Three.');
    await asAda.get('/admin/comments');
    const body = new URLSearchParams([
      ['_csrf', asAda.csrf],
      ['back', '/admin/comments?tab=pending'],
      ['action', 'approve'],
      ['ids', a.id],
      ['ids', b.id],
      ['ids', notHers.id],
    ]);
    const res = await asAda.request('/admin/comments/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://hearth.test' },
      body,
    });
    assert.equal(res.status, 303);
    const page = await (await asAda.get(res.headers.get('location') ?? '')).text();
    assert.match(page, /2 comments approved\./);
    assert.match(page, /1 could not be changed\./);
    assert.deepEqual([await status(a.id), await status(b.id), await status(notHers.id)], ['published', 'published', 'pending']);
    assert.equal((await asAda.post('/admin/comments/bulk', { action: 'approve' })).status, 422, 'nothing selected');
  });

  it('edits a comment from a form, keeping the text when it comes back empty', async () => {
    const c = await add(adas, 'Abe', 'Typo in teh words.', { status: 'published' });
    const form = await asAda.get(`/admin/comments/${c.id}/edit`);
    assert.match(await form.text(), /Typo in teh words\./);
    const empty = await asAda.post(`/admin/comments/${c.id}/edit`, { markdown: '   ', back: '/admin/comments' });
    assert.equal(empty.status, 422);
    assert.match(await empty.text(), /Write something first\./);
    const saved = await asAda.post(`/admin/comments/${c.id}/edit`, { markdown: 'Typo in the words.', back: '/admin/comments?tab=all' });
    assert.equal(saved.status, 303);
    assert.equal((await t.services.comments.get(ada, c.id)).comment.markdown, 'Typo in the words.');
  });

  it('replies from the queue, approving a held comment, and keeps the words of an empty reply', async () => {
    const c = await add(adas, 'Bo', 'Are you there?');
    await asAda.get('/admin/comments');
    const empty = await asAda.post(`/admin/comments/${c.id}/reply`, { markdown: ' ', back: '/admin/comments' });
    assert.equal(empty.status, 422);
    const res = await asAda.post(`/admin/comments/${c.id}/reply`, { markdown: 'I am here.', back: '/admin/comments' });
    assert.equal(res.status, 303);
    assert.equal(await status(c.id), 'published');
    const page = await (await t.request(`/${adas.slug}/`)).text();
    assert.match(page, /data-author-role="author"/);
    assert.match(page, /I am here\./);
  });
});

describe('a commenter’s page, trust and block', () => {
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  let post: PostRow;
  let asOwner: Browser;
  let asAda: Browser;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    post = await makePost(t, ada, { title: 'Being held' });
    asOwner = new Browser(t);
    asAda = new Browser(t);
    await asOwner.signIn(owner.email);
    await asAda.signIn(ada.email);
  });
  after(() => t.close());

  it('lists her comments and, once she is trusted, publishes her next comment at once', async () => {
    const first = idFromLocation(await sendComment(t, post.slug, { ...reader('Hana'), body: 'My first words here.' }));
    assert.equal((await t.services.comments.get(owner, first)).comment.status, 'pending', 'a first-time commenter is held');
    const page = await (await asAda.get(`/admin/commenters/${first}`)).text();
    assert.match(page, /hana@example\.com/);
    assert.match(page, /My first words here\./);
    assert.doesNotMatch(page, /Block: her comments go to spam/, 'an author may not block');
    const trusted = await asAda.post(`/admin/commenters/${first}/mark`, { mark: 'trusted' });
    assert.equal(trusted.status, 303);
    assert.match(await (await asAda.get(trusted.headers.get('location') ?? '')).text(), /Trusted: her comments are never held\./);
    t.clock.advance(HOUR);
    const next = idFromLocation(await sendComment(t, post.slug, { ...reader('Hana'), body: 'Still a first-timer, but trusted.' }));
    assert.equal((await t.services.comments.get(owner, next)).comment.status, 'published');
  });

  it('sends a blocked commenter’s next comment to spam, and only the owner or a moderator may block', async () => {
    const first = idFromLocation(await sendComment(t, post.slug, { ...reader('Ivo'), body: 'Buy my course.' }));
    await asAda.get(`/admin/commenters/${first}`);
    assert.equal((await asAda.post(`/admin/commenters/${first}/mark`, { mark: 'blocked' })).status, 403);
    await asOwner.get(`/admin/commenters/${first}`);
    assert.equal((await asOwner.post(`/admin/commenters/${first}/mark`, { mark: 'blocked' })).status, 303);
    t.clock.advance(HOUR);
    const res = await sendComment(t, post.slug, { ...reader('Ivo'), body: 'Buy it now.' }, { json: true });
    const { id, status } = (await res.json()) as { id: string; status: string };
    assert.equal(status, 'pending', 'the writer is never told');
    assert.equal((await t.services.comments.get(owner, id)).comment.status, 'spam');
    assert.equal((await asAda.post(`/admin/commenters/${first}/mark`, { mark: 'none' })).status, 403, 'an author cannot lift a block');
  });

  it('lets the roles that work with comments trust, and only the owner and moderators block', () => {
    for (const role of ['owner', 'author', 'moderator'] as const) assert.equal(canTrustCommenter({ id: 'x', role }), true);
    assert.deepEqual(
      (['owner', 'author', 'moderator'] as const).map((role) => canBlockCommenter({ id: 'x', role })),
      [true, false, true],
    );
  });
});

describe('the post page for signed-in staff', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('shows the post’s author the private questions in place, never cached, and readers never', async () => {
    const ada = await makeStaff(t, 'author', 'Ada Author');
    const bea = await makeStaff(t, 'author', 'Bea Author');
    const post = await makePost(t, ada, { title: 'Asking privately' });
    const secret = await t.services.comments.add({
      postId: post.id,
      authorName: 'Lena',
      authorEmail: 'lena@example.com',
      markdown: 'Only for you, Ada.',
      status: 'published',
      visibility: 'private',
    });
    const asReader = await t.request(`/${post.slug}/`);
    assert.doesNotMatch(await asReader.text(), /Only for you, Ada\./);
    const asAda = new Browser(t);
    await asAda.signIn(ada.email);
    const page = await asAda.get(`/${post.slug}/`);
    assert.equal(page.headers.get('cache-control'), 'private, no-store');
    assert.match(await page.text(), new RegExp(`id="comment-${secret.id}"`));
    const asBea = new Browser(t);
    await asBea.signIn(bea.email);
    assert.doesNotMatch(await (await asBea.get(`/${post.slug}/`)).text(), /Only for you, Ada\./, 'another author does not');
  });
});
