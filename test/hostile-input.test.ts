// Input sent to hurt: NUL bytes, numbers too large for any page, forged cursors, broken multipart,
// 10 KB addresses, header-splitting redirect targets, script addresses for a cover. Each gets a
// clear 4xx (or the NUL is dropped and the rest kept), never a 500, and nothing half-written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Staff } from '../src/accounts/accounts-service.js';
import type { Database, PostRow } from '../src/db/tables.js';
import { Browser } from './cookie-jar.js';
import { makePost, makeStaff } from './factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from './harness.js';
import { commentIds, hiddenFields, loadPage, reader, sendComment, staffWithToken } from './kits/comments.js';
import { signUpOver } from './kits/programs.js';
import { editorFields } from './workspace-forms.js';

type Staffer = Awaited<ReturnType<typeof staffWithToken>>;

const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_BASE_URL };
const form = (fields: Record<string, string>): RequestInit => ({ method: 'POST', headers: FORM, body: new URLSearchParams(fields) });
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
const LONG_EMAIL = `${'a'.repeat(10_000)}@example.com`;

/** A multipart body as a browser builds it. */
async function multipart(fields: Record<string, string>): Promise<{ type: string; body: string }> {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  const request = new Request('http://x/', { method: 'POST', body: data });
  return { type: request.headers.get('content-type') ?? '', body: await request.text() };
}

/** Three ways a multipart body arrives broken: no boundary, the wrong one, cut off half-way. */
async function brokenMultiparts(fields: Record<string, string>): Promise<{ label: string; type: string; body: string }[]> {
  const whole = await multipart(fields);
  return [
    { label: 'no boundary', type: 'multipart/form-data', body: whole.body },
    { label: 'another boundary', type: 'multipart/form-data; boundary=not-the-one-used', body: whole.body },
    { label: 'truncated', type: whole.type, body: whole.body.slice(0, Math.floor(whole.body.length / 2)) },
  ];
}

describe('hostile input', () => {
  let t: TestApp;
  let owner: Staffer;
  let author: Staff;
  let asAuthor: Browser;
  let post: PostRow;
  const count = async (table: keyof Database) =>
    Number(
      (
        await t.conn.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    t = await testApp();
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    author = await makeStaff(t, 'author', 'Ada Author');
    asAuthor = new Browser(t);
    await asAuthor.signIn(author.email);
    post = await makePost(t, author, { title: 'On hostility', slug: 'on-hostility', tags: ['On'] });
    await makePost(t, author, { kind: 'program', title: 'Coming home', slug: 'coming-home', markdown: 'Six weeks.' });
    for (let i = 0; i < 3; i += 1) await sendComment(t, post.slug, { ...reader(`Reader ${i}`), body: `Comment ${i}.` });
  });
  after(() => t.close());

  describe('NUL and other control characters', () => {
    it('drops them from a comment sent through the form or as JSON, and keeps the rest of her words', async () => {
      const fields = { name: 'Nu\u0000ll Reader', email: 'nul\u0000@example.com', body: 'Hello\u0000 there,\u0007 with\ttab\nand line.' };
      const sent = await sendComment(t, post.slug, fields);
      assert.equal(sent.status, 303);
      const json = await sendComment(t, post.slug, { ...fields, name: 'Json\u0000 Reader', body: 'As\u0000 JSON.' }, { json: true });
      assert.equal(json.status, 201);
      const rows = await t.conn.db
        .selectFrom('comments')
        .select(['author_name', 'author_email', 'markdown'])
        .where('author_name', 'in', ['Null Reader', 'Json Reader'])
        .orderBy('author_name')
        .execute();
      assert.deepEqual(rows, [
        { author_name: 'Json Reader', author_email: 'nul@example.com', markdown: 'As JSON.' },
        { author_name: 'Null Reader', author_email: 'nul@example.com', markdown: 'Hello there, with\ttab\nand line.' },
      ]);
    });

    it('drops them from a staff reply and an edit over the comments API', async () => {
      const [first] = await t.conn.db.selectFrom('comments').select('id').where('author_name', '=', 'Reader 0').execute();
      const reply = await owner.api(`/api/v1/admin/comments/${first?.id}/reply`, {
        method: 'POST',
        json: { markdown: 'Thank\u0000 you.' },
      });
      assert.equal(reply.status, 201);
      const { id } = (await reply.json()) as { id: string };
      const edited = await owner.api(`/api/v1/admin/comments/${id}`, { method: 'PATCH', json: { markdown: 'Thank you\u0000 again.' } });
      assert.equal(edited.status, 200);
      const row = await t.conn.db.selectFrom('comments').select('markdown').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.markdown, 'Thank you again.');
    });

    it('drops them from a post written in the editor, form-encoded or multipart, and from its autosave', async () => {
      await asAuthor.get('/admin/posts/new');
      const fields = editorFields({
        title: 'Nul\u0000 title',
        markdown: 'Body\u0000 text.',
        tags: 'One\u0000, Two',
        excerpt: 'Ex\u0000cerpt',
      });
      const saved = await asAuthor.post('/admin/posts/new', fields);
      assert.equal(saved.status, 303);
      const parts = await multipart({ ...fields, title: 'Multipart\u0000 title', _csrf: asAuthor.csrf });
      const viaMultipart = await asAuthor.request('/admin/posts/new', {
        method: 'POST',
        headers: { 'content-type': parts.type, origin: TEST_BASE_URL },
        body: parts.body,
      });
      assert.equal(viaMultipart.status, 303);
      const autosaved = await asAuthor.postJson('/admin/posts/autosave', { ...fields, title: 'Autosaved\u0000 title' });
      assert.equal(autosaved.status, 200);
      const rows = await t.conn.db
        .selectFrom('posts')
        .select(['title', 'markdown', 'excerpt'])
        .where('title', 'in', ['Nul title', 'Multipart title', 'Autosaved title'])
        .orderBy('title')
        .execute();
      assert.deepEqual(rows, [
        { title: 'Autosaved title', markdown: 'Body text.', excerpt: 'Excerpt' },
        { title: 'Multipart title', markdown: 'Body text.', excerpt: 'Excerpt' },
        { title: 'Nul title', markdown: 'Body text.', excerpt: 'Excerpt' },
      ]);
      const tags = await t.conn.db.selectFrom('tags').select('name').where('name', 'in', ['One', 'Two']).execute();
      assert.equal(tags.length, 2);
    });

    it('drops them from a post sent to the posts API, keys and values alike', async () => {
      const res = await owner.api('/api/v1/admin/posts', {
        method: 'POST',
        json: { title: 'Api\u0000 post', markdown: 'Api\u0000 body.', tags: ['Api\u0000tag'], 'meta\u0000Title': 'Meta\u0000' },
      });
      assert.equal(res.status, 201);
      const body = (await res.json()) as { id: string; title: string; markdown: string; tags: string[] };
      assert.deepEqual([body.title, body.markdown, body.tags], ['Api post', 'Api body.', ['Apitag']]);
      const row = await t.conn.db.selectFrom('posts').select('meta_title').where('id', '=', body.id).executeTakeFirstOrThrow();
      assert.equal(row.meta_title, 'Meta');
    });

    it('drops them from the subscribe and my-data forms, which then go on as usual', async () => {
      const subscribed = await t.request('/subscribe', form({ email: 'sub\u0000@example.org', website: '' }));
      assert.equal(subscribed.status, 303);
      const sub = await t.conn.db.selectFrom('subscriptions').select('email').where('email', '=', 'sub@example.org').execute();
      assert.equal(sub.length, 1);
      const asked = await t.request('/my-data', form({ email: 'nul\u0000@example.com', website: '' }));
      assert.equal(asked.status, 303);
      assert.equal(asked.headers.get('location'), '/my-data?sent=1');
      const mail = await t.conn.db.selectFrom('outbox').select('payload').execute();
      assert.ok(mail.some((m) => JSON.parse(m.payload).to === 'nul@example.com' && JSON.parse(m.payload).type === 'reader-data'));
    });

    it('drops them from a subscriber list imported over the API, and counts a 10 KB address as invalid', async () => {
      const csv = `email\nlist\u0000@example.org\n${LONG_EMAIL}\n`;
      const res = await t.request('/api/v1/admin/subscribers/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      assert.equal(res.status, 200);
      const result = (await res.json()) as { added: number; invalid: string[] };
      assert.equal(result.added, 1);
      assert.equal(result.invalid.length, 1);
      const rows = await t.conn.db.selectFrom('subscriptions').select('email').where('email', '=', 'list@example.org').execute();
      assert.equal(rows.length, 1);
    });

    it('answers 400 to an address holding %00, in a path or a query', async () => {
      for (const path of [
        '/search?q=%00',
        `/${post.slug}/?replyto=%00`,
        '/my-data/manage?token=%00',
        '/my-data/export?token=abc%00',
        '/tag/x%00/',
        '/admin/posts/%00',
        '/api/v1/admin/posts/%00',
      ]) {
        const res = await asAuthor.get(path);
        assert.equal(res.status, 400, path);
      }
      const erase = await t.request('/my-data/erase?token=%00', form({ mode: 'remove' }));
      assert.equal(erase.status, 400);
    });
  });

  describe('page numbers', () => {
    const HOSTILE_PAGES = ['99999999999999999999', '1e309', '1e3', '-1', '0', 'abc', '1.5', '', '%20'];

    it('answers 404 for a listing page that cannot exist, never 500', async () => {
      for (const base of ['/?', '/tag/on/?', `/author/${author.slug}/?`, '/archive/2026/03/?', '/search?q=post&']) {
        for (const page of [...HOSTILE_PAGES, '999999999']) {
          const path = `${base}page=${page}`;
          // A search past its last page is a page saying nothing more was found.
          const expected = base.startsWith('/search') && page === '999999999' ? 200 : 404;
          assert.equal((await t.request(path)).status, expected, path);
        }
      }
    });

    it('shows a post’s first comment page for a comment page number that cannot exist', async () => {
      const first = commentIds(await (await t.request(`/${post.slug}/`)).text());
      assert.ok(first.length > 0);
      for (const page of HOSTILE_PAGES) {
        const res = await t.request(`/${post.slug}/?page=${page}`);
        assert.equal(res.status, 200, `page=${page}`);
        assert.deepEqual(commentIds(await res.text()), first, `page=${page}`);
      }
      assert.equal((await t.request(`/${post.slug}/?page=999999`)).status, 200, 'a page past the last is answered too');
    });

    it('answers 422 to a limit that is not a whole number, and clamps a huge one', async () => {
      for (const limit of ['1e309', '-1', 'abc', '1.5']) {
        assert.equal((await owner.api(`/api/v1/admin/posts?limit=${limit}`)).status, 422, limit);
        assert.equal((await t.request(`/api/v1/posts/${post.slug}/comments?limit=${limit}`)).status, 422, limit);
      }
      const huge = await owner.api('/api/v1/admin/comments?limit=99999999999999999999');
      assert.equal(huge.status, 200);
    });
  });

  describe('forged cursors', () => {
    const FORGED = [
      'garbage!!',
      '%FF%FE',
      cursorOf('not json'),
      cursorOf('{"o":-1}'),
      cursorOf('{"o":1e300}'),
      cursorOf('{"o":"10"}'),
      cursorOf('{"o":1.5}'),
      cursorOf('[1e300,"x"]'),
      cursorOf('["x",1]'),
      cursorOf('[1,"\\u0000"]'),
      cursorOf(`[1,"${'x'.repeat(1000)}"]`),
      cursorOf('{"updatedAt":9007199254740993,"id":"x"}'),
      cursorOf('null'),
      cursorOf('[]'),
    ];

    it('answers 400 on every list that takes one, in the API and the workspace', async () => {
      const lists = [
        (q: string) => t.request(`/api/v1/posts/${post.slug}/comments?cursor=${q}`),
        (q: string) => owner.api(`/api/v1/admin/comments?cursor=${q}`),
        (q: string) => owner.api(`/api/v1/admin/inbox?cursor=${q}`),
        (q: string) => owner.api(`/api/v1/admin/posts?cursor=${q}`),
        (q: string) => owner.api(`/api/v1/admin/outbox?cursor=${q}`),
        (q: string) => owner.api(`/api/v1/admin/subscribers?cursor=${q}`),
        (q: string) => asAuthor.get(`/admin/posts?cursor=${q}`),
        (q: string) => asAuthor.get(`/admin/comments?before=${q}`),
        (q: string) => asAuthor.get(`/admin/inbox?after=${q}`),
      ];
      for (const [i, list] of lists.entries()) {
        for (const cursor of FORGED) {
          const res = await list(cursor);
          assert.equal(res.status, 400, `list ${i}, cursor ${cursor}`);
        }
      }
      const json = (await (await t.request(`/api/v1/posts/${post.slug}/comments?cursor=garbage`)).json()) as { error: { code: string } };
      assert.equal(json.error.code, 'bad_request');
    });

    it('answers a well-formed cursor far past the end with an empty page', async () => {
      const far = await t.request(`/api/v1/posts/${post.slug}/comments?cursor=${cursorOf('{"o":8000000000000000}')}`);
      assert.equal(far.status, 200);
      assert.deepEqual(((await far.json()) as { items: unknown[] }).items, []);
      const old = await owner.api(`/api/v1/admin/comments?cursor=${cursorOf('[-8000000000000000,"z"]')}`);
      assert.equal(old.status, 200);
      assert.deepEqual(((await old.json()) as { items: unknown[] }).items, []);
    });
  });

  describe('broken multipart bodies', () => {
    it('answers 400 at every form that reads a body, and writes nothing', async () => {
      const commentPage = await loadPage(t, `/${post.slug}/`);
      t.clock.advance(5000);
      const signupPage = await (await t.request('/coming-home/')).text();
      const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(signupPage)?.[1] ?? '';
      await asAuthor.get('/admin/posts/new');
      const csrf = asAuthor.csrf;
      const endpoints: { path: string; fields: Record<string, string>; send: (init: RequestInit) => Promise<Response> }[] = [
        {
          path: `/${post.slug}/comments`,
          fields: { ...hiddenFields(commentPage.html), ...reader('Broken Reader'), body: 'Lost?' },
          send: (init) => t.request(`/${post.slug}/comments`, init),
        },
        { path: '/subscribe', fields: { email: 'broken@example.org', website: '' }, send: (init) => t.request('/subscribe', init) },
        { path: '/my-data', fields: { email: 'broken@example.org', website: '' }, send: (init) => t.request('/my-data', init) },
        {
          path: '/coming-home/signup',
          fields: {
            ts: hidden('ts'),
            token: hidden('token'),
            from: '',
            homepage: '',
            name: 'Broken',
            email: 'broken@example.org',
            message: '',
          },
          send: (init) => t.request('/coming-home/signup', init),
        },
        {
          path: '/api/v1/admin/media',
          fields: { file: 'not really a file' },
          send: (init) =>
            t.request('/api/v1/admin/media', { ...init, headers: { ...init.headers, authorization: `Bearer ${owner.token}` } }),
        },
        {
          path: '/admin/posts/new',
          fields: editorFields({ title: 'Broken post', _csrf: csrf }),
          send: (init) => asAuthor.request('/admin/posts/new', init),
        },
        {
          path: `/admin/posts/${post.id}/cover`,
          fields: { _csrf: csrf, file: 'x' },
          send: (init) => asAuthor.request(`/admin/posts/${post.id}/cover`, init),
        },
        {
          path: '/admin/sign-in',
          fields: { email: author.email, password: 'x', _csrf: csrf },
          send: (init) => asAuthor.request('/admin/sign-in', init),
        },
      ];
      const tables = ['comments', 'subscriptions', 'outbox', 'program_signups', 'media', 'posts'] as const;
      const before = await Promise.all(tables.map(count));
      for (const endpoint of endpoints) {
        for (const broken of await brokenMultiparts(endpoint.fields)) {
          const res = await endpoint.send({
            method: 'POST',
            headers: { 'content-type': broken.type, origin: TEST_BASE_URL },
            body: broken.body,
          });
          assert.equal(res.status, 400, `${endpoint.path}: ${broken.label}`);
        }
      }
      assert.deepEqual(await Promise.all(tables.map(count)), before, 'nothing was written');
      const cover = await t.conn.db.selectFrom('posts').select('cover_image').where('id', '=', post.id).executeTakeFirstOrThrow();
      assert.equal(cover.cover_image, null);
    });
  });

  describe('a 10 KB email address', () => {
    it('is refused with the form shown again and a clear message, and nothing is stored', async () => {
      const before = await Promise.all((['subscriptions', 'outbox', 'comments', 'program_signups', 'users'] as const).map(count));
      for (const path of ['/subscribe', '/my-data']) {
        const res = await t.request(path, form({ email: LONG_EMAIL, website: '' }));
        assert.equal(res.status, 422, path);
        assert.match(await res.text(), /at most 254 characters/, path);
      }
      const comment = await sendComment(t, post.slug, { name: 'Long Address', email: LONG_EMAIL, body: 'My words, kept.' });
      assert.equal(comment.status, 422);
      const commentHtml = await comment.text();
      assert.match(commentHtml, /at most 254 characters/);
      assert.match(commentHtml, /My words, kept\./);
      const signup = await signUpOver(t, 'coming-home', { name: 'Long Address', email: LONG_EMAIL, message: 'Count me in.' });
      assert.equal(signup.status, 422);
      const signupHtml = await signup.text();
      assert.match(signupHtml, /at most 254 characters/);
      assert.match(signupHtml, /Count me in\./);
      const asOwner = new Browser(t, '203.0.113.9');
      await asOwner.signIn(owner.staff.email);
      await asOwner.get('/admin/staff');
      const invite = await asOwner.post('/admin/staff/invite', { email: LONG_EMAIL, name: 'Long Address', role: 'author' });
      assert.equal(invite.status, 422);
      assert.match(await invite.text(), /at most 254 characters/);
      const signIn = new Browser(t, '203.0.113.10');
      assert.equal((await signIn.signIn(LONG_EMAIL)).status, 401);
      assert.deepEqual(
        await Promise.all((['subscriptions', 'outbox', 'comments', 'program_signups', 'users'] as const).map(count)),
        before,
        'nothing was stored',
      );
    });
  });

  describe('redirect targets', () => {
    const HOSTILE_NEXT = [
      '/admin/%0d%0aSet-Cookie:%20stolen=1',
      '/admin/posts%0aLocation:%20https://evil.example',
      '%0d%0a/admin/',
      '//evil.example',
      '//evil.example/admin/',
      'https://evil.example/admin/',
      '/admin/../../evil',
      '/admin/%5C%5Cevil.example',
      '/\\evil.example/admin/',
    ];

    it('never leaves the workspace nor splits a header, when signed in or signing in', async () => {
      for (const next of HOSTILE_NEXT) {
        const signedIn = await asAuthor.get(`/admin/sign-in?next=${next}`);
        assert.equal(signedIn.status, 303, next);
        assert.equal(signedIn.headers.get('location'), '/admin/', next);
        const browser = new Browser(t, '203.0.113.20');
        await browser.get(`/admin/sign-in?next=${next}`);
        const signingIn = await browser.post('/admin/sign-in', {
          email: author.email,
          password: 'correct horse battery',
          next: decodeURIComponent(next),
        });
        assert.equal(signingIn.status, 303, next);
        assert.equal(signingIn.headers.get('location'), '/admin/', next);
      }
    });

    it('keeps a workspace address, percent-encoded for the header', async () => {
      const res = await asAuthor.get(`/admin/sign-in?next=${encodeURIComponent('/admin/posts?tag=été')}`);
      assert.equal(res.headers.get('location'), '/admin/posts?tag=%C3%A9t%C3%A9');
    });

    it('sends a moderation form back inside the workspace whatever its back field says', async () => {
      const [first] = await t.conn.db.selectFrom('comments').select('id').where('author_name', '=', 'Reader 1').execute();
      const asOwner = new Browser(t, '203.0.113.30');
      await asOwner.signIn(owner.staff.email);
      await asOwner.get('/admin/comments');
      const res = await asOwner.post(`/admin/comments/${first?.id}/approve`, { back: '/admin/comments\r\nSet-Cookie: stolen=1' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin/?done=approve');
    });
  });

  describe('a cover image through the posts API', () => {
    it('is refused with 422 unless it is a path here or an http(s) address, as in the editor', async () => {
      const before = await count('posts');
      for (const coverImage of [
        'javascript:alert(1)',
        'data:image/png;base64,AAAA',
        'vbscript:x',
        'ftp://example.com/a.png',
        'cover.png',
      ]) {
        const created = await owner.api('/api/v1/admin/posts', { method: 'POST', json: { title: 'Covered', coverImage } });
        assert.equal(created.status, 422, coverImage);
        const body = (await created.json()) as { error: { fields: Record<string, string> } };
        assert.ok(body.error.fields.coverImage, coverImage);
        const patched = await owner.api(`/api/v1/admin/posts/${post.id}`, { method: 'PATCH', json: { coverImage } });
        assert.equal(patched.status, 422, coverImage);
      }
      assert.equal(await count('posts'), before);
      const unchanged = await t.conn.db.selectFrom('posts').select('cover_image').where('id', '=', post.id).executeTakeFirstOrThrow();
      assert.equal(unchanged.cover_image, null);
      const fine = await owner.api(`/api/v1/admin/posts/${post.id}`, {
        method: 'PATCH',
        json: { coverImage: ' https://images.example/a.png ' },
      });
      assert.equal(fine.status, 200);
      assert.equal(((await fine.json()) as { coverImage: string }).coverImage, 'https://images.example/a.png');
      const cleared = await owner.api(`/api/v1/admin/posts/${post.id}`, { method: 'PATCH', json: { coverImage: '' } });
      assert.equal(((await cleared.json()) as { coverImage: string | null }).coverImage, null);
    });
  });
});
