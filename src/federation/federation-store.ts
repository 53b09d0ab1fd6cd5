// The federation tables (021-federation): actors and their keys, follows both ways, blocks,
// reactions, Notes sent and objects received, and what followers were last sent of each post.
import type { Db } from '../db/connect.js';
import type { FedActorsTable, FedFollowsTable, FedNotesTable, FedReactionsSentTable, FedReceivedTable } from '../db/tables.js';
import { newId } from '../ids.js';

export type FollowRow = FedFollowsTable;
export type ReceivedRow = FedReceivedTable;
export type NoteRow = FedNotesTable;

export const SITE_HANDLE = 'site';

export function findActorKeys(db: Db, handle: string) {
  return db.selectFrom('fed_actors').selectAll().where('handle', '=', handle).executeTakeFirst();
}

/** Stores an actor's keys unless another process stored them first; returns what is stored. */
export async function keepActorKeys(db: Db, row: FedActorsTable) {
  await db
    .insertInto('fed_actors')
    .values(row)
    .onConflict((oc) => oc.column('handle').doNothing())
    .execute();
  return findActorKeys(db, row.handle);
}

/** A staff member by her handle (her slug) or, for posts, by id. */
export function findUserBySlug(db: Db, slug: string) {
  return db.selectFrom('users').select(['id', 'name', 'slug', 'bio']).where('slug', '=', slug).executeTakeFirst();
}
export function findUserById(db: Db, id: string) {
  return db.selectFrom('users').select(['id', 'name', 'slug', 'bio']).where('id', '=', id).executeTakeFirst();
}

export async function addFollow(db: Db, row: Omit<FollowRow, 'id' | 'created_at'>, now: number): Promise<void> {
  await db
    .insertInto('fed_follows')
    .values({ ...row, id: newId(now), created_at: now })
    .onConflict((oc) =>
      oc.columns(['direction', 'local_handle', 'remote_actor']).doUpdateSet({
        status: row.status,
        activity_id: row.activity_id,
        inbox: row.inbox,
        shared_inbox: row.shared_inbox,
        remote_name: row.remote_name,
      }),
    )
    .execute();
}

export async function removeFollow(db: Db, direction: FollowRow['direction'], localHandle: string, remoteActor: string) {
  await db
    .deleteFrom('fed_follows')
    .where('direction', '=', direction)
    .where('local_handle', '=', localHandle)
    .where('remote_actor', '=', remoteActor)
    .execute();
}

export async function acceptFollowing(db: Db, localHandle: string, remoteActor: string) {
  await db
    .updateTable('fed_follows')
    .set({ status: 'accepted' })
    .where('direction', '=', 'following')
    .where('local_handle', '=', localHandle)
    .where('remote_actor', '=', remoteActor)
    .execute();
}

export function listFollows(db: Db, direction: FollowRow['direction'], localHandles?: readonly string[]) {
  let q = db.selectFrom('fed_follows').selectAll().where('direction', '=', direction);
  if (localHandles) q = q.where('local_handle', 'in', localHandles.length ? localHandles : ['']);
  return q.orderBy('created_at', 'desc').execute();
}

export async function isBlocked(db: Db, actor: URL): Promise<boolean> {
  const row = await db
    .selectFrom('fed_blocks')
    .select('target')
    .where('target', 'in', [actor.host.toLowerCase(), actor.href])
    .executeTakeFirst();
  return row !== undefined;
}

export async function addBlock(db: Db, target: string, kind: 'domain' | 'actor', now: number) {
  await db
    .insertInto('fed_blocks')
    .values({ target, kind, created_at: now })
    .onConflict((oc) => oc.column('target').doNothing())
    .execute();
  // A blocked account or server no longer follows anyone here.
  const followers = await listFollows(db, 'follower');
  const gone = followers.filter((f) => (kind === 'actor' ? f.remote_actor === target : new URL(f.remote_actor).host === target));
  for (const f of gone) await removeFollow(db, 'follower', f.local_handle, f.remote_actor);
}

export function removeBlock(db: Db, target: string) {
  return db.deleteFrom('fed_blocks').where('target', '=', target).execute();
}

export function listBlocks(db: Db) {
  return db.selectFrom('fed_blocks').selectAll().orderBy('created_at', 'desc').execute();
}

export async function addReaction(
  db: Db,
  row: { activity_id: string; post_id: string; kind: 'like' | 'announce'; actor: string },
  now: number,
) {
  await db
    .insertInto('fed_reactions')
    .values({ ...row, created_at: now })
    .onConflict((oc) => oc.column('activity_id').doNothing())
    .execute();
}

/** Takes back a like or boost (its Undo); returns the post it was of, when there was one. */
export async function removeReaction(db: Db, activityId: string, actor: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom('fed_reactions')
    .where('activity_id', '=', activityId)
    .where('actor', '=', actor)
    .returning('post_id')
    .executeTakeFirst();
  return row?.post_id;
}

/** Likes and boosts local authors sent, for the workspace (which shows what she may take back). */
export function listSentReactions(db: Db, localHandle: string) {
  return db.selectFrom('fed_reactions_sent').selectAll().where('local_handle', '=', localHandle).execute();
}

export function findSentReaction(db: Db, localHandle: string, objectId: string, kind: 'like' | 'announce') {
  return db
    .selectFrom('fed_reactions_sent')
    .selectAll()
    .where('local_handle', '=', localHandle)
    .where('object_id', '=', objectId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Keeps a like or boost about to be sent; false when she had already sent that one. */
export async function keepSentReaction(db: Db, row: FedReactionsSentTable): Promise<boolean> {
  const inserted = await db
    .insertInto('fed_reactions_sent')
    .values(row)
    .onConflict((oc) => oc.columns(['local_handle', 'object_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Forgets a sent like or boost (its Undo goes out); false when another request took it back first. */
export async function dropSentReaction(db: Db, row: Pick<FedReactionsSentTable, 'local_handle' | 'object_id' | 'kind'>) {
  const deleted = await db
    .deleteFrom('fed_reactions_sent')
    .where('local_handle', '=', row.local_handle)
    .where('object_id', '=', row.object_id)
    .where('kind', '=', row.kind)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export async function reactionCounts(db: Db, postId: string): Promise<{ likes: number; boosts: number }> {
  const rows = await db
    .selectFrom('fed_reactions')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('post_id', '=', postId)
    .groupBy('kind')
    .execute();
  const count = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
  return { likes: count('like'), boosts: count('announce') };
}

export function findNote(db: Db, id: string) {
  return db.selectFrom('fed_notes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The answers an author wrote from the Fediverse page (not replies in a thread here), newest first. */
export function listAnswers(db: Db, localHandle: string, limit = 50) {
  return db
    .selectFrom('fed_notes')
    .selectAll()
    .where('local_handle', '=', localHandle)
    .where('comment_id', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export function findNoteByComment(db: Db, commentId: string) {
  return db.selectFrom('fed_notes').selectAll().where('comment_id', '=', commentId).executeTakeFirst();
}

export async function rewordNote(db: Db, id: string, content: string, now: number) {
  await db.updateTable('fed_notes').set({ content, updated_at: now }).where('id', '=', id).execute();
}

/** Forgets a Note sent from here; false when it was already gone (its Delete goes out once). */
export async function removeNote(db: Db, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('fed_notes').where('id', '=', id).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export async function insertNote(
  db: Db,
  row: {
    id: string;
    local_handle: string;
    comment_id: string | null;
    in_reply_to: string;
    recipients: string[];
    public: boolean;
    content: string;
  },
  now: number,
) {
  await db
    .insertInto('fed_notes')
    .values({
      id: row.id,
      local_handle: row.local_handle,
      comment_id: row.comment_id,
      in_reply_to: row.in_reply_to,
      content: row.content,
      recipients: JSON.stringify(row.recipients),
      public: row.public ? 1 : 0,
      created_at: now,
      updated_at: null,
    })
    .execute();
}

export function findReceived(db: Db, objectId: string) {
  return db.selectFrom('fed_received').selectAll().where('object_id', '=', objectId).executeTakeFirst();
}

export function findReceivedByComment(db: Db, commentId: string) {
  return db.selectFrom('fed_received').selectAll().where('comment_id', '=', commentId).executeTakeFirst();
}

export async function keepReceived(db: Db, row: ReceivedRow) {
  await db
    .insertInto('fed_received')
    .values(row)
    .onConflict((oc) => oc.column('object_id').doUpdateSet({ content: row.content, name: row.name }))
    .execute();
}

export function removeReceived(db: Db, objectId: string) {
  return db.deleteFrom('fed_received').where('object_id', '=', objectId).execute();
}

export function listReceived(db: Db, limit = 50) {
  return db
    .selectFrom('fed_received')
    .selectAll()
    .where('kind', 'in', ['article', 'note'])
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}

export function postState(db: Db, postId: string) {
  return db.selectFrom('fed_post_state').selectAll().where('post_id', '=', postId).executeTakeFirst();
}

/**
 * Records that followers are being sent this version of a post. Only one process wins a given
 * change (the row's version it saw must still be there), so an activity is queued once.
 */
export async function claimPostVersion(
  db: Db,
  postId: string,
  seen: { version: number; state: string } | undefined,
  next: { local_handle: string; version: number; state: 'sent' | 'deleted' },
  now: number,
): Promise<boolean> {
  if (!seen) {
    const inserted = await db
      .insertInto('fed_post_state')
      .values({ post_id: postId, ...next, updated_at: now })
      .onConflict((oc) => oc.column('post_id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const updated = await db
    .updateTable('fed_post_state')
    .set({ ...next, updated_at: now })
    .where('post_id', '=', postId)
    .where('version', '=', seen.version)
    .where('state', '=', seen.state as 'sent' | 'deleted')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Published posts changed since the sweep last looked, and posts whose state says sent but are no longer published. */
/** How many posts one sweep round takes of each kind. */
export const SEND_BATCH = 50;

export async function postsToSend(db: Db, now: number) {
  const published = await db
    .selectFrom('posts')
    .leftJoin('fed_post_state', 'fed_post_state.post_id', 'posts.id')
    .select(['posts.id', 'posts.updated_at', 'posts.published_at', 'posts.author_id', 'fed_post_state.version', 'fed_post_state.state'])
    .where('posts.kind', '=', 'post')
    .where('posts.status', 'in', ['published', 'scheduled'])
    .where('posts.published_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('fed_post_state.version', 'is', null),
        eb('fed_post_state.version', '!=', eb.ref('posts.updated_at')),
        eb('fed_post_state.state', '=', 'deleted'),
      ]),
    )
    .limit(SEND_BATCH)
    .execute();
  const withdrawn = await db
    .selectFrom('fed_post_state')
    .leftJoin('posts', 'posts.id', 'fed_post_state.post_id')
    .select([
      'fed_post_state.post_id',
      'fed_post_state.local_handle',
      'fed_post_state.version',
      'fed_post_state.state',
      'posts.status',
      'posts.published_at',
    ])
    .where('fed_post_state.state', '=', 'sent')
    .where((eb) => eb.or([eb('posts.id', 'is', null), eb('posts.status', '=', 'draft'), eb('posts.published_at', '>', now)]))
    .limit(SEND_BATCH)
    .execute();
  return { published, withdrawn };
}

/** Likes and boosts per post, most reacted first, for the workspace. */
export async function reactionsByPost(db: Db, limit = 20) {
  const rows = await db
    .selectFrom('fed_reactions')
    .innerJoin('posts', 'posts.id', 'fed_reactions.post_id')
    .select([
      'posts.id',
      'posts.title',
      'posts.slug',
      (eb) => eb.fn.sum<number>(eb.case().when('fed_reactions.kind', '=', 'like').then(1).else(0).end()).as('likes'),
      (eb) => eb.fn.sum<number>(eb.case().when('fed_reactions.kind', '=', 'announce').then(1).else(0).end()).as('boosts'),
    ])
    .groupBy(['posts.id', 'posts.title', 'posts.slug'])
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, likes: Number(r.likes), boosts: Number(r.boosts) }));
}
