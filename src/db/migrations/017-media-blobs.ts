// Uploads kept in the database, so every process of a site serves every image. Content-addressed:
// a blob is named by the SHA-256 of its bytes and stored once, in chunks of at most 256 KiB (one
// row each), so a file is written and read a chunk at a time and never held whole in memory. A
// path under /media/ names a blob. The tables exist on both databases; a site on SQLite keeps its
// uploads in the data folder and leaves them empty.
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../connect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('media_blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('media_blob_chunks')
    .addColumn('sha256', 'text', (c) => c.notNull().references('media_blobs.sha256').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('media_blob_chunks_pk', ['sha256', 'seq'])
    .execute();
  // Images are compressed already: PostgreSQL stores the chunks out of line without trying again.
  if (pg) await sql`alter table media_blob_chunks alter column data set storage external`.execute(db);
  await db.schema
    .createTable('media_files')
    .addColumn('path', 'text', (c) => c.primaryKey()) // 'YYYY/MM/<id>/<file>', as under /media/
    .addColumn('sha256', 'text', (c) => c.notNull().references('media_blobs.sha256'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('media_files_sha256_idx').on('media_files').column('sha256').execute();
}
