// A reader's comment that starts a thread is written in one statement (comment-store.ts,
// startThread): the comment, its thread's summary and kept HTML, the post's counts and the outbox
// event must come out exactly as the step-by-step path and the renderer from rows would leave them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp, testTarget } from '../../test/harness.js';
import type { CommentRow, PostRow } from '../db/tables.js';
import { hashToken, newId } from '../ids.js';
import { findPostById } from '../posts/post-store.js';
import { checkReaderWords } from './comment-form.js';
import { findPostsWithWriterHistory, findPostWithWriterHistory, startThreads } from './comment-store.js';
import { newThreadOf, startNewThread, threadStarter } from './comment-writes.js';
import { summarizeThread } from './thread-summary.js';

describe('a comment that starts a thread, written in one statement', () => {
  let t: TestApp;
  let post: PostRow;
  before(async () => {
    t = await testApp();
    const owner = await makeStaff(t, 'owner', 'Iris Owner');
    post = await makePost(t, owner);
    // Published at once, so the thread shows and the post's counts move.
    await t.services.conversationSettings.update({ hold: 'none' });
  });
  after(() => t.close());

  let n = 0;
  const send = async (body: string, privately = false) => {
    n++;
    const r = await t.services.comments.submit({
      post,
      parentId: null,
      words: checkReaderWords({ name: 'Ines', email: `ines${n}@example.com`, website: '', body }, await t.services.comments.settings()),
      notify: false,
      private: privately,
      honeypotFilled: false,
      credentialHash: hashToken(`browser-${n}`),
      ip: '192.0.2.9',
      userAgent: 'test',
      replyChosen: false,
    });
    assert.equal(r.kind, 'posted');
    return (r as { comment: CommentRow }).comment;
  };
  const db = () => t.conn.db;

  it('keeps the thread HTML the renderer makes from the rows, the summary, the counts and the event', async () => {
    const before = await db()
      .selectFrom('posts')
      .select(['comment_count', 'public_thread_count'])
      .where('id', '=', post.id)
      .executeTakeFirstOrThrow();
    const c = await send('A first *thought*, with <b>markup</b> kept out.');
    const thread = await db().selectFrom('threads').selectAll().where('root_id', '=', c.id).executeTakeFirstOrThrow();
    assert.ok(thread.public_html?.includes(c.id), 'the thread HTML is kept with the write');
    const kept = thread.public_html;
    const rows = await db().selectFrom('comments').selectAll().where('root_id', '=', c.id).execute();
    assert.deepEqual(
      {
        last_reader_at: thread.last_reader_at,
        last_staff_at: thread.last_staff_at,
        awaiting_since: thread.awaiting_since,
        awaiting_comment_id: thread.awaiting_comment_id,
        reply_count: thread.reply_count,
        public_count: thread.public_count,
      },
      summarizeThread(rows, null),
    );
    // Rendered again from the rows, as the keeper does: the same HTML.
    await db().updateTable('threads').set({ public_html: null }).where('root_id', '=', c.id).execute();
    t.services.threadHtml.want([c.id]);
    await t.services.threadHtml.idle();
    const again = await db()
      .selectFrom('threads')
      .select(['public_html', 'html_key'])
      .where('root_id', '=', c.id)
      .executeTakeFirstOrThrow();
    assert.equal(again.public_html, kept);
    assert.equal(again.html_key, thread.html_key);
    const after = await db()
      .selectFrom('posts')
      .select(['comment_count', 'public_thread_count'])
      .where('id', '=', post.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.comment_count), Number(before.comment_count) + 1);
    assert.equal(Number(after.public_thread_count), Number(before.public_thread_count) + 1);
    const events = await db()
      .selectFrom('outbox')
      .select(['kind', 'dedupe_key'])
      .where('dedupe_key', '=', `comment.published:${c.id}`)
      .execute();
    assert.deepEqual(events, [{ kind: 'comment.published', dedupe_key: `comment.published:${c.id}` }]);
  });

  it('keeps no HTML and moves no public count for a private question, yet queues its event', async () => {
    const before = await db()
      .selectFrom('posts')
      .select(['comment_count', 'public_thread_count'])
      .where('id', '=', post.id)
      .executeTakeFirstOrThrow();
    const c = await send('Only for you: a private question?', true);
    const thread = await db().selectFrom('threads').selectAll().where('root_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(thread.public_html, null);
    assert.equal(thread.public_count, 0);
    assert.equal(thread.awaiting_comment_id, c.id);
    const after = await db()
      .selectFrom('posts')
      .select(['comment_count', 'public_thread_count'])
      .where('id', '=', post.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, before);
    const events = await db().selectFrom('outbox').select('kind').where('dedupe_key', '=', `comment.published:${c.id}`).execute();
    assert.equal(events.length, 1);
  });

  it('answers a resent form with the comment already written, writing nothing again', async () => {
    const first = await send('The same words twice.');
    const again = await t.services.comments.submit({
      post,
      parentId: null,
      words: checkReaderWords(
        { name: 'Ines', email: first.author_email, website: '', body: 'The same words twice.' },
        await t.services.comments.settings(),
      ),
      notify: false,
      private: false,
      honeypotFilled: false,
      credentialHash: hashToken('browser-again'),
      ip: '192.0.2.9',
      userAgent: 'test',
      replyChosen: false,
    });
    assert.equal(again.kind, 'posted');
    assert.equal((again as { comment: CommentRow; duplicate: boolean }).comment.id, first.id);
    assert.equal((again as { duplicate: boolean }).duplicate, true);
  });

  it('a reply to it empties the kept HTML until it is rendered again with the reply', async () => {
    const root = await send('A thread to answer.');
    const reply = await t.services.comments.submit({
      post,
      parentId: root.id,
      words: checkReaderWords(
        { name: 'Lena', email: 'lena@example.com', website: '', body: 'An answer to it.' },
        await t.services.comments.settings(),
      ),
      notify: false,
      private: false,
      honeypotFilled: false,
      credentialHash: hashToken('browser-lena'),
      ip: '192.0.2.10',
      userAgent: 'test',
      replyChosen: true,
    });
    const r = (reply as { comment: CommentRow }).comment;
    const thread = await db().selectFrom('threads').select('public_html').where('root_id', '=', root.id).executeTakeFirstOrThrow();
    assert.ok(thread.public_html?.includes(r.id), 'the reply is in the thread HTML');
  });

  /** A reader's new public thread on the post, written by number `n`. */
  const row = (id: string, n: number, on = post.id): CommentRow => ({
    id,
    post_id: on,
    parent_id: null,
    root_id: id,
    depth: 0,
    status: 'published',
    visibility: 'public',
    author_name: `Writer ${n}`,
    author_email: `writer${n}@example.com`,
    author_url: null,
    staff_user_id: null,
    markdown: `Thread ${n}`,
    html: `<p>Thread ${n}</p>`,
    edit_token_hash: null,
    notify: 0,
    ip: null,
    user_agent: null,
    kind: 'comment',
    source: null,
    source_id: null,
    created_at: t.clock.now(),
    edited_at: null,
    origin: 'site',
    origin_url: null,
  });

  it("places her thread by what its write counted, even when another writer took the post's row first", {
    skip: testTarget !== 'postgres',
  }, async () => {
    const kept = { html: null, key: '' };
    const before = Number((await findPostById(db(), post.id))?.public_thread_count);
    // Hers is made first (the older id); the other, newer, is written first and holds the post's
    // row until it commits, after her write began and took its snapshot.
    const hers = row(newId(t.clock.now()), 1);
    const theirs = row(newId(t.clock.now() + 1), 2);
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const other = db()
      .transaction()
      .execute(async (trx) => {
        await startNewThread(trx, theirs, t.clock.now(), kept);
        written();
        await committing;
      });
    await wrote;
    const waiting = startNewThread(db(), hers, t.clock.now(), kept);
    // Her statement is waiting for the row (its snapshot taken) before the other commits.
    for (let i = 0; i < 100 && !(await waitingForLock()); i++) await new Promise((r) => setTimeout(r, 10));
    commit();
    await other;
    const placed = await waiting;
    // One thread counted that her write did not see: hers has `before` or `before + 1` before it.
    assert.deepEqual(placed.threadsBefore, { least: before, most: before + 1 });
    // Written alone, a thread's place is exact: all that came before it.
    const alone = await startNewThread(db(), row(newId(t.clock.now() + 2), 3), t.clock.now(), kept);
    assert.deepEqual(alone.threadsBefore, { least: before + 2, most: before + 2 });
  });

  it('writes threads started together in one statement as each would be written alone, each told its place', {
    skip: testTarget !== 'postgres',
  }, async () => {
    const owner = await makeStaff(t, 'owner', 'Greta Group');
    const other = await makePost(t, owner);
    const counts = async (id: string) => {
      const p = await db()
        .selectFrom('posts')
        .select(['comment_count', 'public_thread_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { comments: Number(p.comment_count), threads: Number(p.public_thread_count) };
    };
    const [mine, theirs] = [await counts(post.id), await counts(other.id)];
    // Later than every thread the tests before wrote: each is placed after them.
    t.clock.advance(60_000);
    const now = t.clock.now();
    const rows = [row(newId(now), 11), row(newId(now + 1), 12), { ...row(newId(now + 2), 13), visibility: 'private' as const }];
    rows.push(row(newId(now + 3), 14), row(newId(now + 4), 15, other.id));
    const group = rows.map((r) => newThreadOf(r, now, { html: `<li id="c-${r.id}">kept</li>`, key: 'k1' }));
    const places = await startThreads(db(), group);
    assert.deepEqual(
      places.map((p) => p.threadsBefore),
      [
        { least: mine.threads, most: mine.threads },
        { least: mine.threads + 1, most: mine.threads + 1 },
        null,
        { least: mine.threads + 2, most: mine.threads + 2 },
        { least: theirs.threads, most: theirs.threads },
      ],
    );
    assert.deepEqual(await counts(post.id), { comments: mine.comments + 3, threads: mine.threads + 3 });
    assert.deepEqual(await counts(other.id), { comments: theirs.comments + 1, threads: theirs.threads + 1 });
    for (const [i, r] of rows.entries()) {
      const written = await db().selectFrom('comments').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
      assert.deepEqual(
        { ...written, source_format: undefined, edited_by: undefined },
        { ...r, source_format: undefined, edited_by: undefined },
      );
      const thread = await db().selectFrom('threads').selectAll().where('root_id', '=', r.id).executeTakeFirstOrThrow();
      const { summary, html, htmlKey } = group[i] as (typeof group)[number];
      assert.deepEqual(
        { ...thread, dismissed_at: undefined },
        { root_id: r.id, post_id: r.post_id, ...summary, public_html: html, html_key: htmlKey, dismissed_at: undefined },
      );
      const events = await db()
        .selectFrom('outbox')
        .select(['kind', 'status', 'payload'])
        .where('dedupe_key', '=', `comment.published:${r.id}`)
        .execute();
      assert.deepEqual(events, [{ kind: 'comment.published', status: 'queued', payload: JSON.stringify({ commentId: r.id }) }]);
    }
  });

  it('writes each of a group alone when the group fails, so only the bad one is refused', { skip: testTarget !== 'postgres' }, async () => {
    const start = threadStarter(db());
    t.clock.advance(60_000);
    const now = t.clock.now();
    const rows = [1, 2, 3, 4].map((n) => row(newId(now + n), 20 + n));
    // A post that is gone by the time her thread is written: its comment cannot be kept.
    rows.push(row(newId(now + 5), 25, 'a-post-deleted-meanwhile'));
    // The first goes at once, alone; the other four wait and go together, and that group fails.
    const results = await Promise.allSettled(rows.map((r) => start(r, now, { html: null, key: '' })));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
    );
    assert.equal(((results[4] as PromiseRejectedResult).reason as { code?: string }).code, '23503');
    const written = await db()
      .selectFrom('comments')
      .select('id')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    assert.equal(written.length, 4);
  });

  it('reads the post and the history of each writer of a group in one statement, as each is read alone', {
    skip: testTarget !== 'postgres',
  }, async () => {
    const known = await send('Words she sent before.');
    const asks = [
      { slug: post.slug, email: known.author_email, markdown: 'Words she sent before.' },
      { slug: post.slug, email: known.author_email, markdown: 'New words from her.' },
      { slug: post.slug, email: 'stranger@example.com', markdown: 'Words she sent before.' },
      { slug: 'no-post-is-here', email: known.author_email, markdown: 'Words she sent before.' },
    ];
    const now = t.clock.now();
    const together = await findPostsWithWriterHistory(db(), asks, now);
    const alone = await Promise.all(asks.map((ask) => findPostWithWriterHistory(db(), { ...ask, now })));
    assert.deepEqual(together, alone);
    assert.deepEqual(
      together.map((answer) => answer?.history),
      [
        { duplicateId: known.id, published: true },
        { duplicateId: null, published: true },
        { duplicateId: null, published: false },
        undefined,
      ],
    );
    assert.equal(together[0]?.post.id, post.id);
  });

  async function waitingForLock(): Promise<boolean> {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db());
    return Number(rows[0]?.n) > 0;
  }
});
