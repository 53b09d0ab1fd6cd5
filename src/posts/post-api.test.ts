import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';

describe('the posts API', () => {
  let t: TestApp;
  let ownerToken: string;
  let authorToken: string;
  let otherAuthorToken: string;
  let moderatorToken: string;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    t.request(`/api/v1/admin/posts${path.replace(/^\/(?=\?|$)/, '')}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const tokenFor = async (role: 'owner' | 'author' | 'moderator', name: string) => {
    const staff = await makeStaff(t, role, name);
    return (await t.services.accounts.createToken(staff.email)).token;
  };

  before(async () => {
    t = await testApp();
    ownerToken = await tokenFor('owner', 'Olive Owner');
    authorToken = await tokenFor('author', 'Ada Author');
    otherAuthorToken = await tokenFor('author', 'Bea Author');
    moderatorToken = await tokenFor('moderator', 'Mo Moderator');
  });
  after(() => t.close());

  it('refuses requests without a valid token with 401 and a JSON error', async () => {
    const none = await t.request('/api/v1/admin/posts');
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error.code, 'unauthorized');
    assert.equal((await call('hth_nonsense', 'GET', '/')).status, 401);
  });

  it('creates a published post that appears on the home page, its page, its tag page and in search', async () => {
    const res = await call(authorToken, 'POST', '/', {
      title: 'Boundaries with kindness',
      markdown: '# Why boundaries matter\n\nSaying *no* to a partner can be the kindest word.',
      status: 'published',
      tags: ['Relationships', 'Boundaries'],
    });
    assert.equal(res.status, 201);
    const post = await res.json();
    assert.equal(post.slug, 'boundaries-with-kindness');
    assert.equal(post.kind, 'post');
    assert.equal(post.status, 'published');
    assert.deepEqual(post.tags, ['Relationships', 'Boundaries']);
    assert.equal(post.publishedAt, new Date(t.clock.now()).toISOString());
    assert.match(post.html, /<em>no<\/em>/);
    assert.match(post.excerpt, /^Why boundaries matter Saying no/);
    for (const key of ['id', 'kind', 'title', 'slug', 'markdown', 'html', 'excerpt', 'status', 'publishedAt', 'tags', 'authorId'])
      assert.ok(key in post, key);

    assert.match(await (await t.request('/')).text(), /Boundaries with kindness/);
    assert.match(await (await t.request('/boundaries-with-kindness/')).text(), /<em>no<\/em>/);
    assert.match(await (await t.request('/tag/relationships/')).text(), /Boundaries with kindness/);
    assert.match(await (await t.request('/search?q=kindest')).text(), /Boundaries with kindness/);
    const fetched = await call(authorToken, 'GET', `/${post.id}`);
    assert.deepEqual(await fetched.json(), post);
  });

  it('keeps a 301 from the old slug when a published post is renamed', async () => {
    const created = await (await call(authorToken, 'POST', '/', { title: 'First name', markdown: 'Body', status: 'published' })).json();
    const renamed = await call(authorToken, 'PATCH', `/${created.id}`, { slug: 'second-name' });
    assert.equal(renamed.status, 200);
    assert.equal((await renamed.json()).slug, 'second-name');
    const old = await t.request('/first-name/');
    assert.equal(old.status, 301);
    assert.equal(old.headers.get('location'), '/second-name/');
    await call(authorToken, 'PATCH', `/${created.id}`, { slug: 'third-name' });
    assert.equal((await t.request('/first-name/')).headers.get('location'), '/third-name/', 'old links answer in one hop');
    assert.equal((await t.request('/second-name/')).headers.get('location'), '/third-name/');
  });

  it('refuses reserved words and a taken slug with 422 naming the field', async () => {
    for (const slug of ['admin', 'api', 'tag', 'search', 'feed', 'archive', 'healthz']) {
      const res = await call(authorToken, 'POST', '/', { title: 'Anything', slug, markdown: 'x' });
      assert.equal(res.status, 422, slug);
      const body = await res.json();
      assert.equal(body.error.code, 'invalid');
      assert.ok(body.error.fields.slug, slug);
    }
    await call(authorToken, 'POST', '/', { title: 'Taken', slug: 'taken', markdown: 'x' });
    assert.equal((await call(authorToken, 'POST', '/', { title: 'Other', slug: 'taken', markdown: 'x' })).status, 422);
    const derived = await (await call(authorToken, 'POST', '/', { title: 'Archive', markdown: 'x' })).json();
    assert.equal(derived.slug, 'archive-2', 'a title that is a reserved word gets a free slug');
  });

  it('answers 422 with a message per field for bad input', async () => {
    const res = await call(authorToken, 'POST', '/', { title: '', status: 'live', tags: 'x' });
    assert.equal(res.status, 422);
    const { error } = await res.json();
    assert.deepEqual(Object.keys(error.fields).sort(), ['status', 'tags', 'title']);
    const notJson = await t.request('/api/v1/admin/posts', {
      method: 'POST',
      headers: { authorization: `Bearer ${authorToken}`, 'content-type': 'application/json' },
      body: 'nope',
    });
    assert.equal(notJson.status, 422, 'a body that says it is JSON and is not');
  });

  it('schedules a post: hidden until its time, then published, also after a restart of the clock', async () => {
    const at = new Date(t.clock.now() + 3_600_000).toISOString();
    const res = await call(authorToken, 'POST', '/', {
      title: 'Tomorrow’s letter',
      markdown: 'Soon.',
      status: 'scheduled',
      publishedAt: at,
    });
    const post = await res.json();
    assert.equal(post.status, 'scheduled');
    assert.equal(post.publishedAt, at);
    assert.equal((await t.request(`/${post.slug}/`)).status, 404);
    assert.doesNotMatch(await (await t.request('/')).text(), /Tomorrow’s letter/);
    t.clock.advance(3_600_000);
    assert.equal((await t.request(`/${post.slug}/`)).status, 200);
    assert.equal((await (await call(authorToken, 'GET', `/${post.id}`)).json()).status, 'published');
    const past = await call(authorToken, 'POST', '/', {
      title: 'Late',
      markdown: 'x',
      status: 'scheduled',
      publishedAt: '2020-01-01T00:00:00Z',
    });
    assert.equal(past.status, 422);
  });

  it('lets an author change only her own posts, the owner any, and a moderator none', async () => {
    const mine = await (await call(authorToken, 'POST', '/', { title: 'Ada’s essay', markdown: 'x', status: 'published' })).json();
    assert.equal((await call(otherAuthorToken, 'PATCH', `/${mine.id}`, { title: 'Hijacked' })).status, 403);
    assert.equal((await call(otherAuthorToken, 'DELETE', `/${mine.id}`)).status, 403);
    assert.equal((await call(moderatorToken, 'POST', '/', { title: 'Mod', markdown: 'x' })).status, 403);
    assert.equal((await call(moderatorToken, 'GET', '/')).status, 403);
    assert.equal((await call(ownerToken, 'PATCH', `/${mine.id}`, { title: 'Edited by the owner' })).status, 200);
    const list = await (await call(otherAuthorToken, 'GET', '/')).json();
    assert.ok(
      list.items.every((p: { title: string }) => p.title !== 'Edited by the owner'),
      'an author lists her own posts',
    );
  });

  it('does not let an author find another author’s draft or scheduled post, single or listed; the owner reads both', async () => {
    const draft = await (await call(authorToken, 'POST', '/', { title: 'Ada’s unfinished thought', markdown: 'x' })).json();
    const later = new Date(t.clock.now() + 3_600_000).toISOString();
    const scheduled = await (
      await call(authorToken, 'POST', '/', { title: 'Ada’s letter for later', markdown: 'x', status: 'scheduled', publishedAt: later })
    ).json();
    const out = await (await call(authorToken, 'POST', '/', { title: 'Ada’s letter for all', markdown: 'x', status: 'published' })).json();
    for (const hidden of [draft, scheduled]) {
      const res = await call(otherAuthorToken, 'GET', `/${hidden.id}`);
      assert.equal(res.status, 404, hidden.title);
      assert.equal((await res.json()).error.code, 'not_found');
      assert.equal((await call(otherAuthorToken, 'PATCH', `/${hidden.id}`, { title: 'Hijacked' })).status, 404, 'no change either');
      assert.equal((await call(otherAuthorToken, 'DELETE', `/${hidden.id}`)).status, 404);
      assert.equal((await call(ownerToken, 'GET', `/${hidden.id}`)).status, 200, 'the owner reads it');
      assert.equal((await call(authorToken, 'GET', `/${hidden.id}`)).status, 200, 'its author reads it');
    }
    assert.equal((await call(otherAuthorToken, 'GET', `/${out.id}`)).status, 200, 'a published post is no secret');
    const titles = async (token: string, query: string) =>
      ((await (await call(token, 'GET', `/?limit=500${query}`)).json()).items as { title: string }[]).map((p) => p.title);
    for (const query of ['', '&status=draft', '&status=scheduled']) {
      const listed = await titles(otherAuthorToken, query);
      assert.ok(!listed.includes(draft.title) && !listed.includes(scheduled.title), `another author’s list${query}`);
    }
    const owners = await titles(ownerToken, '');
    assert.ok(owners.includes(draft.title) && owners.includes(scheduled.title), 'the owner lists every post');
    assert.ok((await titles(ownerToken, '&status=draft')).includes(draft.title));
    t.clock.advance(3_600_000);
    assert.equal((await call(otherAuthorToken, 'GET', `/${scheduled.id}`)).status, 200, 'once its time comes it is out for everyone');
  });

  it('keeps every unpublished post from a moderator’s token, and lets her read what readers see', async () => {
    const draft = await (await call(ownerToken, 'POST', '/', { title: 'Olive’s draft', markdown: 'x' })).json();
    const out = await (await call(ownerToken, 'POST', '/', { title: 'Olive’s note', markdown: 'x', status: 'published' })).json();
    const res = await call(moderatorToken, 'GET', `/${draft.id}`);
    assert.equal(res.status, 404);
    assert.doesNotMatch(await res.text(), /Olive’s draft/);
    assert.equal((await call(moderatorToken, 'GET', `/${out.id}`)).status, 200);
    assert.equal((await call(moderatorToken, 'GET', '/?status=draft')).status, 403, 'the list of posts is not hers');
  });

  it('deletes with 204, after which the post is gone', async () => {
    const post = await (await call(authorToken, 'POST', '/', { title: 'Short-lived', markdown: 'x', status: 'published' })).json();
    assert.equal((await call(authorToken, 'DELETE', `/${post.id}`)).status, 204);
    assert.equal((await call(authorToken, 'GET', `/${post.id}`)).status, 404);
    // Deleted, not missing: its address answers 410 Gone (links to it, told by Webmention, can let go).
    assert.equal((await t.request('/short-lived/')).status, 410);
    assert.doesNotMatch(await (await t.request('/search?q=short')).text(), /Short-lived/);
  });

  it('pages lists with limit and cursor, with an exact total, clamping limits over 500', async () => {
    const all = await (await call(ownerToken, 'GET', '/?limit=1000')).json();
    assert.equal(all.items.length, all.total);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: { id: string }[]; total: number; next: string | null } = await (
        await call(ownerToken, 'GET', `/?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      assert.equal(page.total, all.total);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.next;
    }
    assert.deepEqual(
      seen,
      all.items.map((p: { id: string }) => p.id),
    );
    assert.equal((await call(ownerToken, 'GET', '/?cursor=garbage')).status, 400);
  });

  it('describes itself in an OpenAPI 3.1 document', async () => {
    const doc = await (await t.request('/api/v1/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/admin/posts'].post);
    assert.ok(doc.paths['/admin/posts/{id}'].patch);
    assert.ok(doc.components.schemas.Post.properties.publishedAt);
  });
});
