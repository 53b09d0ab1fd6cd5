// Small builders for test data, going through the real services.
import type { Staff } from '../src/accounts/accounts-service.js';
import type { PostRow } from '../src/db/tables.js';
import type { PostDraft } from '../src/posts/post-service.js';
import type { TestApp } from './harness.js';

let counter = 0;

export async function makeStaff(t: TestApp, role: Staff['role'] = 'author', name = 'Rosa Vale'): Promise<Staff> {
  counter += 1;
  return t.services.accounts.addUser({ email: `staff${counter}@example.com`, name, role, password: 'correct horse battery' });
}

export async function makePost(t: TestApp, author: Staff, draft: Partial<PostDraft> = {}): Promise<PostRow> {
  counter += 1;
  return t.services.posts.create({
    title: `A post about things ${counter}`,
    markdown: 'Some words about things.',
    status: 'published',
    authorId: author.id,
    ...draft,
  });
}
