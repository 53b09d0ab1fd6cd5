import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { POST_STATUSES, type PostStatus, STAFF_ROLES } from '../db/tables.js';
import { canCreatePost, canEditPost, canReadPost, isOutAt } from './post-permissions.js';

describe('post permissions', () => {
  const post = { author_id: 'ada' };
  const cases: [string, 'owner' | 'author' | 'moderator', boolean, boolean][] = [
    ['ada', 'owner', true, true],
    ['olive', 'owner', true, true],
    ['ada', 'author', true, true],
    ['bea', 'author', true, false],
    ['mo', 'moderator', false, false],
  ];
  for (const [id, role, create, edit] of cases) {
    it(`lets ${role} ${id} ${create ? '' : 'not '}write posts and ${edit ? '' : 'not '}change Ada's post`, () => {
      assert.equal(canCreatePost({ role }), create);
      assert.equal(canEditPost({ id, role }, post), edit);
    });
  }
});

describe('who may read a post in the workspace and the API', () => {
  const NOW = 1_000_000;
  // Every kind of post there is: each status, with no time, a past time and a future time.
  const times = { none: null, past: NOW - 1, now: NOW, future: NOW + 1 } as const;
  const posts = POST_STATUSES.flatMap((status) =>
    Object.entries(times).map(([when, published_at]) => ({ status, when, post: { author_id: 'ada', status, published_at } })),
  );
  /** What readers see: published or scheduled, once the time has come. */
  const out = (status: PostStatus, at: number | null) => status !== 'draft' && at !== null && at <= NOW;

  it('counts a post as out for readers only when it is published or scheduled and its time has come', () => {
    for (const { status, when, post } of posts) assert.equal(isOutAt(post, NOW), out(status, post.published_at), `${status}, ${when}`);
    assert.equal(isOutAt({ status: 'draft', published_at: NOW - 1 }, NOW), false, 'a draft that was once published is not out');
  });

  for (const role of STAFF_ROLES) {
    for (const mine of [true, false]) {
      it(`lets ${mine ? 'the' : 'another'} ${role} read ${mine ? 'her own' : 'Ada’s'} posts only as the role allows`, () => {
        const actor = { id: mine ? 'ada' : 'someone-else', role };
        for (const { status, when, post } of posts) {
          const expected = role === 'owner' || (role === 'author' && mine) || out(status, post.published_at);
          assert.equal(canReadPost(actor, post, NOW), expected, `${role} ${mine ? 'own' : 'other'}: ${status}, ${when}`);
        }
      });
    }
  }

  it('keeps every unpublished post from a moderator, even one she wrote before her role changed', () => {
    const mo = { id: 'mo', role: 'moderator' as const };
    assert.equal(canReadPost(mo, { author_id: 'mo', status: 'draft', published_at: null }, NOW), false);
    assert.equal(canReadPost(mo, { author_id: 'mo', status: 'scheduled', published_at: NOW + 60_000 }, NOW), false);
    assert.equal(canReadPost(mo, { author_id: 'ada', status: 'published', published_at: NOW - 60_000 }, NOW), true);
  });

  it('keeps another author’s draft and scheduled post from an author, and shows them to the owner', () => {
    const bea = { id: 'bea', role: 'author' as const };
    const olive = { id: 'olive', role: 'owner' as const };
    for (const post of [
      { author_id: 'ada', status: 'draft' as const, published_at: null },
      { author_id: 'ada', status: 'scheduled' as const, published_at: NOW + 60_000 },
    ]) {
      assert.equal(canReadPost(bea, post, NOW), false, post.status);
      assert.equal(canReadPost(olive, post, NOW), true, post.status);
      assert.equal(canReadPost({ id: 'ada', role: 'author' }, post, NOW), true, `${post.status}: her own`);
    }
  });
});
