// A first-time reader whose comment is held: what she is told, and her details kept for next time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServedApp, serveTestApp } from '../../test/e2e/browser.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { idFromLocation, newReader, type Reader, reader, sendComment } from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';

const AUTHOR_READS = /The author reads every comment and will publish yours and answer it here\./;
const CONFIRMATION = /A confirmation email is on its way to you/;

const attribute = (html: string, id: string, name: string) =>
  new RegExp(`<input id="${id}"[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1] ?? new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0];

describe('a reader whose comment is held', () => {
  let site: ServedApp;
  let post: PostRow;
  /** A page through the real server, where the page cache answers. */
  const get = (path: string, who?: Reader) => fetch(`${site.base}${path}`, { headers: who?.cookie ? { cookie: who.cookie } : {} });

  before(async () => {
    site = await serveTestApp({ pageCache: true });
    post = await makePost(site, await makeStaff(site), { title: 'On patience', slug: 'on-patience' });
    await site.services.conversationSettings.update({ hold: 'first_time' });
  });
  after(() => site.stop());

  it('lands on a page that says the author reads every comment, and that a confirmation email is coming when she asked for replies', async () => {
    const maya = newReader();
    const res = await sendComment(site, post.slug, { ...reader('Maya'), body: 'My first words.', notify: 'on' }, { reader: maya });
    assert.equal(res.status, 303);
    const id = idFromLocation(res);
    const location = res.headers.get('location') ?? '';
    assert.equal(location, `/${post.slug}/?held=${id}&confirm=1#comment-${id}`);
    const landed = await get(location.replace(/#.*/, ''), maya);
    assert.equal(landed.status, 200);
    assert.match(landed.headers.get('cache-control') ?? '', /private/);
    const html = await landed.text();
    const notice = /<div class="held-notice" role="status">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    assert.match(notice, AUTHOR_READS);
    assert.match(notice, CONFIRMATION);
    assert.ok(html.indexOf('class="held-notice"') > html.indexOf(`id="comment-${id}"`), 'under her comment');

    const stranger = await (await get(location.replace(/#.*/, ''))).text();
    assert.doesNotMatch(stranger, /held-notice|My first words/, 'the address tells anyone else nothing');
  });

  it('says no confirmation email is coming when she did not ask for replies, and tells a script the same', async () => {
    const lea = newReader();
    const res = await sendComment(site, post.slug, { ...reader('Lea'), body: 'Quiet words.' }, { reader: lea });
    const location = res.headers.get('location') ?? '';
    assert.doesNotMatch(location, /confirm=/);
    const html = await (await get(location.replace(/#.*/, ''), lea)).text();
    assert.match(html, AUTHOR_READS);
    assert.doesNotMatch(html, CONFIRMATION);

    const json = await sendComment(site, post.slug, { ...reader('Ines'), body: 'Sent by a script.', notify: 'on' }, { json: true });
    assert.equal(json.status, 201);
    const body = (await json.json()) as { status: string; message: string };
    assert.equal(body.status, 'pending');
    assert.match(body.message, AUTHOR_READS);
    assert.match(body.message, CONFIRMATION);
    const quiet = (await (await sendComment(site, post.slug, { ...reader('Ada'), body: 'Also a script.' }, { json: true })).json()) as {
      message: string;
    };
    assert.match(quiet.message, AUTHOR_READS);
    assert.doesNotMatch(quiet.message, CONFIRMATION);
  });

  it('fills in her name and email on her next form, in a private page, while others get the cached page with empty fields', async () => {
    const june = newReader();
    const res = await sendComment(site, post.slug, { ...reader('June Day'), body: 'Hello again.' }, { reader: june });
    assert.equal(res.status, 303);

    const first = await get(`/${post.slug}/`);
    const firstHtml = await first.text();
    const cached = await get(`/${post.slug}/`);
    assert.equal(cached.headers.get('x-cache'), 'hit', 'a reader without a credential is served the cached page');
    const cachedHtml = await cached.text();
    assert.equal(cachedHtml, firstHtml);
    for (const html of [firstHtml, cachedHtml]) {
      assert.equal(attribute(html, 'respond-name', 'value'), '');
      assert.equal(attribute(html, 'respond-email', 'value'), '');
      assert.doesNotMatch(html, /june\.day@example\.com/);
    }

    const hers = await get(`/${post.slug}/`, june);
    assert.notEqual(hers.headers.get('x-cache'), 'hit', 'never served from the cache');
    assert.match(hers.headers.get('cache-control') ?? '', /private/);
    const hersHtml = await hers.text();
    assert.equal(attribute(hersHtml, 'respond-name', 'value'), 'June Day');
    assert.equal(attribute(hersHtml, 'respond-email', 'value'), 'june.day@example.com');
    assert.doesNotMatch(hersHtml, /held-notice/, 'the held notice only on the page she lands on');

    const afterwards = await get(`/${post.slug}/`);
    assert.equal(afterwards.headers.get('x-cache'), 'hit');
    assert.doesNotMatch(await afterwards.text(), /June Day|june\.day@example\.com/, 'her details never reach the cache');
  });
});
