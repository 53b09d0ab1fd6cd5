// The comment form's token over HTTP: it grows old after two hours, and every use of it needs the
// minimum time on the page, so a harvested token cannot be replayed to skip that check.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { hiddenFields, loadPage, reader, sendComment } from '../../test/kits/comments.js';
import type { PostRow } from '../db/tables.js';
import { FORM_TOKEN_LIFETIME_MS } from './signing.js';

const commentsOn = async (t: TestApp, post: PostRow) =>
  (await t.conn.db.selectFrom('comments').select('markdown').where('post_id', '=', post.id).orderBy('created_at').execute()).map(
    (r) => r.markdown,
  );

describe('the comment form’s token', () => {
  let t: TestApp;
  let post: PostRow;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());
  beforeEach(async () => {
    post = await makePost(t, await makeStaff(t));
  });

  it('grows old two hours after the form was served: the words come back with a fresh form that sends', async () => {
    const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    const late = await sendComment(
      t,
      post.slug,
      { ...reader('Slow Writer'), body: 'Written over a long afternoon.' },
      {
        hidden,
        wait: FORM_TOKEN_LIFETIME_MS + 1000,
      },
    );
    assert.equal(late.status, 422);
    const html = await late.text();
    assert.match(html, /This form had grown old, so it was not sent\. Please send it again: your words are kept below\./);
    assert.match(html, /Written over a long afternoon\./);
    assert.match(html, /value="Slow Writer"/);
    assert.deepEqual(await commentsOn(t, post), []);

    const fresh = hiddenFields(html);
    assert.notDeepEqual(fresh, hidden, 'the page carries a new token');
    const again = await sendComment(t, post.slug, { ...reader('Slow Writer'), body: 'Written over a long afternoon.' }, { hidden: fresh });
    assert.equal(again.status, 303);
    assert.deepEqual(await commentsOn(t, post), ['Written over a long afternoon.']);
  });

  it('still works just before two hours', async () => {
    const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    const res = await sendComment(
      t,
      post.slug,
      { ...reader('Nearly Late'), body: 'Just in time.' },
      {
        hidden,
        wait: FORM_TOKEN_LIFETIME_MS - 1000,
      },
    );
    assert.equal(res.status, 303);
  });

  it('refuses the same token sent again before the minimum time has passed since its last use, keeping the words', async () => {
    const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    const first = await sendComment(t, post.slug, { ...reader('First Use'), body: 'The first comment.' }, { hidden });
    assert.equal(first.status, 303);

    // Long after the page was served, but at once after the token's first use.
    const replay = await sendComment(t, post.slug, { ...reader('Replayer'), body: 'Sent again at once.' }, { hidden, wait: 1000 });
    assert.equal(replay.status, 422);
    const html = await replay.text();
    assert.match(html, /This form sent a comment a moment ago\. Please look over yours and send it again/);
    assert.match(html, /Sent again at once\./);
    assert.match(html, /value="Replayer"/);

    // The page it shows was served now: it needs the minimum time on the page too.
    const fresh = hiddenFields(html);
    const hurried = await sendComment(t, post.slug, { ...reader('Replayer'), body: 'Sent again at once.' }, { hidden: fresh, wait: 0 });
    assert.equal(hurried.status, 422);
    assert.match(await hurried.text(), /quicker than a person/);
    const patient = await sendComment(t, post.slug, { ...reader('Replayer'), body: 'Sent again at once.' }, { hidden: fresh });
    assert.equal(patient.status, 303);

    // Used again after the minimum time since its last use, the first token works: like a person.
    const later = await sendComment(t, post.slug, { ...reader('Second Use'), body: 'A second comment, later.' }, { hidden });
    assert.equal(later.status, 303);
    assert.deepEqual(await commentsOn(t, post), ['The first comment.', 'Sent again at once.', 'A second comment, later.']);
  });

  it('lets one of ten replays sent at once through, and refuses the others with 422', async () => {
    const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    t.clock.advance(3000);
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sendComment(t, post.slug, { ...reader(`Bot ${i}`), body: `Replay number ${i}.` }, { hidden, wait: 0, json: true }),
      ),
    );
    assert.deepEqual(sent.map((r) => r.status).sort(), [201, ...Array(9).fill(422)]);
    assert.equal((await commentsOn(t, post)).length, 1);
  });

  it('lets readers at two addresses who got the same cached page post moments apart, while each address waits between uses', async () => {
    // A cached page hands every reader the same token; replays are told apart by address.
    const hidden = hiddenFields((await loadPage(t, `/${post.slug}/`)).html);
    t.clock.advance(3000);
    const send = (address: string, name: string, body: string) =>
      new Browser(t, address).post(`/${post.slug}/comments`, { ...hidden, ...reader(name), body }, { csrf: null });
    assert.equal((await send('198.51.100.50', 'Ana', 'From the first reader.')).status, 303);
    assert.equal((await send('198.51.100.51', 'Ben', 'From the second reader.')).status, 303);
    const replay = await send('198.51.100.50', 'Ana Again', 'From the first address at once.');
    assert.equal(replay.status, 422);
    assert.match(await replay.text(), /From the first address at once\./);
    assert.deepEqual(await commentsOn(t, post), ['From the first reader.', 'From the second reader.']);
  });
});
