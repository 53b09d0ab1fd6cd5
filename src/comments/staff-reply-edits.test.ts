// A staff member's reply is signed with her name: only she and the owner may change its words,
// through the admin API and the workspace alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { idFromLocation, newReader, reader, sendComment, staffWithToken, writerPost } from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';

type Staffer = Awaited<ReturnType<typeof staffWithToken>>;

describe('who may rewrite a staff reply', () => {
  let t: TestApp;
  let owner: Staffer;
  let kavita: Staffer;
  let mo: Staffer;
  let mina: Staffer;
  let post: PostRow;
  let question: string;
  before(async () => {
    t = await testApp();
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    kavita = await staffWithToken(t, 'author', 'Kavita Patel');
    mo = await staffWithToken(t, 'moderator', 'Mo Derator');
    mina = await staffWithToken(t, 'moderator', 'Mina Moss');
    post = await makePost(t, kavita.staff, { title: 'Why getting him to pursue you is not the answer' });
    question = idFromLocation(await sendComment(t, post.slug, { ...reader('Nora'), body: 'What should I do now?' }));
  });
  after(() => t.close());

  const replyAs = async (who: Staffer, markdown: string) => {
    const res = await who.api(`/api/v1/admin/comments/${question}/reply`, { method: 'POST', json: { markdown } });
    assert.equal(res.status, 201);
    return ((await res.json()) as { id: string }).id;
  };
  const patch = (who: Staffer, id: string, markdown: string) =>
    who.api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', json: { markdown } });
  const words = async (id: string) => (await t.services.comments.get(owner.staff, id)).comment.markdown;

  it('refuses with 403 a colleague rewriting a staff reply over the API, and leaves the words as written', async () => {
    const kavitas = await replyAs(kavita, 'Kavita’s own answer.');
    const mos = await replyAs(mo, 'Mo’s own answer.');
    for (const [who, id] of [
      [mo, kavitas],
      [mina, kavitas],
      [kavita, mos],
      [mina, mos],
    ] as const) {
      const res = await patch(who, id, 'Words put in a colleague’s mouth.');
      assert.equal(res.status, 403, `${who.staff.name} on ${id === mos ? 'Mo' : 'Kavita'}’s reply`);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'forbidden');
    }
    assert.equal(await words(kavitas), 'Kavita’s own answer.');
    assert.equal(await words(mos), 'Mo’s own answer.');
  });

  it('lets the writer of a reply and the owner change it, and every staff member who moderates it change a reader’s words', async () => {
    const mos = await replyAs(mo, 'Mo’s answr.');
    assert.equal((await patch(mo, mos, 'Mo’s answer.')).status, 200, 'her own words');
    assert.equal((await patch(owner, mos, 'Mo’s answer, tidied by the owner.')).status, 200, 'the owner');
    assert.equal(await words(mos), 'Mo’s answer, tidied by the owner.');
    for (const who of [kavita, mo, owner]) {
      assert.equal((await patch(who, question, `What should I do now? (${who.staff.name})`)).status, 200, who.staff.name);
    }
  });

  it('offers no Edit link for a colleague’s reply in the workspace queue, and refuses its edit page and form with 403', async () => {
    const mos = await replyAs(mo, 'Mo answers from the queue.');
    const kavitas = await replyAs(kavita, 'Kavita answers from the queue.');
    const asKavita = new Browser(t);
    await asKavita.signIn(kavita.staff.email);
    const queue = await (await asKavita.get('/admin/comments?tab=all')).text();
    assert.ok(queue.includes(`id="mq-${mos}"`), 'she sees Mo’s reply on her post');
    assert.ok(!queue.includes(`href="/admin/comments/${mos}/edit`), 'but may not edit it');
    assert.ok(queue.includes(`href="/admin/comments/${kavitas}/edit`), 'her own reply she may edit');
    assert.ok(queue.includes(`href="/admin/comments/${question}/edit`), 'and the reader’s comment');
    assert.equal((await asKavita.get(`/admin/comments/${mos}/edit`)).status, 403);
    const refused = await asKavita.post(`/admin/comments/${mos}/edit`, { markdown: 'Rewritten.', back: '/admin/comments' });
    assert.equal(refused.status, 403);
    const empty = await asKavita.post(`/admin/comments/${mos}/edit`, { markdown: ' ', back: '/admin/comments' });
    assert.equal(empty.status, 403, 'an empty form does not open the edit page either');
    assert.equal(await words(mos), 'Mo answers from the queue.');

    const asOwner = new Browser(t);
    await asOwner.signIn(owner.staff.email);
    const ownersQueue = await (await asOwner.get('/admin/comments?tab=all')).text();
    assert.ok(ownersQueue.includes(`href="/admin/comments/${mos}/edit`), 'the owner may edit any reply');
    assert.equal((await asOwner.get(`/admin/comments/${mos}/edit`)).status, 200);
    const saved = await asOwner.post(`/admin/comments/${mos}/edit`, { markdown: 'Mo answers, owner-tidied.', back: '/admin/comments' });
    assert.equal(saved.status, 303);
    assert.equal(await words(mos), 'Mo answers, owner-tidied.');
  });
});

describe('an edited reply says who edited it', () => {
  let t: TestApp;
  let owner: Staffer;
  let kavita: Staffer;
  let mo: Staffer;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    kavita = await staffWithToken(t, 'author', 'Kavita Patel');
    mo = await staffWithToken(t, 'moderator', 'Mo Derator');
    post = await makePost(t, kavita.staff, { title: 'On waiting for a reply' });
  });
  after(() => t.close());

  it('records the owner’s edit of a moderator’s reply, shows staff “edited by” with the time in the queue, the inbox and the API, and readers a plain “edited”', async () => {
    const nora = newReader();
    const question = idFromLocation(await sendComment(t, post.slug, { ...reader('Nora'), body: 'Is it too late?' }, { reader: nora }));
    const replied = await mo.api(`/api/v1/admin/comments/${question}/reply`, { method: 'POST', json: { markdown: 'It never is, Nroa.' } });
    const reply = ((await replied.json()) as { id: string }).id;
    t.clock.advance(2 * 3600_000);
    const editedAt = new Date(t.clock.now()).toISOString();
    const patched = await owner.api(`/api/v1/admin/comments/${reply}`, { method: 'PATCH', json: { markdown: 'It never is, Nora.' } });
    assert.equal(patched.status, 200);
    const json = (await patched.json()) as { editedAt: string; editedBy: { name: string; staffId: string | null } | null };
    assert.equal(json.editedAt, editedAt);
    assert.deepEqual(json.editedBy, { name: 'Olive Owner', staffId: owner.staff.id });
    const stored = await t.conn.db
      .selectFrom('comments')
      .select(['edited_at', 'edited_by'])
      .where('id', '=', reply)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { edited_at: t.clock.now(), edited_by: owner.staff.id });

    // Nora answers the reply, so the thread waits in Kavita's inbox with Mo's reply above her words.
    t.clock.advance(60_000);
    const followUp = idFromLocation(
      await sendComment(t, post.slug, { ...reader('Nora'), body: 'Thank you, that helps.', parent: reply }, { reader: nora }),
    );
    await owner.api(`/api/v1/admin/comments/${followUp}/approve`, { method: 'POST' });

    const asKavita = new Browser(t);
    await asKavita.signIn(kavita.staff.email);
    const mark = new RegExp(`edited by Olive Owner <time datetime="${editedAt}">`);
    const entry = (html: string, prefix: string) => {
      const at = html.indexOf(`id="${prefix}${reply}"`);
      assert.ok(at > 0, `${prefix}${reply} is on the page`);
      return html.slice(at, html.indexOf('</li>', at));
    };
    assert.match(entry(await (await asKavita.get('/admin/comments?tab=all')).text(), 'mq-'), mark, 'in the queue');
    assert.match(entry(await (await asKavita.get('/admin/inbox')).text(), 'ib-comment-'), mark, 'in the inbox');

    const page = await (await t.request(`/${post.slug}/`)).text();
    const shown = page.slice(page.indexOf(`id="comment-${reply}"`));
    assert.match(shown, /<span class="edited">edited<\/span>/, 'readers see that it was edited');
    assert.doesNotMatch(page, /edited by|Olive Owner/, 'but not by whom');
  });

  it('names the reader herself when she edited her own words', async () => {
    const pia = newReader();
    const id = idFromLocation(await sendComment(t, post.slug, { ...reader('Pia'), body: 'Frist thoughts.' }, { reader: pia }));
    await owner.api(`/api/v1/admin/comments/${id}/approve`, { method: 'POST' });
    t.clock.advance(60_000);
    const edited = await writerPost(t, `/${post.slug}/comments/${id}/edit`, post.slug, { body: 'First thoughts.' }, pia);
    assert.equal(edited.status, 303);
    const json = (await (await owner.api(`/api/v1/admin/comments/${id}`)).json()) as { editedBy: unknown };
    assert.deepEqual(json.editedBy, { name: 'Pia', staffId: null });
    const asOwner = new Browser(t);
    await asOwner.signIn(owner.staff.email);
    const queue = await (await asOwner.get('/admin/comments?tab=all')).text();
    const item = queue.slice(queue.indexOf(`id="mq-${id}"`));
    assert.match(item.slice(0, item.indexOf('</li>')), /edited by Pia <time/);
  });
});
