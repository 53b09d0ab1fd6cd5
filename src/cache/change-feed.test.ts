// How changes travel between processes: the changes of one turn go as one message, cut below
// NOTIFY's 8,000 bytes, and every change of a burst reaches another process's feed (PostgreSQL).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { testConnection, testTarget } from '../../test/harness.js';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { changesOf, createChangeFeed, feedOver, messagesOf, type SiteChange } from './change-feed.js';

const commentOn = (i: number): SiteChange => ({
  scope: 'post',
  postId: `post-${i}`,
  live: { id: `019b0000-0000-7000-8000-${String(i).padStart(12, '0')}`, parentId: null },
});

describe('change messages', () => {
  it('carry one change as before, and many as lists each under NOTIFY’s limit, losing none', () => {
    const one = messagesOf('me', [commentOn(1)]);
    assert.deepEqual(JSON.parse(one[0] as string), { from: 'me', change: commentOn(1) });
    const burst = Array.from({ length: 300 }, (_, i) => commentOn(i));
    const messages = messagesOf('me', burst);
    assert.ok(messages.length > 1, 'a burst this size needs several messages');
    for (const message of messages) assert.ok(Buffer.byteLength(message) < 8000);
    assert.deepEqual(
      messages.flatMap((m) => changesOf(m).changes),
      burst,
    );
  });
});

describe('a message on its way', () => {
  it('holds the changes published meanwhile for one next message, and sends a lone change at once', async () => {
    const sent: string[] = [];
    let arrive = () => {};
    const channel = {
      send(message: string) {
        sent.push(message);
        // The first message travels until the test lets it arrive; the rest arrive at once.
        return sent.length === 1 ? new Promise<void>((resolve) => (arrive = resolve)) : Promise.resolve();
      },
      poll() {},
      async close() {},
    };
    const heard: SiteChange[] = [];
    const feed = feedOver({ add: () => () => {}, emit: (change) => heard.push(change) }, channel, 'me', (err) => {
      throw err;
    });
    // A message leaves in the turn after its change was published.
    const nextTurns = async () => {
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    const first = feed.publish(commentOn(0));
    await nextTurns();
    assert.equal(sent.length, 1, 'a lone change goes at once');
    // Published in turns of their own while the first message travels.
    const later: Promise<void>[] = [];
    for (let i = 1; i <= 5; i++) {
      later.push(feed.publish(commentOn(i)));
      await nextTurns();
    }
    assert.equal(sent.length, 1, 'nothing more is sent while a message travels');
    assert.equal(heard.length, 6, 'this process hears each change at once');
    arrive();
    await Promise.all([first, ...later]);
    assert.equal(sent.length, 2);
    assert.deepEqual(changesOf(sent[1] as string).changes, [1, 2, 3, 4, 5].map(commentOn));
  });
});

describe('a burst of changes between two processes', { skip: testTarget !== 'postgres' }, () => {
  it('reaches the other process whole, in order, and not the one that sent it twice', async () => {
    const conn = await testConnection();
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(conn.db)).rows[0]?.s ?? 'public';
    const other = await connect({ kind: 'postgres', url: loadConfig().testDatabaseUrl as string, searchPath: schema });
    const fail = (err: Error) => {
      throw err;
    };
    const sender = await createChangeFeed(conn, fail);
    const receiver = await createChangeFeed(other, fail);
    try {
      const heard: SiteChange[] = [];
      const ownEcho: SiteChange[] = [];
      receiver.subscribe((change) => heard.push(change));
      sender.subscribe((change) => ownEcho.push(change));
      const burst = Array.from({ length: 200 }, (_, i) => commentOn(i));
      // Published in one turn, as the writes that finish together are.
      await Promise.all(burst.map((change) => sender.publish(change)));
      const deadline = Date.now() + 5000;
      while (heard.length < burst.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(heard, burst);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(ownEcho.length, burst.length, 'the sender hears its own changes once, at once');
    } finally {
      await receiver.close();
      await sender.close();
      await other.close();
      await conn.close();
    }
  });
});
