import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMENT_STATUSES } from '../db/tables.js';
import { COMMENT_ACTIONS, countsPublicly, transition } from './comment-states.js';

describe('comment state transitions', () => {
  it('answers every action from every state as the table says', () => {
    const expected: Record<string, Record<string, string>> = {
      approve: { pending: 'published', published: 'same', spam: 'published', trash: 'refused' },
      spam: { pending: 'spam', published: 'spam', spam: 'same', trash: 'spam' },
      trash: { pending: 'trash', published: 'trash', spam: 'trash', trash: 'same' },
      restore: { pending: 'refused', published: 'same', spam: 'published', trash: 'published' },
    };
    for (const action of COMMENT_ACTIONS) {
      for (const status of COMMENT_STATUSES) {
        const r = transition(status, action);
        assert.equal(r.kind === 'move' ? r.to : r.kind, expected[action]?.[status], `${action} from ${status}`);
      }
    }
  });

  it('counts only published public comments', () => {
    assert.equal(countsPublicly({ status: 'published', visibility: 'public' }), true);
    assert.equal(countsPublicly({ status: 'published', visibility: 'private' }), false);
    assert.equal(countsPublicly({ status: 'pending', visibility: 'public' }), false);
  });
});
