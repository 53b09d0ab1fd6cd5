// Hearth's fediverse presence as clients written by others read it: WebFinger through webfinger.js
// (an RFC 7033 client), and the actor and the post's Article through activitystrea.ms (the
// Activity Streams 2.0 reference library, which expands the JSON-LD against the vocabulary), from a
// `hearth serve` process on loopback; her outbox lists her posts. Neither library shares code with Fedify, which Hearth serves with.
// (`@fedify/cli`'s `fedify lookup` cannot be installed here: its npm package downloads its binary
// from github.com when installed.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getDocumentLoader } from '@fedify/fedify';
import as from 'activitystrea.ms';
import Loader from 'activitystrea.ms/src/contextloader.js';
import WebFinger from 'webfinger.js';
import { type FreshDatabase, freePort, freshDatabase, hearth, type ServeProcess, startServe } from './processes.js';

const AS = 'https://www.w3.org/ns/activitystreams#';
const AP_JSON = 'application/activity+json';

interface AsObject {
  id: string;
  type: string;
  /** A property: a link's objects (first), a literal (first), or a language map (get). */
  get(key: string): { first?: AsObject | string; get?(): unknown } | undefined;
  name?: { get(): string };
}

// The machine has no way out to w3id.org: the standard context documents a document names beyond
// the two activitystrea.ms carries come from the copies Fedify keeps (as every fediverse server
// keeps its own). Only the documents are borrowed; expanding and reading is activitystrea.ms's.
const standardContexts = getDocumentLoader();

async function knowContextsOf(node: unknown): Promise<void> {
  if (Array.isArray(node)) {
    for (const item of node) await knowContextsOf(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key !== '@context') await knowContextsOf(value);
    else
      for (const url of [value].flat()) {
        if (typeof url !== 'string' || Loader.defaultInstance.get(url)) continue;
        Loader.defaultInstance.register(url, (await standardContexts(url)).document);
      }
  }
}

const idOf = (value: AsObject | string | undefined) => (typeof value === 'object' ? value.id : '');

async function activity(url: string): Promise<AsObject> {
  const res = await fetch(url, { headers: { accept: AP_JSON } });
  assert.equal(res.status, 200, url);
  assert.match(res.headers.get('content-type') ?? '', /application\/(activity|ld)\+json/);
  const document: unknown = await res.json();
  await knowContextsOf(document);
  return (await as.import(document)) as AsObject;
}

describe('independent fediverse clients', () => {
  let db: FreshDatabase;
  let serve: ServeProcess;
  let base: string;
  let postId: string;
  let postSlug: string;
  let token: string;

  before(async () => {
    db = await freshDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { ...db.env, PORT: String(port), BASE_URL: base };
    serve = await startServe(env);
    const add = await hearth(['user', 'add', '--email', 'ada@a.example', '--name', 'Ada Writer', '--role', 'owner'], {
      ...env,
      HEARTH_PASSWORD: 'a-long-test-passphrase',
    });
    assert.equal(add.code, 0, add.stderr);
    token = (await hearth(['token', 'create', '--email', 'ada@a.example'], env)).stdout.trim();
    const created = await fetch(`${base}/api/v1/admin/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Letters to the wide world', markdown: 'Words *any* server can read.', status: 'published' }),
    });
    assert.equal(created.status, 201);
    const body = (await created.json()) as { id?: string; slug?: string; post?: { id: string; slug: string } };
    postId = body.id ?? body.post?.id ?? '';
    postSlug = body.slug ?? body.post?.slug ?? '';
  });
  after(async () => {
    await serve?.stop();
    await db?.drop();
  });

  it('webfinger.js finds the author, and activitystrea.ms reads her actor', async () => {
    // Loopback is private: the client refuses it unless told, as it should for any other address.
    // A generous time: the author's keys are made on the first request, slow on a loaded test machine.
    const finger = new WebFinger({ tls_only: false, allow_private_addresses: true, request_timeout: 30_000 });
    const found = await finger.lookup(`ada-writer@${new URL(base).host}`);
    const self = (found.object.links ?? []).find((l) => l.rel === 'self' && l.type === AP_JSON);
    assert.equal(self?.href, `${base}/ap/users/ada-writer`);

    const actor = await activity(self.href);
    assert.equal(actor.type, `${AS}Person`);
    assert.equal(actor.id, `${base}/ap/users/ada-writer`);
    assert.equal(actor.name?.get(), 'Ada Writer');
    assert.equal(actor.get(`${AS}preferredUsername`)?.first, 'ada-writer');
    // ActivityPub's terms by their full IRIs, as the Activity Streams context defines them.
    for (const box of ['http://www.w3.org/ns/ldp#inbox', `${AS}outbox`, `${AS}followers`])
      assert.ok(idOf(actor.get(box)?.first).startsWith(`${base}/ap/`), box);
  });

  it('activitystrea.ms reads the post as an Article by that author, found from the post’s own page', async () => {
    // What a fediverse server does with a pasted address: the page names its ActivityPub object.
    const page = await (await fetch(`${base}/${postSlug}/`)).text();
    const articleUrl = /<link rel="alternate" type="application\/activity\+json" href="([^"]+)"/.exec(page)?.[1] ?? '';
    assert.equal(articleUrl, `${base}/ap/posts/${postId}`);
    const article = await activity(articleUrl);
    assert.equal(article.type, `${AS}Article`);
    assert.equal(article.id, articleUrl);
    assert.equal(article.name?.get(), 'Letters to the wide world');
    assert.match(String(article.get('content')?.get?.()), /Words <em>any<\/em> server can read\./);
    assert.equal(idOf(article.get('attributedTo')?.first), `${base}/ap/users/ada-writer`);
  });

  it('activitystrea.ms reads her outbox: its first page holds the Create of that Article', async () => {
    const outbox = await activity(`${base}/ap/users/ada-writer/outbox`);
    assert.equal(outbox.type, `${AS}OrderedCollection`);
    // A functional property (one value): the object itself, not a list.
    const first = (outbox.get('first') as AsObject | undefined)?.id ?? '';
    const page = await activity(first);
    assert.equal(page.type, `${AS}OrderedCollectionPage`);
    // orderedItems is the Activity Streams context's ordered list of as:items.
    const create = page.get(`${AS}items`)?.first;
    assert.equal(typeof create === 'object' && create.type, `${AS}Create`);
    assert.equal(typeof create === 'object' && idOf(create.get('object')?.first), `${base}/ap/posts/${postId}`);
  });

  it('once the post is deleted, its address answers 410 Gone with a Tombstone that activitystrea.ms reads', async () => {
    const removed = await fetch(`${base}/api/v1/admin/posts/${postId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(removed.status, 204);
    const url = `${base}/ap/posts/${postId}`;
    const res = await fetch(url, { headers: { accept: AP_JSON } });
    assert.equal(res.status, 410);
    assert.match(res.headers.get('content-type') ?? '', /application\/activity\+json/);
    const document: unknown = await res.json();
    await knowContextsOf(document);
    const tombstone = (await as.import(document)) as AsObject;
    assert.equal(tombstone.type, `${AS}Tombstone`);
    assert.equal(tombstone.id, url);
    // An address that never held a post is still simply not found.
    assert.equal((await fetch(`${base}/ap/posts/no-such-post`, { headers: { accept: AP_JSON } })).status, 404);
  });
});
