import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canCreatePost, canEditPost } from './post-permissions.js';

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
