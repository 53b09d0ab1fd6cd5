// Registered sites and their pages' conversations (external posts), in the database.
import type { Db } from '../db/connect.js';
import { EXTERNAL_KIND, type NewPost, type PostRow, type SiteRow } from '../db/tables.js';

export function listSites(db: Db): Promise<SiteRow[]> {
  return db.selectFrom('sites').selectAll().orderBy('origin').execute();
}

export function siteByOrigin(db: Db, origin: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('origin', '=', origin).executeTakeFirst();
}

export function siteById(db: Db, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSite(db: Db, site: SiteRow): Promise<void> {
  await db.insertInto('sites').values(site).execute();
}

/** The site goes; its pages' conversations stay (readable on Hearth), no longer tied to it. */
export async function deleteSite(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('posts').set({ site_id: null }).where('site_id', '=', id).execute();
    await trx.deleteFrom('sites').where('id', '=', id).execute();
  });
}

export function pageByUrl(db: Db, url: string): Promise<PostRow | undefined> {
  return db.selectFrom('posts').selectAll().where('external_url', '=', url).executeTakeFirst() as Promise<PostRow | undefined>;
}

export async function insertPage(db: Db, post: NewPost): Promise<void> {
  await db
    .insertInto('posts')
    .values(post)
    .onConflict((oc) => oc.column('external_url').doNothing())
    .execute();
}

export async function pagesOfSite(db: Db, siteId: string): Promise<number> {
  const row = await db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('site_id', '=', siteId)
    .where('kind', '=', EXTERNAL_KIND)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Who an external page is "by": the first owner (any staff member on a site without one yet). */
export async function pageAuthor(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .orderBy((eb) => eb.case().when('role', '=', 'owner').then(0).else(1).end())
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** The newest published comments on a site's pages, for its feed. */
export function recentCommentsOfSite(db: Db, siteId: string, limit: number) {
  return db
    .selectFrom('comments')
    .innerJoin('posts', 'posts.id', 'comments.post_id')
    .select([
      'comments.id',
      'comments.author_name',
      'comments.html',
      'comments.created_at',
      'posts.slug',
      'posts.title',
      'posts.external_url',
    ])
    .where('posts.site_id', '=', siteId)
    .where('comments.status', '=', 'published')
    .where('comments.visibility', '=', 'public')
    .orderBy('comments.created_at', 'desc')
    .limit(limit)
    .execute();
}
