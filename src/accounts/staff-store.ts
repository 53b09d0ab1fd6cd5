// The staff list and the changes the owner makes to it.
import type { Db } from '../db/connect.js';
import type { StaffRole, UserRow } from '../db/tables.js';

export function listStaff(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function setRole(db: Db, userId: string, role: StaffRole, now: number): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', userId).execute();
}

export async function setPasswordHash(db: Db, userId: string, hash: string, now: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', userId).execute();
}

/**
 * Removes a staff member. Her posts stay on the site under the one who removed her (posts must
 * have an author); her tokens, sessions and links go with her, her comments stay as written.
 */
export async function removeUser(db: Db, userId: string, heir: string): Promise<void> {
  await db.updateTable('posts').set({ author_id: heir }).where('author_id', '=', userId).execute();
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
