// Moving out and back in: a WXR export imports into a fresh Hearth with the same content, and a
// JSON backup restores into an empty database identical to the original. (An imported HTML item's
// source, the old site's unsanitized HTML, never leaves: its shown HTML travels as its source.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { corpus, importFile, importText, snapshot } from '../../test/kits/importers.js';
import { seedDemoContent } from '../demo/demo-content.js';
import { InvalidError } from '../errors.js';

async function withApps<T>(work: (from: TestApp, to: TestApp) => Promise<T>): Promise<T> {
  const from = await testApp();
  const to = await testApp();
  try {
    return await work(from, to);
  } finally {
    await from.close();
    await to.close();
  }
}

/** A site with imported HTML posts and comments (nested, every state) and native Markdown ones. */
async function richSite(t: TestApp): Promise<void> {
  await importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/theme-unit-test-data.xml'));
  await importFile(t.services.imports, 'wordpress', corpus('isso-migration/wordpress.xml'));
  await seedDemoContent({ ...t.services, clock: t.clock });
}

async function exportText(run: (write: (chunk: string) => Promise<void>) => Promise<unknown>): Promise<string> {
  let out = '';
  await run(async (chunk) => {
    out += chunk;
  });
  return out;
}

/** What a reader and the author see of a site, independent of ids; an HTML item's source is its shown HTML. */
async function content(t: TestApp) {
  const db = t.conn.db;
  const posts = await db.selectFrom('posts').selectAll().orderBy('slug').execute();
  const comments = await db.selectFrom('comments').selectAll().execute();
  const tags = await db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['post_tags.post_id', 'tags.slug', 'tags.name'])
    .orderBy('post_tags.position')
    .execute();
  const users = new Map((await db.selectFrom('users').selectAll().execute()).map((u) => [u.id, u]));
  const byId = new Map(comments.map((c) => [c.id, c]));
  const describeComment = (c: (typeof comments)[number]): string => {
    const parent = c.parent_id ? byId.get(c.parent_id) : undefined;
    return JSON.stringify([
      c.author_name,
      c.author_email,
      c.status,
      c.visibility,
      c.kind,
      c.source_format === 'html' ? c.html : c.markdown,
      c.html,
      c.source_format,
      c.created_at,
      c.depth,
      c.staff_user_id ? users.get(c.staff_user_id)?.email : null,
      parent ? [parent.author_name, parent.created_at, parent.html] : null,
    ]);
  };
  return posts.map((p) => ({
    slug: p.slug,
    kind: p.kind,
    title: p.title,
    status: p.status,
    publishedAt: p.published_at,
    markdown: p.source_format === 'html' ? p.html : p.markdown,
    html: p.html,
    format: p.source_format,
    excerpt: p.excerpt,
    customExcerpt: p.custom_excerpt,
    sticky: p.sticky,
    commentsMode: p.comments_mode,
    commentCount: p.comment_count,
    publicThreads: p.public_thread_count,
    author: users.get(p.author_id)?.email,
    tags: tags.filter((t) => t.post_id === p.id).map((t) => `${t.slug}:${t.name}`),
    comments: comments
      .filter((c) => c.post_id === p.id)
      .map(describeComment)
      .sort(),
  }));
}

describe('export wordpress, then import', () => {
  it('brings every post and comment back with the same content, into a fresh database', () =>
    withApps(async (from, to) => {
      await richSite(from);
      const xml = await exportText((w) => from.services.imports.exportWordpress(w));
      assert.match(xml, /<wp:wxr_version>1\.2<\/wp:wxr_version>/);
      const summary = await importText(to.services.imports, 'wordpress', xml);
      assert.equal(summary.warnings.length, 0, summary.warnings.join('\n'));
      const before = await content(from);
      const after = await content(to);
      assert.equal(after.length, before.length);
      assert.ok(
        before.some((p) => p.format === 'markdown' && p.comments.length > 0),
        'native posts with comments are included',
      );
      for (const [i, post] of before.entries()) assert.deepEqual(after[i], post);
      // What arrived as HTML keeps, as its source, the sanitized HTML that was sent.
      const db = to.conn.db;
      const sources = [
        ...(await db.selectFrom('posts').select(['markdown', 'html']).where('source_format', '=', 'html').execute()),
        ...(await db.selectFrom('comments').select(['markdown', 'html']).where('source_format', '=', 'html').execute()),
      ];
      assert.ok(sources.length > 100);
      for (const row of sources) assert.equal(row.markdown, row.html);
    }));

  it('imports its own export again without adding anything', () =>
    withApps(async (from) => {
      await richSite(from);
      const xml = await exportText((w) => from.services.imports.exportWordpress(w));
      const before = await snapshot(from.services.imports);
      const again = await importText(from.services.imports, 'wordpress', xml);
      assert.equal(again.posts.added, 0);
      assert.equal(again.comments.added, 0);
      assert.equal(await snapshot(from.services.imports), before);
    }));
});

describe('export json, then import json', () => {
  it('restores an identical database into an empty one', () =>
    withApps(async (from, to) => {
      await richSite(from);
      // A deleted post's address answers 410 Gone, on the restored site too.
      const owner = await makeStaff(from, 'owner', 'Olive Owner');
      const doomed = await makePost(from, owner, { slug: 'short-lived' });
      await from.services.posts.remove(doomed.id, owner);
      const backup = await exportText((w) => from.services.imports.exportJson(w));
      const summary = await importText(to.services.imports, 'json', backup);
      assert.ok((summary.tables?.comments ?? 0) > 0);
      // The restored site exports the very backup it was given (its header, the time taken, aside).
      const taken = backup.slice(backup.indexOf('\n') + 1).split('\n');
      const restored = (await snapshot(to.services.imports)).split('\n');
      const differs = restored.findIndex((line, i) => line !== taken[i]);
      assert.equal(differs, -1, `line ${differs + 2} differs:\nrestored ${restored[differs]}\nbackup   ${taken[differs]}`);
      assert.equal(restored.length, taken.length);
      assert.equal((await to.request('/short-lived/')).status, 410);
      // The restored site serves its pages.
      const post = await to.conn.db
        .selectFrom('posts')
        .select('slug')
        .where('status', '=', 'published')
        .where('kind', '=', 'post')
        .executeTakeFirstOrThrow();
      assert.equal((await to.request(`/${post.slug}/`)).status, 200);
    }));

  it('counts each post’s threads readers see when the backup predates that count', () =>
    withApps(async (from, to) => {
      await richSite(from);
      const backup = await exportText((w) => from.services.imports.exportJson(w));
      const older = backup.replace(/,"public_thread_count":\d+/g, '');
      assert.notEqual(older, backup);
      await importText(to.services.imports, 'json', older);
      const counts = async (t: TestApp) =>
        (await t.conn.db.selectFrom('posts').select(['slug', 'public_thread_count']).orderBy('slug').execute()).map(
          (p) => `${p.slug}:${p.public_thread_count}`,
        );
      assert.ok(
        (await counts(from)).some((c) => !c.endsWith(':0')),
        'posts with threads readers see',
      );
      assert.deepEqual(await counts(to), await counts(from));
    }));

  it('keeps password hashes, so staff sign in as before', () =>
    withApps(async (from, to) => {
      await from.services.accounts.addUser({
        email: 'owner@example.com',
        name: 'Olive',
        role: 'owner',
        password: 'a long enough passphrase',
      });
      await importText(to.services.imports, 'json', await exportText((w) => from.services.imports.exportJson(w)));
      const restored = await to.conn.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      assert.match(restored.password_hash ?? '', /^\$argon2id\$/);
    }));

  it('restores nothing twice, and refuses a file that is not a backup', () =>
    withApps(async (from, to) => {
      await richSite(from);
      const backup = await exportText((w) => from.services.imports.exportJson(w));
      await importText(to.services.imports, 'json', backup);
      const again = await importText(to.services.imports, 'json', backup);
      assert.equal(again.comments.added, 0);
      assert.equal(again.posts.added, 0);
      await assert.rejects(importText(to.services.imports, 'json', '{"nope":1}\n'), InvalidError);
      await assert.rejects(importText(to.services.imports, 'json', `${backup.split('\n')[0]}\n{"table":"posts","row":`), InvalidError);
    }));
});
