// Programs' own rows: sign-ups and counted clicks, plus the program lookups cards and pages need.
// Plain functions of (db, args); callers own transactions.
import type { Db } from '../db/connect.js';
import type { ProgramSignupRow } from '../db/tables.js';
import { visibleAt } from '../posts/post-store.js';

export interface ProgramSummary {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
}

/** The programs readers can see now among these slugs. */
export function findVisiblePrograms(db: Db, slugs: readonly string[], now: number): Promise<ProgramSummary[]> {
  if (slugs.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('posts')
    .select(['id', 'slug', 'title', 'excerpt'])
    .where('kind', '=', 'program')
    .where('slug', 'in', slugs)
    .where(visibleAt(now))
    .execute();
}

/** Whether a post exists (a card's source is checked before it is counted). */
export async function postExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('posts').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** The post of a staff comment, when the id names one: only staff replies carry cards. */
export async function postOfStaffComment(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('comments')
    .select('post_id')
    .where('id', '=', id)
    .where('staff_user_id', 'is not', null)
    .executeTakeFirst();
  return row?.post_id;
}

/** Keeps a sign-up unless this address already signed up for the program; says whether it did. */
export async function insertSignup(db: Db, row: ProgramSignupRow): Promise<boolean> {
  const result = await db
    .insertInto('program_signups')
    .values(row)
    .onConflict((oc) => oc.columns(['program_id', 'email']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A program's sign-ups, newest first, at most `limit`. */
export function listSignups(db: Db, programId: string, limit: number): Promise<ProgramSignupRow[]> {
  return db
    .selectFrom('program_signups')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Sign-ups per program, for the list of programs. */
export async function signupCounts(db: Db, programIds: readonly string[]): Promise<Map<string, number>> {
  if (programIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('program_signups')
    .select(['program_id', (eb) => eb.fn.countAll().as('n')])
    .where('program_id', 'in', programIds)
    .groupBy('program_id')
    .execute();
  return new Map(rows.map((r) => [r.program_id, Number(r.n)]));
}

/** Card clicks per program, for the list of programs. */
export async function clickCounts(db: Db, programIds: readonly string[]): Promise<Map<string, number>> {
  if (programIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('link_clicks')
    .select(['target', (eb) => eb.fn.countAll().as('n')])
    .where('kind', '=', 'program')
    .where('target', 'in', programIds)
    .groupBy('target')
    .execute();
  return new Map(rows.map((r) => [r.target, Number(r.n)]));
}

export async function insertClick(
  db: Db,
  row: { id: string; kind: string; target: string; source_post_id: string | null; source_comment_id: string | null; created_at: number },
): Promise<void> {
  await db.insertInto('link_clicks').values(row).execute();
}

export interface SourceCount {
  source_post_id: string | null;
  source_comment_id: string | null;
  n: number;
}

/** A program's sign-ups counted per source (post, reply, or none). */
export async function signupsBySource(db: Db, programId: string): Promise<SourceCount[]> {
  const rows = await db
    .selectFrom('program_signups')
    .select(['source_post_id', 'source_comment_id', (eb) => eb.fn.countAll().as('n')])
    .where('program_id', '=', programId)
    .groupBy(['source_post_id', 'source_comment_id'])
    .execute();
  return rows.map((r) => ({ source_post_id: r.source_post_id, source_comment_id: r.source_comment_id, n: Number(r.n) }));
}

/** A program's card clicks counted per source. */
export async function clicksBySource(db: Db, programId: string): Promise<SourceCount[]> {
  const rows = await db
    .selectFrom('link_clicks')
    .select(['source_post_id', 'source_comment_id', (eb) => eb.fn.countAll().as('n')])
    .where('kind', '=', 'program')
    .where('target', '=', programId)
    .groupBy(['source_post_id', 'source_comment_id'])
    .execute();
  return rows.map((r) => ({ source_post_id: r.source_post_id, source_comment_id: r.source_comment_id, n: Number(r.n) }));
}

/** Titles and slugs of the posts sources name. */
export async function postTitles(db: Db, ids: readonly string[]): Promise<Map<string, { slug: string; title: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('posts').select(['id', 'slug', 'title']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { slug: r.slug, title: r.title }]));
}

/** Who wrote the replies sources name. */
export async function replyAuthors(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('comments').select(['id', 'author_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.author_name]));
}
