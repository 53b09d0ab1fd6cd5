import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMENT_STATUSES, STAFF_ROLES, VISIBILITIES } from '../db/tables.js';
import {
  type Actor,
  type CommentFacts,
  canEditComment,
  canModerateComment,
  canSeeComment,
  commentsOpen,
  type PostFacts,
} from './comment-policy.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const post: PostFacts = { author_id: 'kavita', comments_mode: 'open', comments_close_days: null, published_at: 0, created_at: 0 };
const comment = (over: Partial<CommentFacts> = {}): CommentFacts => ({
  status: 'published',
  visibility: 'public',
  edit_token_hash: 'h1',
  created_at: 1000,
  ...over,
});
const writer: Actor = { kind: 'reader', credentialHash: 'h1' };
const stranger: Actor = { kind: 'reader', credentialHash: 'h2' };
const anonymous: Actor = { kind: 'reader', credentialHash: null };
const staff = (role: (typeof STAFF_ROLES)[number], id = 'someone'): Actor => ({ kind: 'staff', id, role });

describe('who may see a comment', () => {
  it('shows published public comments to everyone and nothing else to readers who did not write it', () => {
    for (const status of COMMENT_STATUSES) {
      for (const visibility of VISIBILITIES) {
        const c = comment({ status, visibility });
        const expected = status === 'published' && visibility === 'public';
        assert.equal(canSeeComment(stranger, c, post), expected, `${status}/${visibility}`);
        assert.equal(canSeeComment(anonymous, c, post), expected, `${status}/${visibility}`);
      }
    }
  });

  it('shows the writer her own words in every state but deleted', () => {
    for (const status of COMMENT_STATUSES) {
      for (const visibility of VISIBILITIES) {
        assert.equal(canSeeComment(writer, comment({ status, visibility }), post), status !== 'trash', `${status}/${visibility}`);
      }
    }
  });

  it('never treats a comment without a credential hash as anyone’s own', () => {
    assert.equal(canSeeComment(anonymous, comment({ edit_token_hash: null, status: 'pending' }), post), false);
  });

  it('shows private comments to the owner and the post author but never to moderators or other authors', () => {
    const c = comment({ visibility: 'private' });
    assert.equal(canSeeComment(staff('owner'), c, post), true);
    assert.equal(canSeeComment(staff('author', 'kavita'), c, post), true);
    assert.equal(canSeeComment(staff('author', 'other'), c, post), false);
    assert.equal(canSeeComment(staff('moderator'), c, post), false);
  });
});

describe('who may moderate a comment', () => {
  it('follows the role table for every role and visibility', () => {
    const table: [string, string, string, boolean][] = [];
    for (const role of STAFF_ROLES) {
      for (const id of ['kavita', 'other']) {
        for (const visibility of VISIBILITIES) {
          const allowed = canModerateComment({ kind: 'staff', id, role }, { visibility }, post);
          table.push([role, id, visibility, allowed]);
        }
      }
    }
    const expected = (role: string, id: string, visibility: string) =>
      role === 'owner' || id === 'kavita' || (role === 'moderator' && visibility === 'public');
    for (const [role, id, visibility, allowed] of table)
      assert.equal(allowed, expected(role, id, visibility), `${role} ${id} ${visibility}`);
  });
});

describe('who may edit or delete a comment', () => {
  const window = 15 * MIN;
  it('lets the writer edit inside the window only', () => {
    const c = comment();
    assert.equal(canEditComment(writer, c, post, 1000, window), true);
    assert.equal(canEditComment(writer, c, post, 1000 + window, window), true);
    assert.equal(canEditComment(writer, c, post, 1001 + window, window), false);
    assert.equal(canEditComment(writer, c, post, 999, window), false, 'a clock that went back does not open it');
  });

  it('never lets another reader or an anonymous one edit, nor the writer edit a deleted comment', () => {
    assert.equal(canEditComment(stranger, comment(), post, 1000, window), false);
    assert.equal(canEditComment(anonymous, comment({ edit_token_hash: null }), post, 1000, window), false);
    assert.equal(canEditComment(writer, comment({ status: 'trash' }), post, 1000, window), false);
    for (const status of ['pending', 'published', 'spam'] as const)
      assert.equal(canEditComment(writer, comment({ status }), post, 1000, window), true);
  });

  it('lets staff who may moderate edit at any time', () => {
    assert.equal(canEditComment(staff('owner'), comment(), post, 10 * DAY, window), true);
    assert.equal(canEditComment(staff('moderator'), comment({ visibility: 'private' }), post, 1000, window), false);
    assert.equal(canEditComment(staff('author', 'other'), comment(), post, 1000, window), false);
  });
});

describe('whether a post takes comments', () => {
  it('is open, closed, or closes a number of days after publishing', () => {
    assert.equal(commentsOpen(post, 100 * DAY), true);
    assert.equal(commentsOpen({ ...post, comments_mode: 'closed' }, 0), false);
    const closing = { ...post, comments_mode: 'closes_after' as const, comments_close_days: 14, published_at: DAY };
    assert.equal(commentsOpen(closing, 14 * DAY), true);
    assert.equal(commentsOpen(closing, 15 * DAY), false);
    assert.equal(commentsOpen({ ...closing, comments_close_days: null }, 100 * DAY), true);
  });
});
