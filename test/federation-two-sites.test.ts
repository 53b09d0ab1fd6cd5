// Two Hearth sites on loopback, each its own process and database, federating with each other:
// B's author follows A's author from her workspace, A's post reaches B, B's answer becomes a comment
// in A's thread and A's inbox, A's reply comes back to B; B's like and boost are counted on A's post
// page until she takes them back; her answer edited or deleted changes A's comment, and A's post
// edited or deleted changes what B shows. An activity with a forged signature changes nothing, and a
// separate process resolves A's actor and post with Fedify's lookupObject.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { api, eventually, type Site, startSite, submit, workspace } from './kits/hearth-sites.js';

describe('two Hearth sites federating on loopback', () => {
  let a: Site;
  let b: Site;
  before(async () => {
    a = await startSite('Ada Writer', 'ada@a.example');
    b = await startSite('Bea Reader', 'bea@b.example');
  });
  after(async () => {
    await a?.serve.stop();
    await b?.serve.stop();
    await a?.db.drop();
    await b?.db.drop();
  });

  it('finds A’s author by WebFinger, with NodeInfo', async () => {
    const host = new URL(a.base).host;
    const res = await fetch(`${a.base}/.well-known/webfinger?resource=acct:ada-writer@${host}`);
    assert.equal(res.status, 200);
    const jrd = (await res.json()) as { links: { rel: string; href: string }[] };
    assert.equal(jrd.links.find((l) => l.rel === 'self')?.href, `${a.base}/ap/users/ada-writer`);
    const nodeinfo = (await (await fetch(`${a.base}/nodeinfo/2.1`)).json()) as { software: { name: string }; protocols: string[] };
    assert.equal(nodeinfo.software.name, 'hearth');
    assert.deepEqual(nodeinfo.protocols, ['activitypub']);
  });

  it('carries a post, a reply and the answer between the two sites', async () => {
    // B's author follows A's author from her workspace; A accepts at once.
    const page = await workspace(b, '/admin/fediverse');
    const followed = await submit(b, '/admin/fediverse/follow', page, { target: `${a.base}/ap/users/ada-writer` });
    assert.equal(followed.status, 303);
    await eventually('A lists B as a follower', async () => (await workspace(a, '/admin/fediverse')).includes('@bea-reader@'));
    await eventually('B hears the Accept', async () => !(await workspace(b, '/admin/fediverse')).includes('waiting for them to accept'));

    // A publishes; B's workspace shows it among posts of people she follows.
    const created = await api(a, '/admin/posts', {
      method: 'POST',
      json: { title: 'Letters across the wire', markdown: 'A post that travels.', status: 'published' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const postId = created.body.id ?? created.body.post?.id ?? '';
    const articleId = `${a.base}/ap/posts/${postId}`;
    const bPage = await eventually('the post reaches B', async () => {
      const html = await workspace(b, '/admin/fediverse');
      return html.includes('Letters across the wire') && html;
    });
    assert.ok(bPage.includes(articleId));

    // B's author answers it from her workspace: a comment in A's thread, from the fediverse, in A's inbox.
    const answered = await submit(b, '/admin/fediverse/answer', bPage, { object: articleId, text: 'Received on the other side.' });
    assert.equal(answered.status, 303, b.serve.output().slice(-3000));
    const comment = await eventually('the reply becomes a comment on A', async () => {
      const list = await api(a, '/admin/comments');
      const items = list.body.items;
      return Array.isArray(items) && items.find((c) => c.markdown?.includes('Received on the other side.'));
    });
    assert.match(comment.authorName ?? '', /Bea Reader \(@bea-reader@127\.0\.0\.1:\d+\)/);
    const inbox = await workspace(a, '/admin/inbox');
    assert.ok(inbox.includes('Received on the other side.'), 'the reply is in A’s inbox');
    // The moderation queue shows where it came from, linked to the reader's Note on B.
    const queue = await workspace(a, '/admin/comments');
    assert.ok(queue.includes('ws-tag-fediverse'), 'marked as from the fediverse');
    assert.ok(queue.includes(`href="${b.base}/ap/notes/`), 'linked to the Note on B');

    // A answers in Hearth: the Note goes back to B, shown there as an answer to her.
    const reply = await api(a, `/admin/comments/${comment.id}/reply`, { method: 'POST', json: { markdown: 'And answered from A.' } });
    void a.serve.output;
    assert.ok(reply.status === 200 || reply.status === 201, JSON.stringify(reply.body));
    await eventually('A’s answer arrives on B', async () => {
      const html = await workspace(b, '/admin/fediverse');
      return html.includes('And answered from A.') && html.includes('answered you');
    }).catch((err) => {
      throw new Error(`${err.message}\n${a.serve.output().slice(-2000)}\n${b.serve.output().slice(-2000)}`);
    });
    const thread = await (await fetch(`${a.base}/letters-across-the-wire/`)).text();
    assert.ok(thread.includes('Received on the other side.'), 'the thread shows the fediverse comment');
  });

  it('counts B’s like and boost on A’s post page, and forgets them when B takes them back', async () => {
    const postPage = () => fetch(`${a.base}/letters-across-the-wire/`).then((r) => r.text());
    assert.doesNotMatch(await postPage(), /post-reactions/, 'nothing shown before anyone reacts');
    const articleId = /name="object" value="([^"]*\/ap\/posts\/[^"]+)"/.exec(await workspace(b, '/admin/fediverse'))?.[1] ?? '';
    assert.ok(articleId, 'B lists A’s post');
    // B's author likes and boosts it from her Fediverse page, as her browser would post the forms.
    for (const kind of ['like', 'announce']) {
      const res = await submit(b, '/admin/fediverse/react', await workspace(b, '/admin/fediverse'), { object: articleId, kind });
      assert.equal(res.status, 303);
    }
    const bPage = await workspace(b, '/admin/fediverse');
    assert.match(bPage, /aria-pressed="true">Unlike/);
    assert.match(bPage, /aria-pressed="true">Undo boost/);
    await eventually('A counts the like and the boost', async () =>
      /<p class="meta post-reactions">1 like · 1 boost<\/p>/.test(await postPage()),
    ).catch((err) => {
      throw new Error(`${err.message}\n${a.serve.output().slice(-2000)}\n${b.serve.output().slice(-2000)}`);
    });

    // Undo, both: the count is gone from A's page.
    for (const kind of ['like', 'announce']) {
      const res = await submit(b, '/admin/fediverse/react', await workspace(b, '/admin/fediverse'), { object: articleId, kind, undo: '1' });
      assert.equal(res.status, 303);
    }
    await eventually('A forgets both', async () => !(await postPage()).includes('post-reactions'));
    assert.match(await workspace(b, '/admin/fediverse'), /aria-pressed="false">Like/);
  });

  it('carries edits and deletions both ways: B’s answer changed then deleted, A’s post changed then deleted', async () => {
    const created = await api(a, '/admin/posts', {
      method: 'POST',
      json: { title: 'A forecast', markdown: 'Rain by noon.', status: 'published' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const postId = created.body.id ?? created.body.post?.id ?? '';
    const articleId = `${a.base}/ap/posts/${postId}`;
    const bPage = await eventually('the forecast reaches B', async () => {
      const html = await workspace(b, '/admin/fediverse');
      return html.includes('Rain by noon.') && html;
    });
    assert.equal((await submit(b, '/admin/fediverse/answer', bPage, { object: articleId, text: 'Sun, surely.' })).status, 303);
    const comment = await eventually('B’s answer becomes a comment on A', async () =>
      (await api(a, '/admin/comments')).body.items?.find((c) => c.markdown === 'Sun, surely.'),
    );
    const thread = () => fetch(`${a.base}/a-forecast/`).then((r) => r.text());

    // B's author edits her answer on her Fediverse page: the Update changes A's comment.
    const answersPage = await workspace(b, '/admin/fediverse');
    const item = answersPage.split('<li class="fed-item">').find((li) => li.includes('name="note"') && li.includes('Sun, surely.')) ?? '';
    const noteId = /name="note" value="([^"]+)"/.exec(item)?.[1] ?? '';
    assert.ok(noteId, 'B lists her answer with a form to edit it');
    const edited = await submit(b, '/admin/fediverse/answers/edit', answersPage, { note: noteId, text: 'Rain, then sun.' });
    assert.equal(edited.status, 303);
    await eventually(
      'A’s comment takes the new words',
      async () => (await api(a, `/admin/comments/${comment.id}`)).body.markdown === 'Rain, then sun.',
    );
    const changed = await thread();
    assert.ok(changed.includes('Rain, then sun.') && !changed.includes('Sun, surely.'), 'the thread shows the new words only');

    // A answers it in her thread and then edits her answer: B is sent the Update.
    const reply = await api(a, `/admin/comments/${comment.id}/reply`, { method: 'POST', json: { markdown: 'Bring a coat.' } });
    assert.ok(reply.status === 200 || reply.status === 201, JSON.stringify(reply.body));
    const replyId = reply.body.id ?? (reply.body as { comment?: { id: string } }).comment?.id ?? '';
    await eventually('A’s answer reaches B', async () => (await workspace(b, '/admin/fediverse')).includes('Bring a coat.'));
    const rewritten = await api(a, `/admin/comments/${replyId}`, { method: 'PATCH', json: { markdown: 'Bring a coat and boots.' } });
    assert.equal(rewritten.status, 200, JSON.stringify(rewritten.body));
    await eventually('B shows A’s edited answer', async () => (await workspace(b, '/admin/fediverse')).includes('Bring a coat and boots.'));
    // Trashed, it is deleted on B; restored, it is sent again.
    assert.equal((await api(a, `/admin/comments/${replyId}/trash`, { method: 'POST' })).status, 200);
    await eventually(
      'B forgets A’s trashed answer',
      async () => !(await workspace(b, '/admin/fediverse')).includes('Bring a coat and boots.'),
    );
    assert.equal((await api(a, `/admin/comments/${replyId}/restore`, { method: 'POST' })).status, 200);
    await eventually('B shows A’s restored answer', async () =>
      (await workspace(b, '/admin/fediverse')).includes('Bring a coat and boots.'),
    );

    // She deletes it: the Delete withdraws A's comment, as a writer's own deletion does.
    const deleted = await submit(b, '/admin/fediverse/answers/delete', await workspace(b, '/admin/fediverse'), { note: noteId });
    assert.equal(deleted.status, 303);
    await eventually('A’s comment is withdrawn', async () => (await api(a, `/admin/comments/${comment.id}`)).body.status === 'trash');
    assert.equal((await thread()).includes('Rain, then sun.'), false, 'gone from the thread');
    assert.equal((await fetch(`${b.base}/ap/notes/${noteId}`, { headers: { accept: 'application/activity+json' } })).status, 404);

    // A edits her post: B shows the new title and words.
    const patched = await api(a, `/admin/posts/${postId}`, {
      method: 'PATCH',
      json: { title: 'A forecast, revised', markdown: 'Snow instead.' },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await eventually('B shows the edited post', async () => {
      const html = await workspace(b, '/admin/fediverse');
      return html.includes('A forecast, revised') && html.includes('Snow instead.') && !html.includes('Rain by noon.');
    });

    // A deletes it: B no longer lists it.
    assert.equal((await api(a, `/admin/posts/${postId}`, { method: 'DELETE' })).status, 204);
    await eventually('B forgets the deleted post', async () => {
      const html = await workspace(b, '/admin/fediverse');
      return !html.includes('A forecast, revised') && !html.includes(articleId);
    }).catch((err) => {
      throw new Error(`${err.message}\n${a.serve.output().slice(-2000)}\n${b.serve.output().slice(-2000)}`);
    });
  });

  it('takes nothing more from a blocked server, which no longer follows anyone', async () => {
    const page = await workspace(a, '/admin/fediverse');
    const blocked = await submit(a, '/admin/fediverse/block', page, { target: new URL(b.base).host });
    assert.equal(blocked.status, 303);
    const after = await workspace(a, '/admin/fediverse');
    assert.ok(after.includes(`${new URL(b.base).host} (server)`));
    assert.equal(after.includes('@bea-reader@'), false, 'no longer a follower');
    const bPage = await workspace(b, '/admin/fediverse');
    const articleId = /name="object" value="([^"]*\/ap\/posts\/[^"]+)"/.exec(bPage)?.[1] ?? '';
    const answered = await submit(b, '/admin/fediverse/answer', bPage, { object: articleId, text: 'Words from a blocked server.' });
    assert.equal(answered.status, 303);
    await new Promise((r) => setTimeout(r, 4000));
    const list = await api(a, '/admin/comments');
    assert.equal(JSON.stringify(list.body).includes('Words from a blocked server.'), false);
  });

  it('refuses an activity whose signature is forged or absent', async () => {
    const before = await api(a, '/admin/comments');
    const note = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${b.base}/ap/notes/forged#create`,
      type: 'Create',
      actor: `${b.base}/ap/users/bea-reader`,
      object: {
        id: `${b.base}/ap/notes/forged`,
        type: 'Note',
        attributedTo: `${b.base}/ap/users/bea-reader`,
        content: 'Forged words',
        inReplyTo: `${a.base}/ap/posts/x`,
      },
    };
    for (const signature of [undefined, 'keyId="x",algorithm="rsa-sha256",headers="(request-target) host date",signature="AAAA"']) {
      const res = await fetch(`${a.base}/ap/users/ada-writer/inbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/activity+json', ...(signature ? { signature, date: new Date().toUTCString() } : {}) },
        body: JSON.stringify(note),
      });
      assert.ok(res.status === 401 || res.status === 400, `answered ${res.status}`);
    }
    await new Promise((r) => setTimeout(r, 1500));
    const afterwards = await api(a, '/admin/comments');
    assert.equal(JSON.stringify(afterwards.body).includes('Forged words'), false);
    assert.equal(JSON.stringify(afterwards.body).length, JSON.stringify(before.body).length);
  });

  it('lets an independent client (Fedify’s lookupObject, in its own process) resolve A’s actor and post', async () => {
    const script = `
      import { getDocumentLoader, lookupObject } from '@fedify/fedify';
      const [actorUrl] = process.argv.slice(1);
      const actor = await lookupObject(actorUrl, { documentLoader: getDocumentLoader({ allowPrivateAddress: true }) });
      console.log(JSON.stringify({ type: actor?.constructor.name, name: actor?.name?.toString(), id: actor?.id?.href }));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, `${a.base}/ap/users/ada-writer`], { cwd: process.cwd() });
      let text = '';
      child.stdout.on('data', (d) => {
        text += d;
      });
      child.stderr.on('data', (d) => {
        text += d;
      });
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(text))));
    });
    const found = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    assert.deepEqual(found, { type: 'Person', name: 'Ada Writer', id: `${a.base}/ap/users/ada-writer` });
  });
});
