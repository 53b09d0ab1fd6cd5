// Comments edited before migration 012 learn who edited them from their history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testConnection } from '../../../test/harness.js';
import { migrate } from '../migrate.js';

describe('migration 012', () => {
  it('fills in who last edited each comment from its history, skipping a writer’s deletion, and leaves tokens without expiry', async () => {
    const conn = await testConnection('011-thread-html');
    // biome-ignore lint/suspicious/noExplicitAny: the schema before this migration has no row types
    const db = conn.db as any;
    try {
      await db
        .insertInto('users')
        .values({ id: 'mo', email: 'mo@example.com', name: 'Mo', slug: 'mo', role: 'moderator', created_at: 1, updated_at: 1 })
        .execute();
      await db.insertInto('api_tokens').values({ id: 'k', user_id: 'mo', label: 'old', token_hash: 'h', created_at: 1 }).execute();
      await db
        .insertInto('posts')
        .values({
          id: 'p',
          kind: 'post',
          slug: 'p',
          title: 'P',
          markdown: '',
          html: '',
          status: 'published',
          author_id: 'mo',
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      const comment = (id: string, edited_at: number | null) => ({
        id,
        post_id: 'p',
        root_id: id,
        status: 'published',
        author_name: 'Nora',
        author_email: 'nora@example.com',
        markdown: 'now',
        html: '<p>now</p>',
        created_at: 1,
        edited_at,
      });
      await db
        .insertInto('comments')
        .values([comment('by-staff', 30), comment('by-writer', 20), comment('never', null)])
        .execute();
      const rev = (id: string, comment_id: string, edited_at: number, edited_by: string) => ({
        id,
        comment_id,
        markdown: 'before',
        edited_at,
        edited_by,
      });
      await db
        .insertInto('comment_revisions')
        .values([
          rev('r1', 'by-staff', 10, 'writer'),
          rev('r2', 'by-staff', 30, 'mo'),
          rev('r3', 'by-writer', 20, 'writer'),
          rev('r4', 'by-writer', 40, 'writer:deleted'),
        ])
        .execute();

      await migrate(conn.db);

      const rows = await conn.db.selectFrom('comments').select(['id', 'edited_by']).orderBy('id').execute();
      assert.deepEqual(rows, [
        { id: 'by-staff', edited_by: 'mo' },
        { id: 'by-writer', edited_by: 'writer' },
        { id: 'never', edited_by: null },
      ]);
      const token = await conn.db.selectFrom('api_tokens').select('expires_at').executeTakeFirstOrThrow();
      assert.equal(token.expires_at, null, 'an existing token keeps working until revoked');
    } finally {
      await conn.close();
    }
  });
});
