// "Awaiting your reply" over HTTP: oldest wait first, a reply or "no reply needed" removes a thread
// and a reader's follow-up brings it back (in the page, the admin API and the navigation badge),
// and reading to share beside each reply box.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { staffWithToken } from '../../test/kits/comments.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { CommentRow, PostRow } from '../db/tables.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The waiting threads of an inbox page, in order, by the id of their top comment. */
const entries = (html: string) => [...html.matchAll(/<li class="ib-entry" id="ib-([0-9a-f-]{36})"/g)].map((m) => m[1]);
/** The badge beside "Inbox" in the navigation, or 0 when there is none. */
const badge = (html: string) =>
  Number(/href="\/admin\/inbox"[^>]*>Inbox<span class="ws-badge"><span class="visually-hidden">, <\/span>(\d+)/.exec(html)?.[1] ?? 0);
/** The suggested post titles beside the reply box of one thread. */
function suggestions(html: string, rootId: string): string[] {
  const entry = html.slice(html.indexOf(`id="ib-${rootId}"`));
  const share = entry.slice(0, entry.indexOf('</aside>'));
  return [...share.matchAll(/<li><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1] as string);
}

describe('awaiting your reply', () => {
  let t: TestApp;
  let ada: Staff;
  let bea: Staff;
  let adas: PostRow;
  let beas: PostRow;
  let asAda: Browser;
  const write = (
    post: PostRow,
    who: string,
    text: string,
    o: { at?: number; parent?: CommentRow; private?: boolean; staff?: Staff } = {},
  ) =>
    t.services.comments.add({
      postId: post.id,
      parentId: o.parent?.id ?? null,
      authorName: o.staff?.name ?? who,
      authorEmail: o.staff?.email ?? `${who.toLowerCase()}@example.com`,
      staff: o.staff,
      markdown: text,
      status: 'published',
      visibility: o.private ? 'private' : 'public',
      createdAt: o.at ?? t.clock.now(),
    });

  before(async () => {
    t = await testApp();
    ada = await makeStaff(t, 'author', 'Kavita Patel');
    bea = await makeStaff(t, 'author', 'Bea Author');
    adas = await makePost(t, ada, { title: 'Why getting him to pursue you is not the answer' });
    beas = await makePost(t, bea, { title: 'On gardens' });
    asAda = new Browser(t);
    await asAda.signIn(ada.email);
  });
  after(() => t.close());

  it('lists the threads on her posts oldest wait first, with how long each reader has waited', async () => {
    const now = t.clock.now();
    const kristina = await write(adas, 'Kristina', 'My father never cared.', { at: now - 2 * DAY });
    const stary = await write(adas, 'Stary', 'It has been five days and I am in limbo.', { at: now - 5 * DAY });
    await write(beas, 'Gardener', 'Which roses?', { at: now - 9 * DAY });
    const answered = await write(adas, 'Tatia', 'I love this article.', { at: now - 7 * DAY });
    await write(adas, '', 'Thanks Tatia.', { at: now - 6 * DAY, parent: answered, staff: ada });
    const html = await (await asAda.get('/admin/inbox')).text();
    assert.deepEqual(entries(html), [stary.id, kristina.id], 'oldest wait first, answered and others’ threads left out');
    assert.match(html, /Waiting 5 days/);
    assert.match(html, /Waiting 2 days/);
    assert.equal(badge(html), 2);
  });

  it('removes a thread when she answers, publishing the reply at once with the Author badge', async () => {
    const q = await write(adas, 'Mina', 'How do I ask for what I want?', { at: t.clock.now() - DAY });
    await asAda.get('/admin/inbox');
    assert.ok(entries(asAda.lastHtml).includes(q.id));
    const before = badge(asAda.lastHtml);
    const res = await asAda.post(`/admin/comments/${q.id}/reply`, { markdown: 'Ask him, kindly.', back: '/admin/inbox' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/inbox?done=reply');
    const html = await (await asAda.get('/admin/inbox')).text();
    assert.ok(!entries(html).includes(q.id));
    assert.equal(badge(html), before - 1);
    const page = await (await t.request(`/${adas.slug}/`)).text();
    assert.match(page, /data-author-role="author"[^>]*>.*?<span class="badge">Author<\/span>.*?Ask him, kindly\./s);
  });

  it('shows a first-time reader’s held question as waiting, and answering it approves and publishes both', async () => {
    const held = await t.services.comments.add({
      postId: adas.id,
      authorName: 'Lior',
      authorEmail: 'lior@example.com',
      markdown: 'I am new here. Is it too late for us?',
      status: 'pending',
      createdAt: t.clock.now() - 4 * HOUR,
    });
    const mention = await t.services.comments.add({
      postId: adas.id,
      authorName: 'Some blog',
      authorEmail: '',
      markdown: 'Linked from elsewhere.',
      status: 'published',
      kind: 'mention',
      createdAt: t.clock.now() - 30 * DAY,
    });
    const html = await (await asAda.get('/admin/inbox')).text();
    assert.ok(entries(html).includes(held.id), 'a held question waits');
    assert.ok(!entries(html).includes(mention.id), 'a mention never waits');
    const entry = html.slice(html.indexOf(`id="ib-${held.id}"`), html.indexOf('</li>', html.indexOf(`id="ib-${held.id}"`)) + 2000);
    assert.match(entry, /Held/);
    assert.match(entry, /<button type="submit">Approve and reply<\/button>/);
    assert.match(entry, /Lior writes here for the first time and is held for you/);
    assert.doesNotMatch(await (await t.request(`/${adas.slug}/`)).text(), /Is it too late for us\?/, 'held words are not shown yet');

    const res = await asAda.post(`/admin/comments/${held.id}/reply`, { markdown: 'It is never too late.', back: '/admin/inbox' });
    assert.equal(res.status, 303);
    assert.ok(!entries(await (await asAda.get('/admin/inbox')).text()).includes(held.id), 'answered');
    const page = await (await t.request(`/${adas.slug}/`)).text();
    assert.match(page, /Is it too late for us\?[\s\S]*It is never too late\./, 'her question and the answer are both published');
  });

  it('answers a private question privately', async () => {
    const q = await write(adas, 'Noor', 'A question only for you.', { private: true, at: t.clock.now() - HOUR });
    await asAda.get('/admin/inbox');
    assert.match(asAda.lastHtml, /Private: only Noor and the post’s author see it\./);
    await asAda.post(`/admin/comments/${q.id}/reply`, { markdown: 'Just between us.', back: '/admin/inbox' });
    const thread = await t.services.comments.list(ada, { statuses: ['published'], limit: 50, after: undefined });
    const reply = thread.items.find((i) => i.comment.parent_id === q.id);
    assert.equal(reply?.comment.visibility, 'private');
    assert.doesNotMatch(await (await t.request(`/${adas.slug}/`)).text(), /Just between us\./);
  });

  it('removes a dismissed thread until the reader writes again, in the page, the API and the badge', async () => {
    const api = await staffWithToken(t, 'owner', 'Olive Owner');
    const q = await write(adas, 'Ola', 'Thank you, that is all.', { at: t.clock.now() - 3 * HOUR });
    await asAda.get('/admin/inbox');
    const before = badge(asAda.lastHtml);
    const apiIds = async () =>
      ((await (await api.api('/api/v1/admin/inbox')).json()) as { items: { comment: { id: string } }[] }).items.map((i) => i.comment.id);
    assert.ok((await apiIds()).includes(q.id));
    const res = await asAda.post(`/admin/inbox/${q.id}/dismiss`, {});
    assert.equal(res.status, 303);
    let html = await (await asAda.get('/admin/inbox')).text();
    assert.ok(!entries(html).includes(q.id));
    assert.equal(badge(html), before - 1);
    assert.ok(!(await apiIds()).includes(q.id), 'the admin API honours the dismissal');
    t.clock.advance(HOUR);
    const followUp = await write(adas, 'Ola', 'Actually, one more question.', { parent: q });
    html = await (await asAda.get('/admin/inbox')).text();
    assert.ok(entries(html).includes(q.id), 'her follow-up brings the thread back');
    assert.match(html, /Actually, one more question\./);
    assert.match(html, new RegExp(`action="/admin/comments/${followUp.id}/reply"`), 'the reply answers her latest words');
    assert.equal(badge(html), before);
    assert.ok((await apiIds()).includes(followUp.id));
  });

  it('brings an answered thread back when the reader follows up, with the earlier words collapsed', async () => {
    const q = await write(adas, 'Rhea', 'First question.', { at: t.clock.now() - 2 * HOUR });
    await write(adas, '', 'First answer.', { parent: q, staff: ada, at: t.clock.now() - HOUR });
    let html = await (await asAda.get('/admin/inbox')).text();
    assert.ok(!entries(html).includes(q.id));
    await write(adas, 'Rhea', 'A follow-up.', { parent: q });
    html = await (await asAda.get('/admin/inbox')).text();
    assert.ok(entries(html).includes(q.id));
    const entry = html.slice(html.indexOf(`id="ib-${q.id}"`));
    assert.match(entry, /<details class="ib-earlier"><summary>Earlier in this thread \(2\)<\/summary>.*First question\..*First answer\./s);
  });

  it('refuses to dismiss another author’s thread', async () => {
    const q = await write(beas, 'Sol', 'For Bea.');
    await asAda.get('/admin/inbox');
    assert.equal((await asAda.post(`/admin/inbox/${q.id}/dismiss`, {})).status, 403);
  });

  it('keeps her choice of the daily digest', async () => {
    await asAda.get('/admin/inbox');
    assert.doesNotMatch(asAda.lastHtml, /id="digest" name="digest" value="on" checked/);
    assert.equal((await asAda.post('/admin/inbox/digest', { digest: 'on' })).status, 303);
    assert.equal((await t.services.notify.subscriptions.staffNotices(ada)).digest, true);
    assert.match(await (await asAda.get('/admin/inbox')).text(), /id="digest" name="digest" value="on" checked/);
    await asAda.post('/admin/inbox/digest', {});
    assert.equal((await t.services.notify.subscriptions.staffNotices(ada)).digest, false);
  });
});

describe('reading to share', () => {
  let t: TestApp;
  let kavita: Staff;
  let asKavita: Browser;
  before(async () => {
    t = await testApp();
    kavita = await makeStaff(t, 'author', 'Kavita Patel');
    asKavita = new Browser(t);
    await asKavita.signIn(kavita.email);
  });
  after(() => t.close());

  it('offers her own published posts on the reader’s subject, the one she names first, ignoring case and punctuation', async () => {
    const other = await makeStaff(t, 'author', 'Someone Else');
    const post = (title: string, markdown: string, extra: { author?: Staff; status?: 'draft' | 'published' } = {}) =>
      makePost(t, extra.author ?? kavita, { title, markdown, status: extra.status ?? 'published' });
    // Every word of this title is too common to search for: only its name can bring it up.
    const named = await post('What you really want', 'Telling someone how you feel.');
    const pursue = await post('Waiting for him to pursue you', 'Pursue, pursue: the waiting game and feeling needy.');
    const needy = await post('Am I too needy?', 'On feeling needy and forward with a man you met.');
    await post('Making sourdough', 'Flour, water, salt.');
    await post('The waiting game, drafted', 'Waiting game and needy pursue forward.', { status: 'draft' });
    await post('Someone else on waiting', 'The waiting game, needy, pursue, forward.', { author: other });
    const here = await post('Why getting him to pursue you is not the answer', 'The post she comments on.');
    const q = await t.services.comments.add({
      postId: here.id,
      authorName: 'Stary Tee',
      authorEmail: 'stary@example.com',
      markdown:
        'I read your old post (**WHAT you REALLY want?!**) and the waiting game began. My friends say I was too forward and I do not want to seem needy.',
      status: 'published',
    });
    const html = await (await asKavita.get('/admin/inbox')).text();
    const offered = suggestions(html, q.id);
    assert.equal(offered[0], named.title, 'the post she names comes first');
    assert.deepEqual(new Set(offered.slice(1)), new Set([pursue.title, needy.title]), 'then posts on her subject');
    assert.ok(offered.length <= 5);
    assert.match(html, new RegExp(`<code class="ib-url">http://hearth.test/${named.slug}/</code>`), 'its address to copy without scripts');
    assert.match(html, new RegExp(`data-insert="\\[What you really want\\]\\(http://hearth.test/${named.slug}/\\)"`));
  });

  it('offers her programs as cards when she has any', async () => {
    const here = await makePost(t, kavita, { title: 'A post with a reader' });
    await makePost(t, kavita, { title: 'Worthy From Within', kind: 'program', slug: 'worthy-from-within', markdown: 'Eight weeks.' });
    const q = await t.services.comments.add({
      postId: here.id,
      authorName: 'Kristina',
      authorEmail: 'kristina@example.com',
      markdown: 'Is there a way to work with you?',
      status: 'published',
    });
    const html = await (await asKavita.get('/admin/inbox')).text();
    const entry = html.slice(html.indexOf(`id="ib-${q.id}"`));
    assert.match(entry.slice(0, entry.indexOf('</aside>')), /data-insert="\{\{program worthy-from-within\}\}"/);
  });
});
