import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMENT_STATUSES, STAFF_ROLES, VISIBILITIES } from '../db/tables.js';
import {
  type Actor,
  type CommentFacts,
  canEditComment,
  canModerateComment,
  canSeeComment,
  canStaffEditComment,
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
  staff_user_id: null,
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

  it('never lets a reader change a staff member’s reply, even one carrying her credential', () => {
    assert.equal(canEditComment(writer, comment({ staff_user_id: 'kavita' }), post, 1000, window), false);
  });
});

describe('who may rewrite a staff member’s reply', () => {
  // Every staff member who could try (each role, on her own post or not), against every writer a
  // comment can have (a reader, herself, or a colleague of each role) and both visibilities.
  const writers = ['reader', 'herself', 'another owner', 'another author', 'another moderator'] as const;
  const writerId = (w: (typeof writers)[number], self: string) =>
    w === 'reader' ? null : w === 'herself' ? self : `${w.replace('another ', '')}-colleague`;

  /** The rule in words: whoever may moderate it, except that a colleague's reply is hers and the owner's. */
  const rule: Record<string, boolean> = {};
  for (const role of STAFF_ROLES) {
    for (const onOwnPost of [true, false]) {
      for (const visibility of VISIBILITIES) {
        const moderates = role === 'owner' || onOwnPost || (role === 'moderator' && visibility === 'public');
        for (const w of writers)
          rule[`${role}|${onOwnPost}|${visibility}|${w}`] = moderates && (w === 'reader' || w === 'herself' || role === 'owner');
      }
    }
  }

  it('covers every case of role, post, visibility and writer', () => {
    assert.equal(Object.keys(rule).length, STAFF_ROLES.length * 2 * VISIBILITIES.length * writers.length);
    for (const key of Object.keys(rule)) {
      const [role, own, visibility, w] = key.split('|') as [
        (typeof STAFF_ROLES)[number],
        string,
        (typeof VISIBILITIES)[number],
        (typeof writers)[number],
      ];
      const self = own === 'true' ? 'kavita' : 'someone';
      const actor = { kind: 'staff' as const, id: self, role };
      const c = comment({ visibility, staff_user_id: writerId(w, self), edit_token_hash: w === 'reader' ? 'h1' : null });
      assert.equal(canStaffEditComment(actor, c, post), rule[key], key);
      assert.equal(canEditComment(actor, c, post, 100 * DAY, 15 * MIN), rule[key], `${key} (through canEditComment, at any time)`);
    }
  });

  it('lets the owner change a colleague’s reply, and an author or moderator only her own', () => {
    const reply = comment({ staff_user_id: 'mo', edit_token_hash: null });
    assert.equal(canStaffEditComment({ kind: 'staff', id: 'olive', role: 'owner' }, reply, post), true);
    assert.equal(canStaffEditComment({ kind: 'staff', id: 'kavita', role: 'author' }, reply, post), false, 'not even on her own post');
    assert.equal(canStaffEditComment({ kind: 'staff', id: 'mina', role: 'moderator' }, reply, post), false);
    assert.equal(canStaffEditComment({ kind: 'staff', id: 'mo', role: 'moderator' }, reply, post), true, 'her own words');
    const kavitas = comment({ staff_user_id: 'kavita', edit_token_hash: null });
    assert.equal(canStaffEditComment({ kind: 'staff', id: 'mo', role: 'moderator' }, kavitas, post), false, 'the post author’s reply');
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
