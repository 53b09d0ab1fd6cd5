import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { editorFields } from '../../test/workspace-forms.js';
import type { Staff } from '../accounts/accounts-service.js';
import { createMarkdownRenderer } from '../render/markdown.js';

const HOUR = 3600_000;

const idFrom = (location: string | null) => /\/admin\/(?:posts|pages)\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

describe('writing in the workspace', () => {
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  let bea: Staff;
  let mo: Staff;
  let asAda: Browser;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    bea = await makeStaff(t, 'author', 'Bea Author');
    mo = await makeStaff(t, 'moderator', 'Mo Moderator');
    asAda = new Browser(t);
    await asAda.signIn(ada.email);
  });
  after(() => t.close());

  it('creates a draft from the editor, then publishes it so readers see it', async () => {
    await asAda.get('/admin/posts/new');
    const created = await asAda.post(
      '/admin/posts/new',
      editorFields({ title: 'Letters in winter', markdown: 'She *wrote* back.', tags: 'Letters, Winter' }),
    );
    assert.equal(created.status, 303);
    const id = idFrom(created.headers.get('location'));
    const draft = await t.services.posts.get(id, ada);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.author_id, ada.id);
    assert.deepEqual(
      draft.tags.map((x) => x.name),
      ['Letters', 'Winter'],
    );
    assert.equal((await t.request('/letters-in-winter/')).status, 404, 'a draft is not on the site');

    const editor = await asAda.get(`/admin/posts/${id}`);
    assert.match(await editor.text(), /She \*wrote\* back\./);
    const published = await asAda.post(
      `/admin/posts/${id}`,
      editorFields({ title: 'Letters in winter', slug: 'letters-in-winter', markdown: 'She *wrote* back.', intent: 'publish' }),
    );
    assert.equal(published.status, 303);
    assert.match(published.headers.get('location') ?? '', /done=published/);
    const page = await t.request('/letters-in-winter/');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /She <em>wrote<\/em> back\./);
  });

  it('schedules a post for a future UTC time and unpublishes it again', async () => {
    await asAda.get('/admin/posts/new');
    const at = new Date(t.clock.now() + 2 * 24 * HOUR).toISOString().slice(0, 16);
    const res = await asAda.post('/admin/posts/new', editorFields({ title: 'Later', markdown: 'Soon.', publishAt: at, intent: 'publish' }));
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /done=scheduled/);
    const id = idFrom(res.headers.get('location'));
    const post = await t.services.posts.get(id, ada);
    assert.equal(post.status, 'scheduled');
    assert.equal(post.published_at, Date.parse(`${at}Z`));
    const editor = await (await asAda.get(`/admin/posts/${id}`)).text();
    assert.match(editor, /Scheduled for/);
    assert.match(editor, new RegExp(`value="${at}"`), 'the editor shows the UTC time it was given');
    const unpublished = await asAda.post(
      `/admin/posts/${id}`,
      editorFields({ title: 'Later', slug: 'later', markdown: 'Soon.', publishAt: at, intent: 'unpublish' }),
    );
    assert.match(unpublished.headers.get('location') ?? '', /done=unpublished/);
    assert.equal((await t.services.posts.get(id, ada)).status, 'draft');
  });

  it('keeps the text and names the field when the form has errors (422)', async () => {
    await asAda.get('/admin/posts/new');
    const text = 'A long thought I do not want to lose, with <angle> brackets.';
    const res = await asAda.post('/admin/posts/new', editorFields({ title: '', markdown: text, publishAt: 'next tuesday' }));
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.ok(html.includes('A long thought I do not want to lose, with &lt;angle&gt; brackets.'));
    assert.match(html, /Give it a title\./);
    assert.match(html, /Use a date and time like/);
    const reserved = await asAda.post('/admin/posts/new', editorFields({ title: 'Fine title', slug: 'admin', markdown: text }));
    assert.equal(reserved.status, 422);
    const reservedHtml = await reserved.text();
    assert.match(reservedHtml, /reserved/);
    assert.match(reservedHtml, /value="Fine title"/);
  });

  it('shows a server-side preview without saving when the Preview button is used', async () => {
    await asAda.get('/admin/posts/new');
    const before = (await t.services.posts.listForAdmin({ limit: 500 }, owner)).total;
    const res = await asAda.post(
      '/admin/posts/new',
      editorFields({ title: 'Preview me', markdown: '## A heading\n\n**bold** <script>alert(1)</script>', intent: 'preview' }),
    );
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<strong>bold<\/strong>/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.equal((await t.services.posts.listForAdmin({ limit: 500 }, owner)).total, before, 'nothing was saved');
  });

  it('renders the live preview through the same renderer as posts', async () => {
    await asAda.get('/admin/posts/new');
    const res = await asAda.postJson('/admin/preview', { markdown: 'Hello *there* <img src=x onerror=alert(1)>' });
    assert.equal(res.status, 200);
    const { html } = (await res.json()) as { html: string };
    assert.equal(html, createMarkdownRenderer().post('Hello *there* <img src=x onerror=alert(1)>'));
    assert.match(html, /<em>there<\/em>/);
    assert.doesNotMatch(html, /onerror/);
  });

  it('autosaves a new draft and then updates it, but never a published post', async () => {
    await asAda.get('/admin/posts/new');
    const first = await asAda.postJson('/admin/posts/autosave', { title: 'Autosaved thoughts', markdown: 'First words' });
    assert.equal(first.status, 200);
    const { id } = (await first.json()) as { id: string };
    const second = await asAda.postJson('/admin/posts/autosave', {
      id,
      title: 'Autosaved thoughts',
      slug: 'autosaved-thoughts',
      markdown: 'First words, and more',
    });
    assert.equal(second.status, 200);
    assert.equal((await t.services.posts.get(id, ada)).markdown, 'First words, and more');
    assert.equal((await t.services.posts.get(id, ada)).status, 'draft');
    const live = await makePost(t, ada, { title: 'Already out' });
    const refused = await asAda.postJson('/admin/posts/autosave', { id: live.id, title: 'Already out', markdown: 'half typed' });
    assert.equal(refused.status, 409);
    assert.notEqual((await t.services.posts.get(live.id, ada)).markdown, 'half typed');
    const noToken = await asAda.request('/admin/posts/autosave', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(noToken.status, 403);
  });

  it('deletes a post only after a confirmation page', async () => {
    const post = await makePost(t, ada, { title: 'To be deleted' });
    const confirm = await asAda.get(`/admin/posts/${post.id}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /Delete “To be deleted”\?/);
    assert.equal((await t.services.posts.get(post.id, ada)).title, 'To be deleted', 'showing the page deletes nothing');
    const res = await asAda.post(`/admin/posts/${post.id}/delete`, {});
    assert.equal(res.status, 303);
    await assert.rejects(t.services.posts.get(post.id, ada));
  });

  it('lists an author’s own posts only, filtered by status, and pages separately', async () => {
    await makePost(t, bea, { title: 'Bea’s published post' });
    await makePost(t, ada, { title: 'Ada’s quiet draft', status: 'draft' });
    await makePost(t, ada, { title: 'Ada’s about page', kind: 'page' });
    const all = await (await asAda.get('/admin/posts')).text();
    assert.match(all, /Ada’s quiet draft/);
    assert.doesNotMatch(all, /Bea’s published post/);
    assert.doesNotMatch(all, /Ada’s about page/, 'pages are listed apart');
    const drafts = await (await asAda.get('/admin/posts?status=draft')).text();
    assert.match(drafts, /Ada’s quiet draft/);
    assert.doesNotMatch(drafts, /Letters in winter/);
    const published = await (await asAda.get('/admin/posts?status=published')).text();
    assert.match(published, /Letters in winter/);
    assert.doesNotMatch(published, /Ada’s quiet draft/);
    assert.match(await (await asAda.get('/admin/pages')).text(), /Ada’s about page/);
    const asOwner = new Browser(t);
    await asOwner.signIn(owner.email);
    const ownerList = await (await asOwner.get('/admin/posts')).text();
    assert.match(ownerList, /Bea’s published post/);
    assert.match(ownerList, /Ada’s quiet draft/);
  });

  it('keeps an author from editing or deleting another author’s post', async () => {
    const beas = await makePost(t, bea, { title: 'Bea’s own words' });
    assert.equal((await asAda.get(`/admin/posts/${beas.id}`)).status, 403);
    await asAda.get('/admin/posts');
    const res = await asAda.post(`/admin/posts/${beas.id}`, editorFields({ title: 'Taken over', markdown: 'mine now', intent: 'save' }));
    assert.equal(res.status, 403);
    assert.equal((await asAda.post(`/admin/posts/${beas.id}/delete`, {})).status, 403);
    assert.equal((await t.services.posts.get(beas.id, bea)).title, 'Bea’s own words');
  });

  it('does not show an author another author’s draft or scheduled post in the editor, its preview or its delete page', async () => {
    const draft = await makePost(t, bea, { title: 'Bea’s secret draft', markdown: 'Not yet for anyone.', status: 'draft' });
    const scheduled = await makePost(t, bea, {
      title: 'Bea’s letter for Friday',
      markdown: 'Not yet for anyone.',
      status: 'scheduled',
      publishedAt: t.clock.now() + 24 * HOUR,
    });
    await asAda.get('/admin/posts');
    for (const post of [draft, scheduled]) {
      for (const path of [`/admin/posts/${post.id}`, `/admin/pages/${post.id}`, `/admin/posts/${post.id}/delete`]) {
        const res = await asAda.get(path);
        assert.equal(res.status, 404, path);
        assert.doesNotMatch(await res.text(), /Bea’s|Not yet for anyone/, path);
      }
      const preview = await asAda.post(`/admin/posts/${post.id}`, editorFields({ title: 'x', markdown: 'y', intent: 'preview' }));
      assert.equal(preview.status, 404, 'the preview does not open it either');
      assert.doesNotMatch(await preview.text(), /Bea’s/);
      assert.equal((await asAda.post(`/admin/posts/${post.id}/delete`, {})).status, 404);
    }
    const adaList = await (await asAda.get('/admin/posts?status=scheduled')).text();
    assert.doesNotMatch(adaList, /Bea’s letter for Friday/);
    const asOwner = new Browser(t);
    await asOwner.signIn(owner.email);
    for (const post of [draft, scheduled]) {
      const res = await asOwner.get(`/admin/posts/${post.id}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /Not yet for anyone\./);
    }
    assert.equal((await t.services.posts.get(draft.id, owner)).status, 'draft', 'nothing changed');
  });

  it('keeps a moderator away from writing and publishing', async () => {
    const asMo = new Browser(t);
    await asMo.signIn(mo.email);
    assert.equal((await asMo.get('/admin/posts')).status, 403);
    assert.equal((await asMo.get('/admin/posts/new')).status, 403);
    const draft = await makePost(t, ada, { title: 'Waiting draft', status: 'draft' });
    await asMo.get('/admin/');
    const res = await asMo.post(`/admin/posts/${draft.id}`, editorFields({ title: 'Waiting draft', markdown: 'x', intent: 'publish' }));
    assert.equal(res.status, 403);
    assert.equal((await t.services.posts.get(draft.id, owner)).status, 'draft');
  });

  it('shows counts on the dashboard through the services', async () => {
    const html = await (await asAda.get('/admin/')).text();
    const drafts = (await t.services.posts.listForAdmin({ status: 'draft', authorId: ada.id, limit: 1 }, ada)).total;
    assert.ok(drafts > 0);
    assert.match(html, new RegExp(`<span class="ws-count-value">${drafts}</span> <a href="/admin/posts\\?status=draft">Drafts</a>`));
    assert.match(html, /Comments awaiting moderation/);
  });
});

describe('settings and staff in the workspace', () => {
  let t: TestApp;
  let owner: Staff;
  let asOwner: Browser;
  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    asOwner = new Browser(t);
    await asOwner.signIn(owner.email);
  });
  after(() => t.close());

  const site = {
    title: 'Letters from June',
    description: 'Essays and answers.',
    navigation: 'Home|/\nAbout|/about/',
    footer: 'Written in June.',
    postsPerPage: '7',
  };

  it('lets the owner change the site settings, which readers then see', async () => {
    await asOwner.get('/admin/settings');
    const res = await asOwner.post('/admin/settings/site', site);
    assert.equal(res.status, 303);
    const saved = await t.services.settings.site();
    assert.equal(saved.title, 'Letters from June');
    assert.deepEqual(saved.navigation, [
      { label: 'Home', url: '/' },
      { label: 'About', url: '/about/' },
    ]);
    assert.equal(saved.postsPerPage, 7);
    const home = await (await t.request('/')).text();
    assert.match(home, /Letters from June/);
    assert.match(home, /href="\/about\/"/);
  });

  it('re-renders the settings with the owner’s text and a message per field when they are wrong', async () => {
    await asOwner.get('/admin/settings');
    const res = await asOwner.post('/admin/settings/site', { ...site, title: '', navigation: 'no separator here', postsPerPage: 'many' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /The site needs a title\./);
    assert.match(html, /label\|address/);
    assert.match(html, /no separator here/);
    assert.match(html, /value="many"/);
    assert.equal((await t.services.settings.site()).title, 'Letters from June', 'nothing was saved');
  });

  it('saves the conversation settings in their own section', async () => {
    await asOwner.get('/admin/settings');
    const res = await asOwner.post('/admin/settings/conversations', {
      hold: 'hold_all',
      commentsDefault: 'closes_after',
      commentsCloseDays: '14',
      maxLinks: '1',
      maxDepth: '3',
      editWindowMinutes: '30',
      threadsPerPage: '20',
      blockedWords: 'casino\nloans',
      blockedEmails: '',
      blockedDomains: 'spam.example',
      blockedIps: '',
    });
    assert.equal(res.status, 303);
    const s = await t.services.conversationSettings.get();
    assert.equal(s.hold, 'hold_all');
    assert.equal(s.maxDepth, 3);
    assert.deepEqual(s.blockedWords, ['casino', 'loans']);
    // New posts take the comments default; a post may still choose its own.
    const fresh = await t.services.posts.create({ title: 'Closes in two weeks', markdown: 'x', authorId: owner.id });
    assert.equal(fresh.comments_mode, 'closes_after');
    assert.equal(fresh.comments_close_days, 14);
    const open = await t.services.posts.create({ title: 'Stays open', markdown: 'x', authorId: owner.id, commentsMode: 'open' });
    assert.equal(open.comments_mode, 'open');
  });

  it('saves the email settings, and refuses a wrong number with the owner’s text kept', async () => {
    await asOwner.get('/admin/settings');
    const email = {
      authorNotifications: 'daily',
      moderationNotifications: 'off',
      moderationBatchMinutes: '30',
      digestHourUtc: '6',
      newsletterBatchSize: '50',
      newsletterBatchIntervalSeconds: '120',
    };
    assert.equal((await asOwner.post('/admin/settings/email', email)).status, 303);
    const saved = await t.services.notify.emailSettings.read();
    assert.equal(saved.authorNotifications, 'daily');
    assert.equal(saved.moderationNotifications, 'off');
    assert.equal(saved.digestHourUtc, 6);
    const wrong = await asOwner.post('/admin/settings/email', { ...email, digestHourUtc: '25' });
    assert.equal(wrong.status, 422);
    assert.match(await wrong.text(), /value="25"/);
    assert.equal((await t.services.notify.emailSettings.read()).digestHourUtc, 6, 'nothing was saved');
  });

  it('keeps authors and moderators out of settings and staff', async () => {
    for (const role of ['author', 'moderator'] as const) {
      const member = await makeStaff(t, role, `A ${role}`);
      const b = new Browser(t);
      await b.signIn(member.email);
      assert.equal((await b.get('/admin/settings')).status, 403);
      assert.equal((await b.get('/admin/staff')).status, 403);
      await b.get('/admin/');
      assert.equal((await b.post('/admin/settings/site', { ...site, title: `Changed by ${role}` })).status, 403);
      assert.equal((await b.post('/admin/staff/invite', { email: 'x@example.com', name: 'X', role: 'owner' })).status, 403);
      assert.notEqual((await t.services.settings.site()).title, `Changed by ${role}`);
    }
  });

  it('changes a role, refuses to demote the last owner, and removes a member keeping her posts', async () => {
    const member = await makeStaff(t, 'author', 'Rae Writer');
    const post = await makePost(t, member, { title: 'Rae’s essay' });
    await asOwner.get('/admin/staff');
    assert.equal((await asOwner.post(`/admin/staff/${member.id}/role`, { role: 'moderator' })).status, 303);
    assert.equal(
      (await t.conn.db.selectFrom('users').select('role').where('id', '=', member.id).executeTakeFirstOrThrow()).role,
      'moderator',
    );
    const demote = await asOwner.post(`/admin/staff/${owner.id}/role`, { role: 'author' });
    assert.equal(demote.status, 409);
    assert.match(await demote.text(), /at least one owner/);
    const confirm = await asOwner.get(`/admin/staff/${member.id}/remove`);
    assert.match(await confirm.text(), /Remove Rae Writer\?/);
    assert.equal((await asOwner.post(`/admin/staff/${member.id}/remove`, {})).status, 303);
    assert.equal(await t.conn.db.selectFrom('users').select('id').where('id', '=', member.id).executeTakeFirst(), undefined);
    assert.equal((await t.services.posts.get(post.id, owner)).author_id, owner.id, 'her post stays, under the owner');
    assert.equal((await asOwner.post(`/admin/staff/${owner.id}/remove`, {})).status, 409, 'the owner cannot remove herself');
  });

  it('keeps the invitation form’s text when the email is taken', async () => {
    await asOwner.get('/admin/staff');
    const res = await asOwner.post('/admin/staff/invite', { email: owner.email, name: 'Second Olive', role: 'author' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /already on the staff/);
    assert.match(html, /value="Second Olive"/);
  });
});
