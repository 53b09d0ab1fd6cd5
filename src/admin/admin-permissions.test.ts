import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STAFF_ROLES, type StaffRole } from '../db/tables.js';
import { CORE_NAV } from './admin-nav.js';
import {
  canChangeRole,
  canChangeSettings,
  canManageStaff,
  canRemoveStaff,
  canUseWorkspace,
  canWorkWithComments,
  canWritePosts,
} from './admin-permissions.js';

const actor = (role: StaffRole, id = `${role}-1`) => ({ id, role });

describe('workspace permissions', () => {
  const expected: Record<StaffRole, { write: boolean; comments: boolean; settings: boolean; staff: boolean; nav: string[] }> = {
    owner: { write: true, comments: true, settings: true, staff: true, nav: ['Dashboard', 'Posts', 'Pages', 'Settings', 'Staff'] },
    author: { write: true, comments: true, settings: false, staff: false, nav: ['Dashboard', 'Posts', 'Pages'] },
    moderator: { write: false, comments: true, settings: false, staff: false, nav: ['Dashboard'] },
  };

  for (const role of STAFF_ROLES) {
    it(`gives the ${role} exactly the parts of the workspace the role allows`, () => {
      const a = actor(role);
      const e = expected[role];
      assert.equal(canUseWorkspace(a), true);
      assert.equal(canWritePosts(a), e.write);
      assert.equal(canWorkWithComments(a), e.comments);
      assert.equal(canChangeSettings(a), e.settings);
      assert.equal(canManageStaff(a), e.staff);
      assert.deepEqual(
        CORE_NAV.filter((item) => item.allowed(a)).map((item) => item.label),
        e.nav,
      );
    });
  }

  it('keeps signed-out visitors out of the workspace', () => {
    assert.equal(canUseWorkspace(undefined), false);
  });

  it('lets only the owner change roles, and never demote the last owner', () => {
    const owner = actor('owner');
    const other = actor('author', 'a-2');
    for (const to of STAFF_ROLES) {
      assert.equal(canChangeRole(owner, other, to, 1), true, `owner makes an author ${to}`);
      assert.equal(canChangeRole(actor('author'), other, to, 1), false);
      assert.equal(canChangeRole(actor('moderator'), other, to, 1), false);
    }
    assert.equal(canChangeRole(owner, owner, 'author', 1), false, 'the last owner stays an owner');
    assert.equal(canChangeRole(owner, owner, 'owner', 1), true);
    assert.equal(canChangeRole(owner, actor('owner', 'o-2'), 'moderator', 2), true, 'with two owners one may step down');
  });

  it('lets only the owner remove staff, never herself nor the last owner', () => {
    const owner = actor('owner');
    assert.equal(canRemoveStaff(owner, actor('author', 'a-2'), 1), true);
    assert.equal(canRemoveStaff(owner, actor('moderator', 'm-2'), 1), true);
    assert.equal(canRemoveStaff(owner, owner, 2), false, 'not herself');
    assert.equal(canRemoveStaff(owner, actor('owner', 'o-2'), 2), true);
    assert.equal(canRemoveStaff(owner, actor('owner', 'o-2'), 1), false, 'not the last owner');
    for (const role of ['author', 'moderator'] as const) assert.equal(canRemoveStaff(actor(role), actor('author', 'a-3'), 1), false);
  });
});
