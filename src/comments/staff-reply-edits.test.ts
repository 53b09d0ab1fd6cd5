// A staff member's reply is signed with her name: only she and the owner may change its words,
// through the admin API and the workspace alike.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { PostRow } from '../db/tables.js';
import { idFromLocation, reader, sendComment, staffWithToken } from './test-kit.js';

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
