// Staff work over the admin API: roles, moderation moves, replies, edits, and the inbox of
// threads awaiting an answer, kept right through every transition.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { idFromLocation, loadPage, newReader, reader, sendComment, staffWithToken, writerPost } from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';

type Staffer = Awaited<ReturnType<typeof staffWithToken>>;
interface CommentJson {
  id: string;
  status: string;
  authorRole: string;
  authorEmail?: string;
  markdown: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
}
interface InboxJson {
  items: { comment: CommentJson; post: { id: string; slug: string; title: string }; waitingSince: string }[];
  total: number;
}

describe('the admin comments API', () => {
  let t: TestApp;
  let kavita: Staffer;
  let other: Staffer;
  let owner: Staffer;
  let moderator: Staffer;
  let hers: PostRow;
  let theirs: PostRow;
  before(async () => {
    t = await testApp();
    kavita = await staffWithToken(t, 'author', 'Kavita Patel');
    other = await staffWithToken(t, 'author', 'Other Author');
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    moderator = await staffWithToken(t, 'moderator', 'Mo Derator');
    hers = await makePost(t, kavita.staff, { title: 'Why getting him to pursue you is not the answer' });
    theirs = await makePost(t, other.staff);
  });
  after(() => t.close());

  it('answers 401 without a token and lists newest first, every post, with the email for staff only', async () => {
    assert.equal((await t.request('/api/v1/admin/comments')).status, 401);
    const a = idFromLocation(await sendComment(t, hers.slug, { ...reader('First'), body: 'One.' }));
    const b = idFromLocation(await sendComment(t, theirs.slug, { ...reader('Second'), body: 'Two.' }));
    const list = (await (await owner.api('/api/v1/admin/comments?status=pending')).json()) as {
      items: CommentJson[];
      total: number;
      next: string | null;
    };
    assert.deepEqual(
      list.items.map((c) => c.id),
      [b, a],
    );
    assert.equal(list.total, 2);
    assert.equal(list.next, null);
    assert.deepEqual(Object.keys(list.items[0] ?? {}).sort(), [
      'authorEmail',
      'authorName',
      'authorRole',
      'createdAt',
      'editedAt',
      'editedBy',
      'html',
      'id',
      'markdown',
      'parentId',
      'postId',
      'status',
      'visibility',
    ]);
    assert.equal(list.items[0]?.authorEmail, 'second@example.com');
    const paged = (await (await owner.api('/api/v1/admin/comments?status=pending&limit=1')).json()) as {
      items: CommentJson[];
      next: string;
    };
    assert.equal(paged.items[0]?.id, b);
    const rest = (await (await owner.api(`/api/v1/admin/comments?status=pending&limit=1&cursor=${paged.next}`)).json()) as {
      items: CommentJson[];
    };
    assert.equal(rest.items[0]?.id, a);
    assert.equal((await owner.api('/api/v1/admin/comments?status=weird')).status, 422);

    // An author sees and moderates only her own posts' comments.
    const kList = (await (await kavita.api('/api/v1/admin/comments?status=pending')).json()) as { items: CommentJson[] };
    assert.deepEqual(
      kList.items.map((c) => c.id),
      [a],
    );
    assert.equal((await kavita.api(`/api/v1/admin/comments/${b}/approve`, { method: 'POST' })).status, 403);
    assert.equal((await kavita.api(`/api/v1/admin/comments/${b}/reply`, { method: 'POST', json: { markdown: 'Hi' } })).status, 403);
    assert.equal((await moderator.api(`/api/v1/admin/comments/${b}/approve`, { method: 'POST' })).status, 200);
  });

  it('moves comments between states, repeating harmlessly, refusing what the table forbids, and keeps the count right', async () => {
    const id = idFromLocation(await sendComment(t, hers.slug, { ...reader('Mover'), body: 'Move me around.' }));
    const count = async () => Number(/data-comment-count="(\d+)"/.exec((await loadPage(t, `/${hers.slug}/`)).html)?.[1]);
    const start = await count();
    const act = async (action: string) => {
      const res = await kavita.api(`/api/v1/admin/comments/${id}/${action}`, { method: 'POST' });
      return { status: res.status, body: (await res.json()) as CommentJson & { error?: { code: string } } };
    };
    assert.equal((await act('approve')).body.status, 'published');
    assert.equal((await act('approve')).status, 200, 'repeating is 200');
    assert.equal(await count(), start + 1);
    assert.equal((await act('spam')).body.status, 'spam');
    assert.equal(await count(), start);
    assert.equal((await act('trash')).body.status, 'trash');
    assert.equal((await act('trash')).status, 200);
    const refused = await act('approve');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error?.code, 'conflict');
    assert.equal((await act('restore')).body.status, 'published');
    assert.equal(await count(), start + 1);
    const trashList = (await (await kavita.api('/api/v1/admin/comments?status=trash')).json()) as { total: number };
    assert.equal(trashList.total, 0);
    assert.equal((await kavita.api(`/api/v1/admin/comments/${id}/explode`, { method: 'POST' })).status, 404);
  });

  it('publishes a staff reply at once with the Author badge, approving the held comment it answers', async () => {
    const id = idFromLocation(await sendComment(t, hers.slug, { ...reader('Stary Tee'), body: 'But how do I get him on the same page?' }));
    const res = await kavita.api(`/api/v1/admin/comments/${id}/reply`, {
      method: 'POST',
      json: { markdown: 'Stary, reaching out **does not** make you needy.' },
    });
    assert.equal(res.status, 201);
    const reply = (await res.json()) as CommentJson & { parentId: string; visibility: string };
    assert.equal(reply.status, 'published');
    assert.equal(reply.authorRole, 'author');
    assert.equal(reply.parentId, id);
    assert.match(reply.html, /<strong>does not<\/strong>/);
    const parent = (await (await kavita.api(`/api/v1/admin/comments/${id}`)).json()) as CommentJson;
    assert.equal(parent.status, 'published');
    const html = (await loadPage(t, `/${hers.slug}/`)).html;
    assert.match(html, new RegExp(`<li id="comment-${reply.id}" class="comment comment-staff" data-author-role="author"`));
    assert.match(html.slice(html.indexOf(`id="comment-${reply.id}"`)), /<span class="badge">Author<\/span>/);
    assert.equal((await kavita.api(`/api/v1/admin/comments/${id}/reply`, { method: 'POST', json: { markdown: '' } })).status, 422);
  });

  it('edits a comment with PATCH, keeping the history', async () => {
    const id = idFromLocation(await sendComment(t, hers.slug, { ...reader('Typo'), body: 'Teh words.' }));
    const res = await owner.api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', json: { markdown: 'The words.' } });
    assert.equal(res.status, 200);
    const edited = (await res.json()) as CommentJson;
    assert.equal(edited.markdown, 'The words.');
    assert.ok(edited.editedAt);
    const revs = (await (await owner.api(`/api/v1/admin/comments/${id}/revisions`)).json()) as { items: { markdown: string }[] };
    assert.deepEqual(
      revs.items.map((r) => r.markdown),
      ['Teh words.'],
    );
  });
});

describe('the inbox of threads awaiting an answer', () => {
  let t: TestApp;
  let kavita: Staffer;
  let other: Staffer;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    kavita = await staffWithToken(t, 'author', 'Kavita Patel');
    other = await staffWithToken(t, 'author', 'Other Author');
    post = await makePost(t, kavita.staff);
  });
  after(() => t.close());

  const inbox = async (who: Staffer) => (await (await who.api('/api/v1/admin/inbox')).json()) as InboxJson;

  it('follows every transition: held, approved, answered, followed up, spammed, restored, trashed, deleted by the writer', async () => {
    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    const stary = newReader();
    const q = idFromLocation(await sendComment(t, post.slug, { ...reader('Stary'), body: 'I am in limbo.' }, { reader: stary }));
    let box = await inbox(kavita);
    assert.equal(box.total, 1, 'a first-time reader held for approval already waits for an answer');
    assert.equal(box.items[0]?.comment.id, q);
    assert.equal(box.items[0]?.comment.status, 'pending');
    await kavita.api(`/api/v1/admin/comments/${q}/approve`, { method: 'POST' });
    box = await inbox(kavita);
    assert.equal(box.total, 1);
    assert.equal(box.items[0]?.comment.id, q);
    assert.deepEqual(box.items[0]?.post, { id: post.id, slug: post.slug, title: post.title });
    assert.equal(box.items[0]?.waitingSince, box.items[0]?.comment.createdAt);
    assert.equal((await inbox(other)).total, 0, "another author does not see her posts' threads");
    assert.equal((await inbox(owner)).total, 1);

    await kavita.api(`/api/v1/admin/comments/${q}/reply`, { method: 'POST', json: { markdown: 'Answered.' } });
    assert.equal((await inbox(kavita)).total, 0);

    t.clock.advance(60_000);
    const follow = idFromLocation(
      await sendComment(
        t,
        post.slug,
        { ...reader('Stary'), body: 'Thanks, one more question.', parent: q, choice: 'reply' },
        { reader: stary },
      ),
    );
    box = await inbox(kavita);
    assert.equal(box.items[0]?.comment.id, follow);

    await kavita.api(`/api/v1/admin/comments/${follow}/spam`, { method: 'POST' });
    assert.equal((await inbox(kavita)).total, 0);
    await kavita.api(`/api/v1/admin/comments/${follow}/restore`, { method: 'POST' });
    assert.equal((await inbox(kavita)).items[0]?.comment.id, follow);
    await kavita.api(`/api/v1/admin/comments/${follow}/trash`, { method: 'POST' });
    assert.equal((await inbox(kavita)).total, 0);
    await kavita.api(`/api/v1/admin/comments/${follow}/restore`, { method: 'POST' });

    // The writer deletes her follow-up within the window: the thread is answered again.
    assert.equal((await writerPost(t, `/${post.slug}/comments/${follow}/delete`, post.slug, {}, stary)).status, 303);
    assert.equal((await inbox(kavita)).total, 0);
  });

  it('lists the oldest wait first, one item per thread, naming the oldest comment still waiting', async () => {
    const a = await t.services.comments.add({
      postId: post.id,
      authorName: 'A',
      authorEmail: 'a@example.com',
      markdown: 'A1',
      status: 'published',
      createdAt: t.clock.now() - 5000,
    });
    const b = await t.services.comments.add({
      postId: post.id,
      authorName: 'B',
      authorEmail: 'b@example.com',
      markdown: 'B1',
      status: 'published',
      createdAt: t.clock.now() - 9000,
    });
    await t.services.comments.add({
      postId: post.id,
      parentId: a.id,
      authorName: 'A',
      authorEmail: 'a@example.com',
      markdown: 'A2',
      status: 'published',
      createdAt: t.clock.now() - 1000,
    });
    const box = await inbox(kavita);
    assert.deepEqual(
      box.items.map((i) => i.comment.id),
      [b.id, a.id],
    );
    assert.equal(box.items[1]?.waitingSince, new Date(t.clock.now() - 5000).toISOString());
    const paged = (await (await kavita.api('/api/v1/admin/inbox?limit=1')).json()) as InboxJson & { next: string };
    assert.equal(paged.items.length, 1);
    const rest = (await (await kavita.api(`/api/v1/admin/inbox?limit=1&cursor=${paged.next}`)).json()) as InboxJson;
    assert.equal(rest.items[0]?.comment.id, a.id);
  });
});
