// Every page is a standards-mode document: each GET route the app knows is requested, with real
// values for its parameters, by a reader and by the signed-in owner (public pages twice, the
// second answered by the page cache), along with error pages (404, 403, 401) and forms sent back
// with errors. Every HTML answer must begin with the doctype and link the site's icon, and the
// icon a browser asks for on its own, /favicon.ico, is there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { idFromLocation, reader, sendComment, staffWithToken } from '../../test/kits/comments.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

const DOCTYPE = /^<!doctype html>/i;
/** Not a page: the HTML of one comment, for the comment script to insert into the page it is on. */
const FRAGMENT = /\/comments\/:id[^/]*\/fragment$/;

interface Checked {
  who: string;
  path: string;
  status: number;
  body: string;
}

describe('every page Hearth sends', () => {
  let t: TestApp;
  let owner: Staff;
  let author: Staff;
  let post: PostRow;
  let page: PostRow;
  let program: PostRow;
  let commentId: string;
  let asOwner: Browser;
  let asAuthor: Browser;
  const checked: Checked[] = [];

  /** A real value for each route parameter, by where it stands. */
  function fill(path: string): string {
    return path.replace(/:(\w+)(\{[^}]*\}+)?/g, (_, name: string) => {
      if (name === 'id') {
        if (path.startsWith('/admin/posts/')) return post.id;
        if (path.startsWith('/admin/pages/')) return page.id;
        if (path.startsWith('/admin/programs/')) return program.id;
        if (path.startsWith('/admin/staff/')) return author.id;
        if (path.startsWith('/media/')) return '00000000-0000-7000-8000-000000000000';
        return commentId;
      }
      if (name === 'slug') {
        if (path.startsWith('/author/')) return owner.slug;
        if (path.startsWith('/go/program/') || path.endsWith('/thanks')) return program.slug;
        return post.slug;
      }
      const values: Record<string, string> = {
        tag: 'garden',
        year: '2026',
        month: '03',
        name: path.startsWith('/assets/') ? 'style.css' : 'nothing.eml',
        token: 'not-a-token',
        file: 'photo.jpg',
      };
      const value = values[name];
      if (value === undefined) throw new Error(`no value for :${name} in ${path}: add one so this route is checked`);
      return value;
    });
  }

  async function check(who: string, path: string, send: (path: string) => Promise<Response>): Promise<void> {
    const res = await send(path);
    if (!(res.headers.get('content-type') ?? '').includes('text/html') || !res.body) {
      // Not HTML (a feed, JSON, an image, a live stream): not read.
      await res.body?.cancel();
      return;
    }
    checked.push({ who, path, status: res.status, body: await res.text() });
  }

  before(async () => {
    t = await testApp({ pageCache: true });
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    author = await makeStaff(t, 'author', 'Ada Author');
    post = await makePost(t, owner, { title: 'In the garden', tags: ['Garden'] });
    page = await makePost(t, owner, { kind: 'page', title: 'About' });
    program = await makePost(t, owner, { kind: 'program', title: 'Deep Listening', slug: 'deep-listening', markdown: 'Eight weeks.' });
    commentId = idFromLocation(await sendComment(t, post.slug, { ...reader('Ann Reader'), body: 'Lovely garden.' }));
    // Approved, so the pages that show it have it.
    const staff = await staffWithToken(t, 'owner', 'Otto Owner');
    assert.equal((await staff.api(`/api/v1/admin/comments/${commentId}/approve`, { method: 'POST' })).status, 200);
    asOwner = new Browser(t);
    await asOwner.signIn(owner.email);
    asAuthor = new Browser(t);
    await asAuthor.signIn(author.email);

    const routes = [...new Set(t.app.routes.filter((r) => r.method === 'GET').map((r) => r.path))];
    for (const route of routes) {
      // The JSON API answers JSON, errors included.
      if (route.startsWith('/api/') || FRAGMENT.test(route)) continue;
      const path = fill(route);
      const anonymous = (p: string) => t.request(p);
      const signedIn = (p: string) => asOwner.get(p);
      await check('reader', path, anonymous);
      // Again, from the page cache where the page was kept.
      if (!route.startsWith('/admin')) await check('reader, cached', path, anonymous);
      await check('owner', path, signedIn);
    }
    // Queries, error pages and pages a form sends back.
    const more = [`/${page.slug}/`, `/${program.slug}/`, '/?page=2', '/search?q=garden', '/nothing-here/', '/tag/no-such-tag/'];
    for (const path of more) {
      await check('reader', path, (p) => t.request(p));
    }
    await check('author', '/admin/staff', (p) => asAuthor.get(p));
    await check('author', '/admin/import', (p) => asAuthor.get(p));
    await check('author', `/admin/posts/${post.id}`, (p) => asAuthor.get(p));
    await check('reader', '/admin/posts', (p) => t.request(p));
    await check('reader', 'POST /admin/sign-in (wrong password)', () => new Browser(t).signIn(owner.email, 'not the password'));
    await check('reader', `POST /${post.slug}/comments (empty)`, () => sendComment(t, post.slug, { ...reader('Bo'), body: '' }));
    await check('owner', 'POST /admin/posts/new (no title)', async () => {
      await asOwner.get('/admin/posts/new');
      return asOwner.post('/admin/posts/new', { title: '', markdown: 'Words kept.', intent: 'save' });
    });
  });
  after(() => t.close());

  it('begins every HTML answer with <!doctype html>: public, workspace, error and form pages', () => {
    const without = checked.filter((c) => !DOCTYPE.test(c.body)).map((c) => `${c.who} ${c.path} ${c.status}: ${c.body.slice(0, 40)}`);
    assert.deepEqual(without, []);
    const statuses = new Set(checked.map((c) => c.status));
    for (const status of [200, 401, 403, 404, 422]) assert.ok(statuses.has(status), `a ${status} page was checked`);
    assert.ok(checked.filter((c) => c.who === 'owner' && c.path.startsWith('/admin/') && c.status === 200).length >= 20);
    assert.ok(checked.filter((c) => c.who === 'reader, cached' && c.status === 200).length >= 8);
  });

  it('links the site’s icon from every page, and serves it and /favicon.ico', async () => {
    const unlinked = checked.filter((c) => !c.body.includes('<link rel="icon" href="/assets/icon.svg" type="image/svg+xml"/>'));
    assert.deepEqual(
      unlinked.map((c) => `${c.who} ${c.path}`),
      [],
    );
    const svg = await t.request('/assets/icon.svg');
    assert.equal(svg.status, 200);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(await svg.text(), /^<svg /);
    const ico = await t.request('/favicon.ico');
    assert.equal(ico.status, 200);
    assert.equal(ico.headers.get('content-type'), 'image/x-icon');
    const bytes = new Uint8Array(await ico.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0], 'an ICO file');
  });

  it('keeps a comment fragment, which a script puts into a page, a fragment', async () => {
    const res = await t.request(`/${post.slug}/comments/${commentId}/fragment`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^<li id="comment-/);
  });
});
