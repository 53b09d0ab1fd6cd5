// The Programs part of the workspace: writing a program in the editor, the list with counts, a
// program's sign-ups and sources, the CSV export, and who may see them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { staffWithToken } from '../../test/kits/comments.js';
import { signUpOver } from '../../test/kits/programs.js';
import { editorFields } from '../../test/workspace-forms.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

describe('programs in the workspace', () => {
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  let bea: Staff;
  let asAda: Browser;
  let program: PostRow;
  let essay: PostRow;
  let replyId: string;

  before(async () => {
    t = await testApp();
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    bea = await makeStaff(t, 'author', 'Bea Author');
    asAda = new Browser(t);
    await asAda.signIn(ada.email);
    program = await makePost(t, ada, { kind: 'program', title: 'Deep Listening', slug: 'deep-listening', markdown: 'Eight weeks.' });
    essay = await makePost(t, ada, { title: 'On listening', markdown: 'Words.\n\n{{program deep-listening}}' });
    const staff = await staffWithToken(t, 'owner', 'Reply Owner');
    const q = await t.services.comments.add({
      postId: essay.id,
      authorName: 'Ina',
      authorEmail: 'ina@example.com',
      markdown: 'How?',
      status: 'published',
    });
    const reply = await staff.api(`/api/v1/admin/comments/${q.id}/reply`, {
      method: 'POST',
      json: { markdown: '{{program deep-listening}}' },
    });
    replyId = ((await reply.json()) as { id: string }).id;
  });
  after(() => t.close());

  it('writes and publishes a program with the editor, and readers find its sign-up form', async () => {
    const editor = await asAda.get('/admin/programs/new');
    assert.equal(editor.status, 200);
    assert.match(await editor.text(), /<h1>New program<\/h1>/);
    const res = await asAda.post(
      '/admin/programs/new',
      editorFields({ title: 'Morning Pages Circle', slug: 'morning-pages', markdown: 'Write *every* morning.', intent: 'publish' }),
    );
    assert.equal(res.status, 303);
    const id = /\/admin\/programs\/([0-9a-f-]{36})\?done=published$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    const saved = await t.services.posts.get(id, ada);
    assert.equal(saved.kind, 'program');
    assert.equal(saved.status, 'published');
    assert.equal((await asAda.get(`/admin/programs/${id}`)).status, 200);
    const page = await (await t.request('/morning-pages/')).text();
    assert.match(page, /Write <em>every<\/em> morning\./);
    assert.match(page, /action="\/morning-pages\/signup"/);
    const list = await (await asAda.get('/admin/programs')).text();
    assert.match(list, /Morning Pages Circle/);
  });

  it('counts sign-ups and clicks per post and per reply on the program’s page', async () => {
    // Two readers click the card in the post, one the card in the reply.
    const as = (reader: string) => ({ headers: { 'user-agent': reader } });
    await t.request(`/go/program/deep-listening?from=post:${essay.id}`, as('Reader one'));
    await t.request(`/go/program/deep-listening?from=post:${essay.id}`, as('Reader two'));
    await t.request(`/go/program/deep-listening?from=comment:${replyId}`, as('Reader one'));
    assert.equal(
      (await signUpOver(t, 'deep-listening', { name: 'Noor', email: 'noor@example.com' }, `?from=post:${essay.id}`)).status,
      303,
    );
    assert.equal(
      (await signUpOver(t, 'deep-listening', { name: 'Kai', email: 'kai@example.com' }, `?from=comment:${replyId}`)).status,
      303,
    );
    assert.equal((await signUpOver(t, 'deep-listening', { name: 'Sol', email: 'sol@example.com' })).status, 303);

    const list = await (await asAda.get('/admin/programs')).text();
    const row = list.slice(list.indexOf(`data-program-id="${program.id}"`));
    assert.match(row, /<td>3<\/td><td data-signup-count="3">3<\/td>/);

    const res = await asAda.get(`/admin/programs/${program.id}/signups`);
    assert.equal(res.status, 200);
    const html = await res.text();
    const sources = html.slice(html.indexOf('data-sources'), html.indexOf('</table>', html.indexOf('data-sources')));
    assert.match(sources, /Post “On listening”<\/a><\/td><td>2<\/td><td>1<\/td>/);
    assert.match(sources, new RegExp(`#comment-${replyId}">Reply by Reply Owner on “On listening”</a></td><td>1</td><td>1</td>`));
    assert.match(sources, /The program page itself<\/td><td>0<\/td><td>1<\/td>/);
    assert.match(html, /3 sign-ups/);
    for (const name of ['Noor', 'Kai', 'Sol']) assert.match(html, new RegExp(`<td>${name}</td>`));
  });

  it('exports the sign-ups as CSV, quoting what needs it and keeping formulas as text', async () => {
    const other = await makePost(t, ada, { kind: 'program', title: 'Export me', slug: 'export-me', markdown: 'x' });
    await signUpOver(t, 'export-me', {
      name: '=HYPERLINK("http://evil.example","Click")',
      email: 'formula@example.com',
      message: 'Hello, "Rosa"\nSecond line',
    });
    await signUpOver(t, 'export-me', { name: 'Plain Name', email: 'plain@example.com', message: '+1 and @me' });
    const res = await asAda.get(`/admin/programs/${other.id}/signups.csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="export-me-signups.csv"/);
    const csv = await res.text();
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(lines[0], 'signed_up_at,name,email,message,came_from');
    assert.match(
      lines[1] ?? '',
      /^\d{4}-\d\d-\d\dT[\d:.]+Z,"'=HYPERLINK\(""http:\/\/evil\.example"",""Click""\)",formula@example\.com,"Hello, ""Rosa""\nSecond line",The program page itself$/,
    );
    assert.match(lines[2] ?? '', /,Plain Name,plain@example\.com,'\+1 and @me,The program page itself$/);
    assert.equal(lines[3], '');
    assert.equal(lines.length, 4);
  });

  it('shows sign-ups to the program’s author and the owner only', async () => {
    const asBea = new Browser(t);
    await asBea.signIn(bea.email);
    assert.equal((await asBea.get(`/admin/programs/${program.id}/signups`)).status, 403);
    assert.equal((await asBea.get(`/admin/programs/${program.id}/signups.csv`)).status, 403);
    assert.doesNotMatch(await (await asBea.get('/admin/programs')).text(), /Deep Listening/);
    const asOwner = new Browser(t);
    await asOwner.signIn(owner.email);
    assert.equal((await asOwner.get(`/admin/programs/${program.id}/signups`)).status, 200);
    const mo = await makeStaff(t, 'moderator', 'Mo Moderator');
    const asMo = new Browser(t);
    await asMo.signIn(mo.email);
    assert.equal((await asMo.get('/admin/programs')).status, 403);
    assert.equal((await asMo.get(`/admin/programs/${program.id}/signups`)).status, 403);
    assert.doesNotMatch(await (await asMo.get('/admin/')).text(), /href="\/admin\/programs"/);
    assert.equal((await asAda.get(`/admin/programs/${essay.id}/signups`)).status, 404, 'a post is not a program');
  });
});
