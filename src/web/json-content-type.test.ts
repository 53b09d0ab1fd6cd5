// A JSON body must say it is JSON: the staff API and the public comment endpoints answer a body
// sent as text/plain (or with no type) with 415, and change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { hiddenFields, loadPage, staffWithToken } from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';

describe('a JSON body without a JSON content type', () => {
  let t: TestApp;
  let token: string;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    const owner = await staffWithToken(t, 'owner', 'Olive Owner');
    token = owner.token;
    post = await makePost(t, owner.staff);
  });
  after(() => t.close());

  const send = (path: string, method: string, body: unknown, type?: string, extra: Record<string, string> = {}) =>
    t.request(path, {
      method,
      headers: { ...(type ? { 'content-type': type } : {}), ...extra },
      body: JSON.stringify(body),
    });

  it('is refused by the staff API with 415 and a JSON error, and creates nothing', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const type of ['text/plain', undefined, 'application/x-www-form-urlencoded']) {
      const res = await send('/api/v1/admin/posts', 'POST', { title: 'Sent as text', markdown: 'Hello.' }, type, auth);
      assert.equal(res.status, 415, `sent as ${type ?? 'no type'}`);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'unsupported_media_type');
      assert.match(body.error.message, /application\/json/);
    }
    const titles = await t.conn.db.selectFrom('posts').select('title').where('title', '=', 'Sent as text').execute();
    assert.deepEqual(titles, []);
  });

  it('is refused by the staff API’s comment edit with 415, leaving the words as written', async () => {
    const c = await t.services.comments.add({
      postId: post.id,
      authorName: 'Mara',
      authorEmail: 'mara@example.com',
      markdown: 'As written.',
      status: 'published',
    });
    const auth = { authorization: `Bearer ${token}` };
    const res = await send(`/api/v1/admin/comments/${c.id}`, 'PATCH', { markdown: 'Rewritten.' }, 'text/plain', auth);
    assert.equal(res.status, 415);
    const row = await t.conn.db.selectFrom('comments').select('markdown').where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.markdown, 'As written.');
    const json = await send(`/api/v1/admin/comments/${c.id}`, 'PATCH', { markdown: 'Rewritten.' }, 'application/json; charset=utf-8', auth);
    assert.equal(json.status, 200, 'the same body sent as JSON is taken');
  });

  it('is refused by the public comment endpoints with 415, and a form or JSON is still read', async () => {
    const { ts, token: formToken } = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    t.clock.advance(5000);
    const fields = { ts, token: formToken, name: 'Noor', email: 'noor@example.com', body: 'Sent as text.' };
    const headers = { origin: TEST_BASE_URL, accept: 'application/json' };
    const refused = await send(`/${post.slug}/comments`, 'POST', fields, 'text/plain', headers);
    assert.equal(refused.status, 415);
    const rows = await t.conn.db.selectFrom('comments').select('id').where('author_name', '=', 'Noor').execute();
    assert.deepEqual(rows, [], 'no comment was made');

    const preview = await send(`/${post.slug}/comments/preview`, 'POST', { body: '*hi*' }, 'text/plain', headers);
    assert.equal(preview.status, 415);
    const shown = await send(`/${post.slug}/comments/preview`, 'POST', { body: '*hi*' }, 'application/json', headers);
    assert.equal(shown.status, 200);
    assert.match(((await shown.json()) as { html: string }).html, /<em>hi<\/em>/);
  });
});
