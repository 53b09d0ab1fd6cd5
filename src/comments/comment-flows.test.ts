// Fixing one's own words, private questions, and finding a comment in a long conversation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import {
  commentIds,
  hiddenFields,
  idFromLocation,
  loadPage,
  newReader,
  reader,
  sendComment,
  staffWithToken,
  writerPost,
} from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';
import { commentLinks } from './signing.js';

const MINUTE = 60_000;

describe('fixing your own words', () => {
  let t: TestApp;
  let post: PostRow;
  let owner: Awaited<ReturnType<typeof staffWithToken>>;
  before(async () => {
    t = await testApp();
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    post = await makePost(t, owner.staff);
    await t.services.conversationSettings.update({ hold: 'none' });
  });
  after(() => t.close());

  it('lets the writer edit within the window from the post page, keeping the history for staff', async () => {
    const sara = newReader();
    const id = idFromLocation(
      await sendComment(t, post.slug, { ...reader('Sara'), body: 'How do I get him on the same pge?' }, { reader: sara }),
    );
    const page = (await loadPage(t, `/${post.slug}/`, sara)).html;
    assert.match(page, new RegExp(`href="/${post.slug}/\\?edit=${id}#comment-${id}"`));
    assert.doesNotMatch((await loadPage(t, `/${post.slug}/`)).html, /\?edit=/, 'no one else is offered the edit');
    const form = (await loadPage(t, `/${post.slug}/?edit=${id}`, sara)).html;
    assert.match(form, new RegExp(`action="/${post.slug}/comments/${id}/edit"`));
    assert.match(form, /same pge\?<\/textarea>/);

    t.clock.advance(10 * MINUTE);
    const res = await writerPost(t, `/${post.slug}/comments/${id}/edit`, post.slug, { body: 'How do I get him on the same page?' }, sara);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/${post.slug}/#comment-${id}`);
    const html = (await loadPage(t, `/${post.slug}/`)).html;
    assert.match(html, /same page\?/);
    assert.match(html, /<span class="edited">edited<\/span>/);
    const revisions = (await (await owner.api(`/api/v1/admin/comments/${id}/revisions`)).json()) as {
      items: { markdown: string; editedBy: string }[];
    };
    assert.deepEqual(
      revisions.items.map((r) => [r.markdown, r.editedBy]),
      [['How do I get him on the same pge?', 'writer']],
    );
    const json = (await (await owner.api(`/api/v1/admin/comments/${id}`)).json()) as { editedAt: string | null };
    assert.match(json.editedAt ?? '', /^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('closes the edit window after 15 minutes, and never opens it to someone else', async () => {
    const lea = newReader();
    const id = idFromLocation(await sendComment(t, post.slug, { ...reader('Lea'), body: 'Words to fix later.' }, { reader: lea }));
    const stranger = newReader();
    await sendComment(t, post.slug, { ...reader('Stranger'), body: 'I have a credential too.' }, { reader: stranger });
    const theirs = await writerPost(t, `/${post.slug}/comments/${id}/edit`, post.slug, { body: 'Hijacked.' }, stranger);
    assert.equal(theirs.status, 403);
    t.clock.advance(16 * MINUTE);
    const late = await writerPost(t, `/${post.slug}/comments/${id}/edit`, post.slug, { body: 'Too late.' }, lea);
    assert.equal(late.status, 403);
    assert.doesNotMatch((await loadPage(t, `/${post.slug}/`, lea)).html, new RegExp(`\\?edit=${id}`));
    assert.match((await loadPage(t, `/${post.slug}/`)).html, /Words to fix later\./);
  });

  it('lets the writer delete within the window, which updates the count', async () => {
    const before = Number(/data-comment-count="(\d+)"/.exec((await loadPage(t, `/${post.slug}/`)).html)?.[1]);
    const dan = newReader();
    const id = idFromLocation(await sendComment(t, post.slug, { ...reader('Dan'), body: 'Posted by mistake.' }, { reader: dan }));
    assert.match((await loadPage(t, `/${post.slug}/`)).html, new RegExp(`data-comment-count="${before + 1}"`));
    const res = await writerPost(t, `/${post.slug}/comments/${id}/delete`, post.slug, {}, dan);
    assert.equal(res.status, 303);
    const html = (await loadPage(t, `/${post.slug}/`, dan)).html;
    assert.ok(!commentIds(html).includes(id));
    assert.match(html, new RegExp(`data-comment-count="${before}"`));
  });

  it('offers a reply to her own fresh comment as an edit instead, and does what she chooses', async () => {
    const sara = newReader();
    const id = idFromLocation(
      await sendComment(t, post.slug, { ...reader('Stary'), body: 'But do I get him on the same page with me?' }, { reader: sara }),
    );
    const choice = await sendComment(
      t,
      post.slug,
      { ...reader('Stary'), body: '**How do I get him on the same page with me?', parent: id },
      { reader: sara },
    );
    assert.equal(choice.status, 200);
    const page = await choice.text();
    assert.match(page, /Add to my comment/);
    assert.match(page, /Post it as a reply instead/);
    assert.match(page, new RegExp(`action="/${post.slug}/comments/${id}/edit"`));

    const added = await writerPost(
      t,
      `/${post.slug}/comments/${id}/edit`,
      post.slug,
      { body: 'How do I get him on the same page with me?', append: 'on' },
      sara,
    );
    assert.equal(added.status, 303);
    const row = await t.conn.db.selectFrom('comments').select('markdown').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.markdown, 'But do I get him on the same page with me?\n\nHow do I get him on the same page with me?');

    const reply = await sendComment(
      t,
      post.slug,
      { ...reader('Stary'), body: 'A real reply to myself.', parent: id, choice: 'reply' },
      { reader: sara },
    );
    assert.equal(reply.status, 303);
    const replyId = idFromLocation(reply);
    const html = (await loadPage(t, `/${post.slug}/`)).html;
    assert.ok(html.indexOf(`id="comment-${id}"`) < html.indexOf(`id="comment-${replyId}"`));

    // Someone else answering her comment is just a reply.
    const other = await sendComment(t, post.slug, { ...reader('Friend'), body: 'Hang in there.', parent: id });
    assert.equal(other.status, 303);
  });
});

describe('private questions', () => {
  let t: TestApp;
  let post: PostRow;
  let author: Awaited<ReturnType<typeof staffWithToken>>;
  before(async () => {
    t = await testApp();
    author = await staffWithToken(t, 'author', 'Kavita Author');
    post = await makePost(t, author.staff);
    await t.services.conversationSettings.update({ hold: 'none' });
  });
  after(() => t.close());

  it('is seen by its writer, the post author and the owner; never by moderators, readers, counts or the public API', async () => {
    const kris = newReader();
    const res = await sendComment(
      t,
      post.slug,
      { ...reader('Kristina'), body: 'Something personal about my father.', private: 'on' },
      { reader: kris },
    );
    const id = idFromLocation(res);
    const hers = (await loadPage(t, `/${post.slug}/`, kris)).html;
    assert.ok(commentIds(hers).includes(id));
    assert.match(hers, /Private: only the author and you can see this/);
    assert.match(hers, /data-comment-count="0"/);
    const publicPage = (await loadPage(t, `/${post.slug}/`)).html;
    assert.ok(!commentIds(publicPage).includes(id));
    assert.doesNotMatch(publicPage, /my father/);
    const api = (await (await t.request(`/api/v1/posts/${post.slug}/comments`)).json()) as { items: unknown[]; total: number };
    assert.equal(api.total, 0);

    const moderator = await staffWithToken(t, 'moderator', 'Mo Derator');
    assert.equal((await moderator.api(`/api/v1/admin/comments/${id}`)).status, 404);
    assert.equal((await moderator.api(`/api/v1/admin/comments/${id}/approve`, { method: 'POST' })).status, 404);
    const modList = (await (await moderator.api('/api/v1/admin/comments')).json()) as { items: { id: string }[] };
    assert.ok(!modList.items.some((c) => c.id === id));
    assert.equal(((await (await moderator.api('/api/v1/admin/inbox')).json()) as { total: number }).total, 0);

    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    assert.equal((await owner.api(`/api/v1/admin/comments/${id}`)).status, 200);
    const inbox = (await (await author.api('/api/v1/admin/inbox')).json()) as { items: { comment: { id: string; visibility: string } }[] };
    assert.deepEqual(
      inbox.items.map((i) => [i.comment.id, i.comment.visibility]),
      [[id, 'private']],
    );

    // The author answers privately: the writer reads it, no one else does.
    const reply = await author.api(`/api/v1/admin/comments/${id}/reply`, {
      method: 'POST',
      json: { markdown: 'Thank you for trusting me with this.' },
    });
    assert.equal(reply.status, 201);
    const answer = (await reply.json()) as { id: string; visibility: string; authorRole: string };
    assert.equal(answer.visibility, 'private');
    assert.equal(answer.authorRole, 'author');
    assert.match((await loadPage(t, `/${post.slug}/`, kris)).html, /Thank you for trusting me/);
    assert.doesNotMatch((await loadPage(t, `/${post.slug}/`)).html, /Thank you for trusting me/);
    assert.equal(((await (await author.api('/api/v1/admin/inbox')).json()) as { total: number }).total, 0);
    const events = await t.conn.db.selectFrom('outbox').select('dedupe_key').where('kind', '=', 'comment.published').execute();
    assert.ok(
      events.some((e) => e.dedupe_key === `comment.published:${answer.id}`),
      'the private answer is announced for the email',
    );

    // Her emailed link shows it without any cookie.
    const secret = await t.services.settings.secret();
    const links = commentLinks(secret, '', post.slug, id);
    const viewed = await t.request(links.view);
    assert.equal(viewed.status, 200);
    const viewHtml = await viewed.text();
    assert.match(viewHtml, /my father/);
    assert.match(viewHtml, /Thank you for trusting me/);
    assert.equal((await t.request(`/${post.slug}/comments/${id}?key=forged`)).status, 404);

    // She consents through the signed link: public, name withheld, answer shown too.
    const consentPage = await t.request(links.consent);
    assert.equal(consentPage.status, 200);
    assert.match(await consentPage.text(), /publish it without my name/);
    const key = new URL(links.consent, 'http://x').searchParams.get('key') ?? '';
    const consent = await t.request(`/${post.slug}/comments/${id}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://hearth.test' },
      body: new URLSearchParams({ key }).toString(),
    });
    assert.equal(consent.status, 200);
    const after = (await loadPage(t, `/${post.slug}/`)).html;
    assert.ok(commentIds(after).includes(id));
    assert.ok(commentIds(after).includes(answer.id));
    assert.match(after, /A reader/);
    assert.doesNotMatch(after, /Kristina/);
    assert.match(after, /data-comment-count="2"/);
  });

  it('refuses consent without a valid key or her credential', async () => {
    const id = idFromLocation(await sendComment(t, post.slug, { ...reader('Quiet'), body: 'Keep this between us.', private: 'on' }));
    const res = await t.request(`/${post.slug}/comments/${id}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://hearth.test' },
      body: 'key=wrong',
    });
    assert.equal(res.status, 404);
    assert.doesNotMatch((await loadPage(t, `/${post.slug}/`)).html, /Keep this between us/);
  });
});

describe('long conversations', () => {
  let t: TestApp;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    post = await makePost(t, owner.staff);
  });
  after(() => t.close());

  it('pages by top-level thread, sorts oldest or newest, and sends each permalink to the right page', async () => {
    await t.services.conversationSettings.update({ threadsPerPage: 2 });
    const roots: string[] = [];
    for (let i = 0; i < 5; i++) {
      const root = await t.services.comments.add({
        postId: post.id,
        authorName: `R${i}`,
        authorEmail: `r${i}@example.com`,
        markdown: `Root ${i}`,
        status: 'published',
        createdAt: t.clock.now() - (10 - i) * MINUTE,
      });
      await t.services.comments.add({
        postId: post.id,
        parentId: root.id,
        authorName: `A${i}`,
        authorEmail: `a${i}@example.com`,
        markdown: `Reply ${i}`,
        status: 'published',
        createdAt: t.clock.now() - (10 - i) * MINUTE + 1000,
      });
      roots.push(root.id);
    }
    const first = (await loadPage(t, `/${post.slug}/`)).html;
    assert.equal(commentIds(first).length, 4);
    assert.match(first, /data-comment-count="10"/);
    assert.match(first, new RegExp(`href="/${post.slug}/\\?page=2#comments" rel="next"`));
    const third = (await loadPage(t, `/${post.slug}/?page=3`)).html;
    assert.equal(commentIds(third)[0], roots[4]);
    assert.equal(commentIds(third).length, 2);
    const newest = (await loadPage(t, `/${post.slug}/?sort=newest`)).html;
    assert.equal(commentIds(newest)[0], roots[4]);

    // A reply link is the same on every page; it opens the form on the page that holds the comment.
    assert.match(third, new RegExp(`href="/${post.slug}/\\?replyto=${roots[4]}#respond"`));
    const replying = (await loadPage(t, `/${post.slug}/?replyto=${roots[4]}`)).html;
    assert.deepEqual(commentIds(replying), commentIds(third));
    assert.match(replying, new RegExp(`<input type="hidden" name="parent" value="${roots[4]}"`));
    assert.match(replying, /Reply to R4/);
    // A reply link to a comment that is not here (removed, or made up) shows the first page and the plain form.
    const unknown = await loadPage(t, `/${post.slug}/?replyto=00000000-0000-7000-8000-000000000000`);
    assert.deepEqual(commentIds(unknown.html), commentIds(first));
    assert.match(unknown.html, /Leave a comment/);

    const reply = await t.conn.db
      .selectFrom('comments')
      .select('id')
      .where('parent_id', '=', roots[4] as string)
      .executeTakeFirstOrThrow();
    const link = await t.request(`/${post.slug}/comments/${reply.id}`);
    assert.equal(link.status, 303);
    assert.equal(link.headers.get('location'), `/${post.slug}/?page=3#comment-${reply.id}`);
    const firstLink = await t.request(`/${post.slug}/comments/${roots[0]}`);
    assert.equal(firstLink.headers.get('location'), `/${post.slug}/#comment-${roots[0]}`);

    const api = (await (await t.request(`/api/v1/posts/${post.slug}/comments?limit=2`)).json()) as {
      items: { id: string; authorRole: string; replies: { parentId: string }[] }[];
      total: number;
      next: string | null;
    };
    assert.equal(api.total, 5);
    assert.deepEqual(
      api.items.map((i) => i.id),
      roots.slice(0, 2),
    );
    assert.equal(api.items[0]?.replies[0]?.parentId, roots[0]);
    assert.equal(api.items[0]?.authorRole, 'reader');
    assert.ok(api.next);
    const next = (await (await t.request(`/api/v1/posts/${post.slug}/comments?limit=2&cursor=${api.next}`)).json()) as {
      items: { id: string }[];
    };
    assert.deepEqual(
      next.items.map((i) => i.id),
      roots.slice(2, 4),
    );
    const held = await sendComment(t, post.slug, { ...reader('New'), body: 'Fresh and held.' });
    assert.equal(held.status, 303);
    assert.match(held.headers.get('location') ?? '', /\?page=3&held=[0-9a-f-]{36}#comment-/, 'a new thread is on the last page');
  });

  it('keeps the pager short on a long conversation: first and last pages, those near this one, and gaps', async () => {
    const long = await makePost(t, (await staffWithToken(t, 'author', 'Lena Long')).staff);
    await t.services.conversationSettings.update({ threadsPerPage: 1 });
    for (let i = 0; i < 12; i++) {
      await t.services.comments.add({
        postId: long.id,
        authorName: `L${i}`,
        authorEmail: `l${i}@example.com`,
        markdown: `Thread ${i}`,
        status: 'published',
      });
    }
    const sixth = (await loadPage(t, `/${long.slug}/?page=6`)).html;
    const shown = [...sixth.matchAll(/aria-label="Comments page (\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(shown, [1, 4, 5, 7, 8, 12, 1, 4, 5, 7, 8, 12], 'the same list above and below the comments');
    assert.match(sixth, /<span aria-current="page">6<\/span>/);
    assert.equal(sixth.split('<span class="gap">…</span>').length - 1, 4);
    await t.services.conversationSettings.update({ threadsPerPage: 50 });
  });

  it('answers 404 to a comment sent to an address where no post is published, whatever its words', async () => {
    const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    t.clock.advance(3000);
    for (const fields of [
      { ...reader('Nomad'), body: 'Anyone here?' },
      { ...reader('Nomad'), body: '' },
    ]) {
      const res = await t.request('/no-post-lives-here/comments', {
        method: 'POST',
        headers: { origin: TEST_BASE_URL, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...hidden, ...fields }).toString(),
      });
      assert.equal(res.status, 404, `body ${JSON.stringify(fields.body)}`);
    }
  });

  it('sends the writer of a new thread to the page that shows it, across page boundaries', async () => {
    const bea = (await staffWithToken(t, 'author', 'Bea Busy')).staff;
    const busy = await makePost(t, bea);
    await t.services.conversationSettings.update({ threadsPerPage: 2, hold: 'none' });
    // An older thread held, then published: it counts among those before the new ones.
    const held = await t.services.comments.add({
      postId: busy.id,
      authorName: 'Early',
      authorEmail: 'early@example.com',
      markdown: 'Held a while.',
      status: 'pending',
    });
    const pages: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 2) await t.services.comments.act(bea, held.id, 'approve');
      const res = await sendComment(t, busy.slug, { ...reader(`W${i}`), body: `New thread ${i}` });
      assert.equal(res.status, 303);
      const location = res.headers.get('location') ?? '';
      const id = idFromLocation(res);
      pages.push(new URL(location, 'http://x').searchParams.get('page'));
      const shown = (await loadPage(t, location.split('#')[0] as string)).html;
      assert.ok(commentIds(shown).includes(id), `thread ${i} is on the page it was sent to (${location})`);
    }
    // Threads 0 and 1, then the held one published, then 2 to 4: five and six threads before the last.
    assert.deepEqual(pages, [null, null, '2', '3', '3']);
    await t.services.conversationSettings.update({ threadsPerPage: 50, hold: 'first_time' });
  });

  it('sends each of many writers posting at once to the page that shows her thread, and counts them all', async () => {
    const cleo = (await staffWithToken(t, 'author', 'Cleo Crowded')).staff;
    const crowded = await makePost(t, cleo);
    await t.services.conversationSettings.update({ threadsPerPage: 3, hold: 'none' });
    // Sent together: on PostgreSQL most of them are written in groups, one statement each.
    const sent = await Promise.all(
      Array.from({ length: 16 }, (_, i) => sendComment(t, crowded.slug, { ...reader(`Crowd ${i}`), body: `Said at once ${i}` })),
    );
    for (const res of sent) {
      assert.equal(res.status, 303);
      const location = res.headers.get('location') ?? '';
      const shown = (await loadPage(t, location.split('#')[0] as string)).html;
      assert.ok(commentIds(shown).includes(idFromLocation(res)), `her thread is on the page she was sent to (${location})`);
    }
    const counted = await t.conn.db
      .selectFrom('posts')
      .select(['comment_count', 'public_thread_count'])
      .where('id', '=', crowded.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([Number(counted.comment_count), Number(counted.public_thread_count)], [16, 16]);
    const events = await t.conn.db
      .selectFrom('outbox')
      .select('dedupe_key')
      .where(
        'dedupe_key',
        'in',
        sent.map((res) => `comment.published:${idFromLocation(res)}`),
      )
      .execute();
    assert.equal(events.length, 16);
    await t.services.conversationSettings.update({ threadsPerPage: 50, hold: 'first_time' });
  });
});
