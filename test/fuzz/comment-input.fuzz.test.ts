// The comment form and the comments API on generated input: whatever a reader or a client sends,
// the answer is never a 500, and nothing stored or shown from it could run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { PostRow } from '../../src/db/tables.js';
import { makePost, makeStaff } from '../factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../harness.js';
import { hiddenFields, loadPage, sendComment, staffWithToken } from '../kits/comments.js';
import { dangers } from '../kits/html.js';
import { fuzzParameters, hostileText } from './fuzz-runs.js';

/** A value a client might put in a JSON field: mostly text, sometimes the wrong type entirely. */
const jsonValue = fc.oneof(
  { weight: 6, arbitrary: hostileText(300) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 1e308, -1, '', 'on', '1') },
);

const readerFields = fc.record(
  {
    name: hostileText(80),
    email: fc.oneof(fc.emailAddress(), hostileText(40)),
    website: fc.oneof(fc.webUrl(), fc.constant('javascript:alert(1)'), hostileText(40)),
    body: hostileText(600),
    notify: fc.constantFrom('on', '1', '', 'x'),
    private: fc.constantFrom('on', '1', '', 'x'),
    parent: fc.oneof(fc.constant(''), fc.uuid(), hostileText(20)),
  },
  { requiredKeys: ['body'] },
);

/** A path segment for any text: lone surrogates (which no URL can hold) become U+FFFD first. */
const segment = (text: string) =>
  encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

describe('the comment form and API, fuzzed', () => {
  let t: TestApp;
  let post: PostRow;
  let owner: Awaited<ReturnType<typeof staffWithToken>>;
  const statuses = new Map<number, number>();
  const seen = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  before(async () => {
    t = await testApp();
    owner = await staffWithToken(t, 'owner', 'Olive Owner');
    const author = await makeStaff(t, 'author', 'Ada Author');
    post = await makePost(t, author, { title: 'Fuzzed', slug: 'fuzzed' });
  });
  after(() => t.close());

  async function storedAreInert(): Promise<void> {
    const rows = await t.conn.db.selectFrom('comments').select(['id', 'html']).execute();
    for (const row of rows) assert.deepEqual(dangers(row.html), [], `comment ${row.id}`);
  }

  it('answers any form or JSON a reader sends without a 500, and stores nothing that runs', async () => {
    await fc.assert(
      fc.asyncProperty(readerFields, fc.boolean(), async (fields, json) => {
        // An hour between readers: each meets the form as a person would, not the rate limit.
        t.clock.advance(3_600_000);
        const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const res = await sendComment(t, post.slug, clean, { json });
        seen(res.status);
        assert.ok(res.status < 500, `status ${res.status} for ${JSON.stringify(fields)}: ${await res.text()}`);
      }),
      fuzzParameters(120),
    );
    await storedAreInert();
    const accepted = (statuses.get(303) ?? 0) + (statuses.get(201) ?? 0);
    assert.ok(accepted > 0, `some generated comments were taken: ${JSON.stringify(Object.fromEntries(statuses))}`);
    // What was taken shows on the page, and the conversation part of the page holds nothing that runs.
    const { html } = await loadPage(t, `/${post.slug}/`);
    const conversation = html.slice(html.indexOf('<ol'), html.lastIndexOf('</ol>') + 5);
    assert.deepEqual(dangers(conversation), []);
  });

  it('answers any JSON body, of any shape, without a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('name', 'email', 'body', 'website', 'parent', 'ts', 'token', 'x'), jsonValue),
        async (body) => {
          t.clock.advance(3_600_000);
          const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
          t.clock.advance(3000);
          const res = await t.request(`/${post.slug}/comments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', origin: TEST_BASE_URL },
            body: JSON.stringify({ ...hidden, ...body }),
          });
          assert.ok(res.status < 500, `status ${res.status} for ${JSON.stringify(body)}`);
        },
      ),
      fuzzParameters(80),
    );
  });

  it('answers any raw body under any content type without a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', ''),
        fc.oneof(hostileText(300), fc.string({ unit: 'binary', maxLength: 300 })),
        async (type, body) => {
          const res = await t.request(`/${post.slug}/comments`, {
            method: 'POST',
            headers: { ...(type ? { 'content-type': type } : {}), origin: TEST_BASE_URL },
            body,
          });
          assert.ok(res.status < 500, `status ${res.status} for ${type} ${JSON.stringify(body)}`);
        },
      ),
      fuzzParameters(150),
    );
  });

  it('answers any query to the public comments API without a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(post.slug), hostileText(30)),
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'sort', 'x'), fc.oneof(hostileText(40), fc.integer().map(String))),
        async (slug, query) => {
          const res = await t.request(`/api/v1/posts/${segment(slug)}/comments?${new URLSearchParams(query)}`);
          assert.ok(res.status < 500, `status ${res.status} for ${slug} ${JSON.stringify(query)}`);
          if (res.status === 200) {
            const body = (await res.json()) as { items: { html: string }[] };
            for (const item of body.items) assert.deepEqual(dangers(item.html), []);
          }
        },
      ),
      fuzzParameters(150),
    );
  });

  it('answers any staff reply or edit over the API without a 500, and stores nothing that runs', async () => {
    const first = await t.conn.db.selectFrom('comments').select('id').executeTakeFirstOrThrow();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('reply', 'edit', 'action'),
        fc.oneof(fc.constant(first.id), fc.uuid(), hostileText(20)),
        fc.dictionary(fc.constantFrom('markdown', 'status', 'x'), jsonValue),
        fc.constantFrom('approve', 'spam', 'trash', 'restore', 'nonsense'),
        async (what, id, json, action) => {
          const path = `/api/v1/admin/comments/${segment(id)}`;
          const res =
            what === 'reply'
              ? await owner.api(`${path}/reply`, { method: 'POST', json })
              : what === 'edit'
                ? await owner.api(path, { method: 'PATCH', json })
                : await owner.api(`${path}/${action}`, { method: 'POST' });
          assert.ok(res.status < 500, `status ${res.status} for ${what} ${id} ${JSON.stringify(json)}`);
        },
      ),
      fuzzParameters(120),
    );
    await storedAreInert();
  });
});
