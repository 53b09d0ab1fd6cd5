// What the notification code reads from comments, posts, users and threads. Kept here so that
// email depends on those tables, not on the code that writes them.
import { sql } from 'kysely';
import { compiledStatement } from '../db/compiled-statement.js';
import type { Db } from '../db/connect.js';
import type { CommentStatus, StaffRole, Visibility } from '../db/tables.js';

export interface MailCommentRow {
  id: string;
  post_id: string;
  parent_id: string | null;
  root_id: string;
  status: CommentStatus;
  visibility: Visibility;
  author_name: string;
  author_email: string;
  staff_user_id: string | null;
  markdown: string;
  html: string;
  notify: number;
  created_at: number;
  post_slug: string;
  post_title: string;
  post_author_id: string;
  /** The post's author's address (null if her account is gone): told of each reader's comment. */
  post_author_email: string | null;
  /** The post's own language (null: the site's): emails about its conversation speak it. */
  post_language: string | null;
}

/** A comment with what its emails tell of its post and the post's author. */
const mailComments = (db: Db) =>
  db
    .selectFrom('comments as c')
    .innerJoin('posts as p', 'p.id', 'c.post_id')
    .leftJoin('users as a', 'a.id', 'p.author_id')
    .select([
      'c.id',
      'c.post_id',
      'c.parent_id',
      'c.root_id',
      'c.status',
      'c.visibility',
      'c.author_name',
      'c.author_email',
      'c.staff_user_id',
      'c.markdown',
      'c.html',
      'c.notify',
      'c.created_at',
      'p.slug as post_slug',
      'p.title as post_title',
      'p.author_id as post_author_id',
      'p.language as post_language',
      'a.email as post_author_email',
    ]);

// Read for every email about a comment: prepared on each connection.
const mailComment = compiledStatement<{ id: string }, MailCommentRow>((db, value) => mailComments(db).where('c.id', '=', value('id')));

export async function findMailComment(db: Db, id: string): Promise<MailCommentRow | undefined> {
  return (await mailComment(db, { id })).rows[0];
}

/** The comments a batch of events is about, by id, in one read (the worker's fan-out). */
export async function findMailCommentsById(db: Db, ids: readonly string[]): Promise<Map<string, MailCommentRow>> {
  if (ids.length === 0) return new Map();
  const rows = (await mailComments(db)
    .where('c.id', 'in', [...new Set(ids)])
    .execute()) as MailCommentRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

export interface MailUser {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
}

const mailUser = compiledStatement<{ id: string }, MailUser>((db, value) =>
  db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('id', '=', value('id')),
);

export async function findMailUser(db: Db, id: string): Promise<MailUser | undefined> {
  return (await mailUser(db, { id })).rows[0];
}

export function findMailUserByEmail(db: Db, email: string): Promise<MailUser | undefined> {
  return db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('email', '=', email).executeTakeFirst();
}

/** The site's owners plus the given user (a post's author): who hears about held comments. */
export function ownersAnd(db: Db, userId: string): Promise<MailUser[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role'])
    .where((eb) => eb.or([eb('role', '=', 'owner'), eb('id', '=', userId)]))
    .orderBy('id')
    .execute();
}

/** Staff whose address holds a confirmed subscription to `scope` (an opt-in such as the digest). */
export function staffOptedIn(db: Db, scope: string): Promise<MailUser[]> {
  return db
    .selectFrom('users as u')
    .innerJoin('subscriptions as s', 's.email', 'u.email')
    .select(['u.id', 'u.email', 'u.name', 'u.role'])
    .where('s.scope', '=', scope)
    .where('s.status', '=', 'confirmed')
    .orderBy('u.id')
    .execute();
}

export function findMailPost(db: Db, id: string) {
  return db
    .selectFrom('posts')
    .select(['id', 'slug', 'title', 'markdown', 'html', 'status', 'kind', 'author_id', 'published_at', 'language'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface HeldRow {
  id: string;
  author_name: string;
  markdown: string;
  /** Sanitized on write: what excerpts in emails are taken from. */
  html: string;
  post_title: string;
}

/** Comments held for moderation that `viewer` may act on (owners: all; others: their posts). */
export async function heldCommentsFor(
  db: Db,
  viewer: { id: string; role: StaffRole },
  limit: number,
): Promise<{ rows: HeldRow[]; total: number }> {
  let q = db.selectFrom('comments as c').innerJoin('posts as p', 'p.id', 'c.post_id').where('c.status', '=', 'pending');
  if (viewer.role !== 'owner') q = q.where('p.author_id', '=', viewer.id);
  const count = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['c.id', 'c.author_name', 'c.markdown', 'c.html', 'p.title as post_title'])
    .orderBy('c.created_at')
    .limit(limit)
    .execute();
  return { rows, total: Number(count.n) };
}

export interface WaitingRow {
  comment_id: string;
  author_name: string;
  markdown: string;
  /** Sanitized on write: what excerpts in emails are taken from. */
  html: string;
  awaiting_since: number;
  post_slug: string;
  post_title: string;
}

/** Threads that await a staff answer, oldest wait first, on the posts `viewer` answers for. */
export function waitingThreadsFor(db: Db, viewer: { id: string; role: StaffRole }, limit: number): Promise<WaitingRow[]> {
  let q = db
    .selectFrom('threads as t')
    .innerJoin('comments as c', 'c.id', 't.awaiting_comment_id')
    .innerJoin('posts as p', 'p.id', 't.post_id')
    .select(['c.id as comment_id', 'c.author_name', 'c.markdown', 'c.html', 'p.slug as post_slug', 'p.title as post_title'])
    .select(sql<number>`t.awaiting_since`.as('awaiting_since'))
    .where('t.awaiting_since', 'is not', null);
  if (viewer.role !== 'owner') q = q.where('p.author_id', '=', viewer.id);
  return q.orderBy('t.awaiting_since').limit(limit).execute();
}

export interface RecentRow {
  id: string;
  author_name: string;
  markdown: string;
  /** Sanitized on write: what excerpts in emails are taken from. */
  html: string;
  post_slug: string;
  post_title: string;
}

/** Published reader comments on an author's posts written in [since, until). */
export function readerCommentsBetween(db: Db, authorId: string, since: number, until: number, limit: number): Promise<RecentRow[]> {
  return db
    .selectFrom('comments as c')
    .innerJoin('posts as p', 'p.id', 'c.post_id')
    .select(['c.id', 'c.author_name', 'c.markdown', 'c.html', 'p.slug as post_slug', 'p.title as post_title'])
    .where('c.status', '=', 'published')
    .where('c.staff_user_id', 'is', null)
    .where('p.author_id', '=', authorId)
    .where('c.created_at', '>=', since)
    .where('c.created_at', '<', until)
    .orderBy('c.created_at')
    .limit(limit)
    .execute();
}

/** Authors with reader comments published in [since, until): who gets a daily comments digest. */
export async function authorsWithReaderCommentsBetween(db: Db, since: number, until: number): Promise<string[]> {
  const rows = await db
    .selectFrom('comments as c')
    .innerJoin('posts as p', 'p.id', 'c.post_id')
    .select('p.author_id')
    .distinct()
    .where('c.status', '=', 'published')
    .where('c.staff_user_id', 'is', null)
    .where('c.created_at', '>=', since)
    .where('c.created_at', '<', until)
    .execute();
  return rows.map((r) => r.author_id);
}
