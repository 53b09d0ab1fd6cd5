// Every operation of the OpenAPI document, called over HTTP against a migrated database, as the
// public and as staff of each role, for its success and its main errors: each real status must be
// one the document lists for that operation, and each real body must validate against the schema
// it gives. The routes the app answers under /api/v1 and the document's operations are the same
// set, and no address under /api/v1 is answered by two routes (so mount order changes nothing).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import sharp from 'sharp';
import { makePost } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';
import { mailDirOf } from '../notify/notify.js';

// ajv-formats is CommonJS: its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Operation {
  operationId: string;
  security: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Doc = { paths: Record<string, Partial<Record<Method, Operation>>> };

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];
const DOC_ID = 'https://hearth.test/openapi.json';
const pointerPart = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The document's operations, as `METHOD /path`. */
const operationsOf = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`));

/** Hono's route path as OpenAPI paths: `:id` is `{id}`; a parameter limited to listed words is one path per word. */
function openApiPaths(honoPath: string): string[] {
  let paths = [''];
  for (const segment of honoPath.split('/').slice(1)) {
    const words = /^:\w+\{([\w|-]+)\}$/.exec(segment)?.[1]?.split('|');
    const name = /^:(\w+)/.exec(segment)?.[1];
    const options = words ?? (name ? [`{${name}}`] : [segment]);
    paths = paths.flatMap((p) => options.map((o) => `${p}/${o}`));
  }
  return paths;
}

/** A concrete address for a route path: each parameter gets a value its pattern accepts. */
function sampleAddress(honoPath: string): string {
  const SAMPLES = ['a-sample-slug', '0190a0b0-c0d0-7e0f-8a0b-0c0d0e0f1a2b', '2026', '05', 'feed.xml', 'photo.webp', 'x'];
  return honoPath
    .split('/')
    .map((segment) => {
      if (segment === '*') return 'anything';
      const m = /^:\w+(?:\{(.+)\})?$/.exec(segment);
      if (!m) return segment;
      const pattern = m[1];
      if (!pattern) return SAMPLES[0];
      const re = new RegExp(`^(?:${pattern})$`);
      const fit = SAMPLES.find((s) => re.test(s)) ?? pattern.split('|')[0];
      return fit;
    })
    .join('/');
}

describe('the JSON API as its OpenAPI document describes it', () => {
  let t: TestApp;
  let doc: Doc;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  // The document's own fields: known to ajv, checked by redocly (openapi.test.ts).
  ajv.addVocabulary(['openapi', 'info', 'servers', 'tags', 'paths', 'components', 'security']);
  const validators = new Map<string, ValidateFunction>();
  /** Each operation, and the statuses it was seen to answer. */
  const seen = new Map<string, Set<number>>();

  let owner: { staff: Staff; token: string };
  let author: { staff: Staff; token: string };
  let otherAuthor: { staff: Staff; token: string };
  let moderator: { staff: Staff; token: string };
  let post: PostRow;
  let othersPost: PostRow;
  let draft: PostRow;

  const staffMember = async (role: Staff['role'], name: string) => {
    const staff = await t.services.accounts.addUser({
      email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      name,
      role,
      password: 'correct horse battery',
    });
    return { staff, token: (await t.services.accounts.createToken(staff.email)).token };
  };

  /** A request as a client sends it: a token or none, a JSON body, or raw bytes with their type. */
  const call = (
    method: string,
    address: string,
    o: { token?: string; json?: unknown; body?: BodyInit; type?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.json !== undefined) headers['content-type'] = 'application/json';
    if (o.type) headers['content-type'] = o.type;
    const body = o.json !== undefined ? JSON.stringify(o.json) : o.body;
    return t.request(`/api/v1${address}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  };

  /** Checks a real answer against the document's operation `METHOD docPath`; returns the body read. */
  async function conforms(res: Response, operation: string, expected?: number): Promise<unknown> {
    const [method, docPath] = operation.split(' ') as [string, string];
    const op = doc.paths[docPath]?.[method.toLowerCase() as Method];
    assert.ok(op, `${operation} is in the document`);
    const text = await res.text();
    if (expected !== undefined) assert.equal(res.status, expected, `${operation}: ${text.slice(0, 300)}`);
    const answer = op.responses[String(res.status)];
    assert.ok(answer, `${operation} answered ${res.status}, a status the document does not list: ${text.slice(0, 300)}`);
    const statuses = seen.get(operation) ?? new Set<number>();
    seen.set(operation, statuses.add(res.status));
    if (!answer.content) {
      assert.equal(text, '', `${operation} ${res.status} has no body in the document`);
      return undefined;
    }
    const type = res.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    assert.ok(type in answer.content, `${operation} ${res.status} answered ${type}; the document says ${Object.keys(answer.content)}`);
    const pointer = `#/paths/${pointerPart(docPath)}/${method.toLowerCase()}/responses/${res.status}/content/${pointerPart(type)}/schema`;
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      validators.set(pointer, validate);
    }
    const value = type.endsWith('json') ? JSON.parse(text) : text;
    assert.ok(validate(value), `${operation} ${res.status}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`);
    return value;
  }

  /** A reader's comment through the post page's form, as CONTRACT.md describes it. */
  async function readerComment(slug: string, body: string, parent?: string): Promise<string> {
    const html = await (await t.request(`/${slug}/`)).text();
    const ts = /name="ts" value="(\d+)"/.exec(html)?.[1];
    const token = /name="token" value="([\w-]+)"/.exec(html)?.[1];
    assert.ok(ts && token, 'the post page has a comment form');
    t.clock.advance(4000);
    const res = await t.request(`/${slug}/comments`, {
      method: 'POST',
      headers: { origin: TEST_BASE_URL, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ ts, token, body, name: 'Rhea Reader', email: 'rhea@example.com', ...(parent ? { parent } : {}) }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { id: string }).id;
  }

  before(async () => {
    t = await testApp();
    doc = (await (await t.request('/api/v1/openapi.json')).json()) as Doc;
    ajv.addSchema(doc as object, DOC_ID);
    owner = await staffMember('owner', 'Olive Owner');
    author = await staffMember('author', 'Ada Author');
    otherAuthor = await staffMember('author', 'Bea Author');
    moderator = await staffMember('moderator', 'Mo Moderator');
    post = await makePost(t, author.staff, { title: 'On keeping a fire' });
    othersPost = await makePost(t, otherAuthor.staff);
    draft = await makePost(t, author.staff, { status: 'draft' });
  });
  after(() => t.close());

  it('answers the same operations the document lists, and no address under /api/v1 twice', () => {
    const routes = t.app.routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL');
    const answered = new Set(routes.flatMap((r) => openApiPaths(r.path.slice('/api/v1'.length)).map((p) => `${r.method} ${p}`)));
    assert.deepEqual([...answered].sort(), operationsOf(doc).sort());
    // Each route's address reaches that route alone: a general route can never swallow a later one.
    for (const route of routes) {
      const address = sampleAddress(route.path);
      const [matched] = t.app.router.match(route.method, address);
      const endpoints = matched.map(([[, r]]) => r).filter((r) => r.method !== 'ALL');
      assert.deepEqual(
        endpoints.map((r) => `${r.method} ${r.path}`),
        [`${route.method} ${route.path}`],
        `${address} reaches one route`,
      );
    }
  });

  it('serves the document itself to anyone', async () => {
    await conforms(await call('GET', '/openapi.json'), 'GET /openapi.json', 200);
    await conforms(await call('GET', '/openapi.json?x=%00'), 'GET /openapi.json', 400);
  });

  it('closes every staff operation to a request without a valid token (401)', async () => {
    for (const operation of operationsOf(doc)) {
      const [method, docPath] = operation.split(' ') as [string, string];
      if (doc.paths[docPath]?.[method.toLowerCase() as Method]?.security.length === 0) continue;
      const address = docPath.replace(/\{\w+\}/g, '0190a0b0-c0d0-7e0f-8a0b-0c0d0e0f1a2b');
      await conforms(await call(method, address), operation, 401);
      await conforms(await call(method, address, { token: 'hth_not-a-token' }), operation, 401);
    }
  });

  it('writes, reads, lists, changes and deletes posts, with the errors each may answer', async () => {
    const created = (await conforms(
      await call('POST', '/admin/posts', {
        token: author.token,
        json: { title: 'A new post', markdown: 'Words *here*.', tags: ['fire'], status: 'published' },
      }),
      'POST /admin/posts',
      201,
    )) as { id: string };
    await conforms(await call('POST', '/admin/posts', { token: author.token, json: { title: '' } }), 'POST /admin/posts', 422);
    await conforms(await call('POST', '/admin/posts', { token: moderator.token, json: { title: 'No' } }), 'POST /admin/posts', 403);
    await conforms(
      await call('POST', '/admin/posts', { token: author.token, body: '{"title":"x"}', type: 'text/plain' }),
      'POST /admin/posts',
      415,
    );
    await conforms(
      await call('POST', '/admin/posts', { token: author.token, json: { title: 'Long', markdown: 'x'.repeat(300 * 1024) } }),
      'POST /admin/posts',
      413,
    );

    const list = (await conforms(await call('GET', '/admin/posts?limit=1', { token: owner.token }), 'GET /admin/posts', 200)) as {
      next: string | null;
    };
    assert.ok(list.next);
    await conforms(await call('GET', `/admin/posts?cursor=${list.next}`, { token: owner.token }), 'GET /admin/posts', 200);
    await conforms(await call('GET', '/admin/posts?cursor=nonsense', { token: owner.token }), 'GET /admin/posts', 400);
    await conforms(await call('GET', '/admin/posts?limit=0', { token: owner.token }), 'GET /admin/posts', 422);
    await conforms(await call('GET', '/admin/posts?status=lost', { token: owner.token }), 'GET /admin/posts', 422);
    await conforms(await call('GET', '/admin/posts', { token: moderator.token }), 'GET /admin/posts', 403);

    await conforms(await call('GET', `/admin/posts/${created.id}`, { token: author.token }), 'GET /admin/posts/{id}', 200);
    await conforms(await call('GET', `/admin/posts/${othersPost.id}x`, { token: author.token }), 'GET /admin/posts/{id}', 404);

    await conforms(
      await call('PATCH', `/admin/posts/${created.id}`, { token: author.token, json: { title: 'A changed post' } }),
      'PATCH /admin/posts/{id}',
      200,
    );
    await conforms(
      await call('PATCH', `/admin/posts/${created.id}`, { token: author.token, json: { status: 'lost' } }),
      'PATCH /admin/posts/{id}',
      422,
    );
    await conforms(
      await call('PATCH', `/admin/posts/${othersPost.id}`, { token: author.token, json: { title: 'Mine now' } }),
      'PATCH /admin/posts/{id}',
      403,
    );
    await conforms(
      await call('PATCH', '/admin/posts/no-such-post', { token: owner.token, json: { title: 'Nobody' } }),
      'PATCH /admin/posts/{id}',
      404,
    );

    await conforms(await call('DELETE', `/admin/posts/${othersPost.id}`, { token: author.token }), 'DELETE /admin/posts/{id}', 403);
    await conforms(await call('DELETE', `/admin/posts/${created.id}`, { token: author.token }), 'DELETE /admin/posts/{id}', 204);
    await conforms(await call('DELETE', `/admin/posts/${created.id}`, { token: author.token }), 'DELETE /admin/posts/{id}', 404);
  });

  it('uploads an image, and refuses what is not one', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c05020' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'ember.png');
    await conforms(await call('POST', '/admin/media', { token: moderator.token, body: form }), 'POST /admin/media', 201);
    const words = new FormData();
    words.append('file', new Blob(['not an image'], { type: 'image/png' }), 'ember.png');
    await conforms(await call('POST', '/admin/media', { token: author.token, body: words }), 'POST /admin/media', 422);
    await conforms(await call('POST', '/admin/media', { token: author.token, json: {} }), 'POST /admin/media', 422);
  });

  it('moderates, answers, edits and lists comments, and reads a post’s public thread nested', async () => {
    const question = await readerComment(post.slug, 'Does the fire need tending at night?');
    const another = await readerComment(post.slug, 'A second question.');
    const onOthers = await readerComment(othersPost.slug, 'On the other post.');

    await conforms(await call('GET', '/admin/comments', { token: owner.token }), 'GET /admin/comments', 200);
    await conforms(await call('GET', '/admin/comments?status=pending&limit=1', { token: author.token }), 'GET /admin/comments', 200);
    await conforms(await call('GET', '/admin/comments?status=lost', { token: author.token }), 'GET /admin/comments', 422);
    await conforms(await call('GET', '/admin/comments?cursor=%7B%7D', { token: author.token }), 'GET /admin/comments', 400);

    await conforms(await call('GET', `/admin/comments/${question}`, { token: author.token }), 'GET /admin/comments/{id}', 200);
    await conforms(await call('GET', `/admin/comments/${onOthers}`, { token: author.token }), 'GET /admin/comments/{id}', 403);
    await conforms(await call('GET', '/admin/comments/nothing', { token: owner.token }), 'GET /admin/comments/{id}', 404);

    await conforms(
      await call('POST', `/admin/comments/${question}/approve`, { token: author.token }),
      'POST /admin/comments/{id}/approve',
      200,
    );
    await conforms(
      await call('POST', `/admin/comments/${question}/approve`, { token: author.token }),
      'POST /admin/comments/{id}/approve',
      200,
    );
    await conforms(
      await call('POST', `/admin/comments/${onOthers}/approve`, { token: author.token }),
      'POST /admin/comments/{id}/approve',
      403,
    );
    await conforms(await call('POST', '/admin/comments/nothing/approve', { token: owner.token }), 'POST /admin/comments/{id}/approve', 404);
    await conforms(
      await call('POST', `/admin/comments/${another}/spam`, { token: moderator.token }),
      'POST /admin/comments/{id}/spam',
      200,
    );
    await conforms(
      await call('POST', `/admin/comments/${another}/trash`, { token: moderator.token }),
      'POST /admin/comments/{id}/trash',
      200,
    );
    await conforms(
      await call('POST', `/admin/comments/${another}/approve`, { token: moderator.token }),
      'POST /admin/comments/{id}/approve',
      409,
    );
    await conforms(
      await call('POST', `/admin/comments/${another}/reply`, { token: author.token, json: { markdown: 'Not to spam.' } }),
      'POST /admin/comments/{id}/reply',
      409,
    );
    await conforms(
      await call('POST', `/admin/comments/${another}/restore`, { token: moderator.token }),
      'POST /admin/comments/{id}/restore',
      200,
    );
    await conforms(
      await call('POST', `/admin/comments/${onOthers}/restore`, { token: owner.token }),
      'POST /admin/comments/{id}/restore',
      409,
    );
    await conforms(await call('POST', `/admin/comments/${onOthers}/spam`, { token: author.token }), 'POST /admin/comments/{id}/spam', 403);
    await conforms(
      await call('POST', `/admin/comments/${onOthers}/trash`, { token: author.token }),
      'POST /admin/comments/{id}/trash',
      403,
    );

    // The inbox holds the question before it is answered.
    const inbox = (await conforms(await call('GET', '/admin/inbox', { token: author.token }), 'GET /admin/inbox', 200)) as {
      items: { comment: { id: string } }[];
    };
    assert.ok(inbox.items.some((i) => i.comment.id === question));
    await conforms(await call('GET', '/admin/inbox?limit=-3', { token: author.token }), 'GET /admin/inbox', 422);
    await conforms(await call('GET', '/admin/inbox?cursor=%00', { token: author.token }), 'GET /admin/inbox', 400);

    const reply = (await conforms(
      await call('POST', `/admin/comments/${question}/reply`, { token: author.token, json: { markdown: 'Bank it with ash.' } }),
      'POST /admin/comments/{id}/reply',
      201,
    )) as { id: string };
    await conforms(
      await call('POST', `/admin/comments/${question}/reply`, { token: author.token, json: { markdown: '  ' } }),
      'POST /admin/comments/{id}/reply',
      422,
    );
    await conforms(
      await call('POST', `/admin/comments/${question}/reply`, { token: author.token, body: 'markdown=hi', type: 'text/plain' }),
      'POST /admin/comments/{id}/reply',
      415,
    );
    await conforms(
      await call('POST', `/admin/comments/${onOthers}/reply`, { token: author.token, json: { markdown: 'Hello.' } }),
      'POST /admin/comments/{id}/reply',
      403,
    );
    await conforms(
      await call('POST', '/admin/comments/nothing/reply', { token: owner.token, json: { markdown: 'Hello.' } }),
      'POST /admin/comments/{id}/reply',
      404,
    );
    // A reader answers the answer: three levels, nested in the public thread.
    const followUp = await readerComment(post.slug, 'Thank you!', reply.id);
    await conforms(
      await call('POST', `/admin/comments/${followUp}/approve`, { token: owner.token }),
      'POST /admin/comments/{id}/approve',
      200,
    );

    await conforms(
      await call('PATCH', `/admin/comments/${question}`, {
        token: owner.token,
        json: { markdown: 'Does the fire need tending overnight?' },
      }),
      'PATCH /admin/comments/{id}',
      200,
    );
    await conforms(
      await call('PATCH', `/admin/comments/${question}`, { token: owner.token, json: { markdown: '' } }),
      'PATCH /admin/comments/{id}',
      422,
    );
    await conforms(
      await call('PATCH', `/admin/comments/${question}`, { token: owner.token, body: 'words', type: 'text/plain' }),
      'PATCH /admin/comments/{id}',
      415,
    );
    await conforms(
      await call('PATCH', `/admin/comments/${reply.id}`, { token: otherAuthor.token, json: { markdown: 'Mine.' } }),
      'PATCH /admin/comments/{id}',
      403,
    );
    await conforms(
      await call('PATCH', '/admin/comments/nothing', { token: owner.token, json: { markdown: 'Nobody.' } }),
      'PATCH /admin/comments/{id}',
      404,
    );
    await conforms(
      await call('GET', `/admin/comments/${question}/revisions`, { token: author.token }),
      'GET /admin/comments/{id}/revisions',
      200,
    );
    await conforms(
      await call('GET', `/admin/comments/${onOthers}/revisions`, { token: author.token }),
      'GET /admin/comments/{id}/revisions',
      403,
    );
    await conforms(
      await call('GET', '/admin/comments/nothing/revisions', { token: owner.token }),
      'GET /admin/comments/{id}/revisions',
      404,
    );

    const thread = (await conforms(await call('GET', `/posts/${post.slug}/comments`), 'GET /posts/{slug}/comments', 200)) as {
      items: { id: string; replies: { id: string; replies: { id: string }[] }[] }[];
    };
    const first = thread.items.find((c) => c.id === question);
    assert.equal(first?.replies[0]?.id, reply.id);
    assert.equal(first?.replies[0]?.replies[0]?.id, followUp, 'a reply to a reply is described and nested');
    const paged = (await conforms(await call('GET', `/posts/${post.slug}/comments?limit=1`), 'GET /posts/{slug}/comments', 200)) as {
      next: string;
    };
    await conforms(await call('GET', `/posts/${post.slug}/comments?cursor=${paged.next}`), 'GET /posts/{slug}/comments', 200);
    await conforms(await call('GET', `/posts/${post.slug}/comments?cursor=zz`), 'GET /posts/{slug}/comments', 400);
    await conforms(await call('GET', `/posts/${post.slug}/comments?limit=many`), 'GET /posts/{slug}/comments', 422);
    await conforms(await call('GET', `/posts/${draft.slug}/comments`), 'GET /posts/{slug}/comments', 404);
  });

  it('keeps the outbox, mail files, subscribers and email settings to the owner', async () => {
    // A message that failed until it was given up, as the worker leaves one.
    await t.services.notify.mail.sendPasswordReset({ to: 'lost@example.com', name: 'Lost', link: `${TEST_BASE_URL}/reset/x` });
    await t.conn.db.updateTable('outbox').set({ status: 'parked', attempts: 8, last_error: 'refused' }).execute();
    const parked = (await conforms(await call('GET', '/admin/outbox', { token: owner.token }), 'GET /admin/outbox', 200)) as {
      items: { id: string }[];
    };
    const id = parked.items[0]?.id;
    assert.ok(id);
    await conforms(await call('GET', '/admin/outbox?status=sent&limit=2', { token: owner.token }), 'GET /admin/outbox', 200);
    await conforms(await call('GET', '/admin/outbox?status=lost', { token: owner.token }), 'GET /admin/outbox', 422);
    await conforms(await call('GET', '/admin/outbox', { token: author.token }), 'GET /admin/outbox', 403);
    await conforms(await call('POST', `/admin/outbox/${id}/retry`, { token: author.token }), 'POST /admin/outbox/{id}/retry', 403);
    await conforms(await call('POST', `/admin/outbox/${id}/retry`, { token: owner.token }), 'POST /admin/outbox/{id}/retry', 200);
    await conforms(await call('POST', `/admin/outbox/${id}/retry`, { token: owner.token }), 'POST /admin/outbox/{id}/retry', 404);

    // A message written to a file, as the file transport does while SMTP_URL is unset.
    const mailDir = mailDirOf(t.dataDir);
    fs.mkdirSync(mailDir, { recursive: true });
    fs.writeFileSync(
      path.join(mailDir, '20260301-090000-welcome.eml'),
      'Message-ID: <1@hearth.test>\r\nTo: rhea@example.com\r\nSubject: Welcome\r\nDate: Sun, 01 Mar 2026 09:00:00 +0000\r\n\r\nHello.\r\n',
    );
    await conforms(await call('GET', '/admin/mail', { token: owner.token }), 'GET /admin/mail', 200);
    await conforms(await call('GET', '/admin/mail', { token: moderator.token }), 'GET /admin/mail', 403);
    await conforms(await call('GET', '/admin/mail/20260301-090000-welcome.eml', { token: owner.token }), 'GET /admin/mail/{name}', 200);
    await conforms(await call('GET', '/admin/mail/nothing.eml', { token: owner.token }), 'GET /admin/mail/{name}', 404);
    await conforms(await call('GET', '/admin/mail/nothing.eml', { token: author.token }), 'GET /admin/mail/{name}', 403);

    await conforms(
      await call('POST', '/admin/subscribers/import', {
        token: owner.token,
        body: 'email\nfern@example.com\nnot-an-address\n',
        type: 'text/csv',
      }),
      'POST /admin/subscribers/import',
      200,
    );
    await conforms(
      await call('POST', '/admin/subscribers/import', { token: owner.token, json: { csv: 'email\nivy@example.com\n' } }),
      'POST /admin/subscribers/import',
      200,
    );
    await conforms(
      await call('POST', '/admin/subscribers/import', { token: owner.token, body: '  ', type: 'text/csv' }),
      'POST /admin/subscribers/import',
      422,
    );
    await conforms(
      await call('POST', '/admin/subscribers/import', { token: owner.token, body: '{"csv":""}', type: 'text/json' }),
      'POST /admin/subscribers/import',
      415,
    );
    await conforms(
      await call('POST', '/admin/subscribers/import', { token: author.token, body: 'email\n', type: 'text/csv' }),
      'POST /admin/subscribers/import',
      403,
    );
    await conforms(await call('GET', '/admin/subscribers', { token: owner.token }), 'GET /admin/subscribers', 200);
    await conforms(await call('GET', '/admin/subscribers?status=confirmed&limit=1', { token: owner.token }), 'GET /admin/subscribers', 200);
    await conforms(await call('GET', '/admin/subscribers?status=lost', { token: owner.token }), 'GET /admin/subscribers', 422);
    await conforms(await call('GET', '/admin/subscribers?cursor=bad', { token: owner.token }), 'GET /admin/subscribers', 400);
    await conforms(await call('GET', '/admin/subscribers', { token: author.token }), 'GET /admin/subscribers', 403);
    await conforms(await call('GET', '/admin/subscribers/export', { token: owner.token }), 'GET /admin/subscribers/export', 200);
    await conforms(await call('GET', '/admin/subscribers/export', { token: moderator.token }), 'GET /admin/subscribers/export', 403);

    await conforms(await call('GET', '/admin/settings/email', { token: owner.token }), 'GET /admin/settings/email', 200);
    await conforms(await call('GET', '/admin/settings/email', { token: author.token }), 'GET /admin/settings/email', 403);
    await conforms(
      await call('PATCH', '/admin/settings/email', { token: owner.token, json: { digestHourUtc: 6 } }),
      'PATCH /admin/settings/email',
      200,
    );
    await conforms(
      await call('PATCH', '/admin/settings/email', { token: owner.token, json: { digestHourUtc: 99 } }),
      'PATCH /admin/settings/email',
      422,
    );
    await conforms(
      await call('PATCH', '/admin/settings/email', {
        token: owner.token,
        body: 'digestHourUtc=6',
        type: 'application/x-www-form-urlencoded',
      }),
      'PATCH /admin/settings/email',
      415,
    );
    await conforms(
      await call('PATCH', '/admin/settings/email', { token: author.token, json: { digestHourUtc: 6 } }),
      'PATCH /admin/settings/email',
      403,
    );
  });

  it('sends a published post to subscribers, and lets each staff member choose her notices', async () => {
    await conforms(
      await call('POST', `/admin/posts/${post.id}/send-newsletter`, { token: author.token }),
      'POST /admin/posts/{id}/send-newsletter',
      202,
    );
    await conforms(
      await call('POST', `/admin/posts/${draft.id}/send-newsletter`, { token: author.token }),
      'POST /admin/posts/{id}/send-newsletter',
      409,
    );
    await conforms(
      await call('POST', `/admin/posts/${othersPost.id}/send-newsletter`, { token: author.token }),
      'POST /admin/posts/{id}/send-newsletter',
      403,
    );
    await conforms(
      await call('POST', '/admin/posts/nothing/send-newsletter', { token: owner.token }),
      'POST /admin/posts/{id}/send-newsletter',
      404,
    );

    await conforms(await call('GET', '/admin/me/notifications', { token: moderator.token }), 'GET /admin/me/notifications', 200);
    await conforms(
      await call('PUT', '/admin/me/notifications', { token: moderator.token, json: { digest: false } }),
      'PUT /admin/me/notifications',
      200,
    );
    await conforms(
      await call('PUT', '/admin/me/notifications', { token: moderator.token, json: { digest: 'no' } }),
      'PUT /admin/me/notifications',
      422,
    );
    await conforms(
      await call('PUT', '/admin/me/notifications', { token: moderator.token, body: 'digest=no', type: 'text/plain' }),
      'PUT /admin/me/notifications',
      415,
    );
  });

  it('called every operation of the document, each with its success and at least one error', () => {
    for (const operation of operationsOf(doc)) {
      const statuses = [...(seen.get(operation) ?? [])];
      assert.ok(
        statuses.some((s) => s < 300),
        `${operation} was called with success (seen: ${statuses})`,
      );
      assert.ok(
        statuses.some((s) => s >= 400),
        `${operation} was called with an error (seen: ${statuses})`,
      );
    }
  });
});
