// WordPress imports against the real exports other importers are tested with.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.js';
import { comment, corpus, countRows, importFile, importText, manifest, snapshot, wxr, wxrItem } from '../../test/kits/importers.js';
import { InvalidError } from '../errors.js';

const KEPT_TYPES = ['post', 'page', '(none)'];
const MENTION_TYPES = ['pingback', 'trackback'];

async function withApp<T>(work: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await testApp();
  try {
    return await work(t);
  } finally {
    await t.close();
  }
}

function commentRows(t: TestApp) {
  return t.conn.db.selectFrom('comments').selectAll().execute();
}

describe('importing every well-formed WXR file of the corpora', () => {
  for (const folder of ['wxr-wordpress-importer', 'wxr-other-importers']) {
    for (const [file, m] of Object.entries(manifest(folder))) {
      if (!m.well_formed_xml || (m.items === 0 && file.includes('version-tag'))) continue;
      it(`${folder}/${file} keeps its posts, comments, states and reply links`, () =>
        withApp(async (t) => {
          const summary = await importFile(t.services.imports, 'wordpress', corpus(folder, file));
          const kept = KEPT_TYPES.reduce((n, type) => n + (m.post_types?.[type] ?? 0), 0);
          // An item repeated in the file (a11y repeats one page) is the same post, met twice.
          assert.equal((await countRows(t.conn.db, 'posts')) + summary.posts.existing, kept);
          assert.equal(summary.posts.total, kept);
          const skipped = Object.entries(summary.posts.skipped)
            .filter(([what]) => !what.startsWith('comment'))
            .reduce((n, [, count]) => n + count, 0);
          assert.equal(skipped, (m.items ?? 0) - kept);
          const comments = await commentRows(t);
          assert.equal(comments.length + summary.comments.existing, m.comments ?? 0);
          assert.equal(summary.comments.total, m.comments ?? 0);
          assert.equal(comments.filter((c) => c.parent_id !== null).length, m.comments_with_parent ?? 0);
          assert.equal(Math.max(0, ...comments.map((c) => c.depth)), m.max_reply_depth ?? 0);
          const approved = m.comment_approved_values ?? {};
          assert.equal(comments.filter((c) => c.status === 'published').length, (approved['1'] ?? 0) + (approved['(missing)'] ?? 0));
          assert.equal(comments.filter((c) => c.status === 'pending').length, approved['0'] ?? 0);
          const mentions = MENTION_TYPES.reduce((n, type) => n + (m.comment_types?.[type] ?? 0), 0);
          assert.equal(comments.filter((c) => c.kind === 'mention').length, mentions);
          // Every reply sits in its parent's thread, one level below it.
          const byId = new Map(comments.map((c) => [c.id, c]));
          for (const c of comments) {
            const parent = c.parent_id ? byId.get(c.parent_id) : undefined;
            assert.equal(c.root_id, parent ? parent.root_id : c.id);
            assert.equal(c.depth, parent ? parent.depth + 1 : 0);
          }
        }));
    }
  }
});

describe('WordPress content as WordPress shows it', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/small-export.xml'));
  });
  after(() => t.close());

  it('maps statuses, kinds, authors and tags as small-export.xml has them', async () => {
    const posts = await t.conn.db.selectFrom('posts').selectAll().execute();
    const count = (kind: string, status: string) => posts.filter((p) => p.kind === kind && p.status === status).length;
    assert.equal(count('post', 'published'), 5);
    assert.equal(count('post', 'draft'), 1, 'the private post is a draft');
    assert.equal(count('page', 'published'), 4);
    assert.equal(count('page', 'draft'), 1);
    const users = await t.conn.db.selectFrom('users').selectAll().execute();
    assert.deepEqual(users.map((u) => u.email).sort(), ['author@example.org', 'editor@example.org', 'local@host.null']);
    assert.ok(users.every((u) => u.role === 'author' && u.password_hash === null));
    assert.equal(users.find((u) => u.email === 'editor@example.org')?.name, 'FirstName LastName');
    // 30 categories and 3 tags, less WordPress's default "uncategorized".
    assert.equal(await countRows(t.conn.db, 'tags'), 32);
  });

  it('stores the source HTML with WordPress paragraphs and shows it sanitized', async () => {
    const posts = await t.conn.db.selectFrom('posts').selectAll().where('source_format', '=', 'html').execute();
    assert.ok(posts.length > 0);
    const multi = posts.find((p) => (p.markdown.match(/<p>/g) ?? []).length > 1);
    assert.ok(multi, 'a post with several paragraphs');
    assert.equal(multi.source_format, 'html');
    for (const p of posts) assert.doesNotMatch(p.html, /<script|onerror=|javascript:/i);
  });

  it('records each old address for a 301 to the new one', async () => {
    const redirects = await t.conn.db.selectFrom('redirects').selectAll().execute();
    const post = await t.conn.db
      .selectFrom('posts')
      .select(['slug', 'source_id'])
      .where('kind', '=', 'post')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    assert.ok(redirects.some((r) => r.from_path === `/?p=${post.source_id}` && r.to_path === `/${post.slug}/`));
  });
});

describe('the awkward files', () => {
  it('keeps nested CDATA exactly, from the broken file and from its well-formed twin', () =>
    withApp(async (t) => {
      for (const file of ['crazy-cdata.xml', 'crazy-cdata-escaped.xml']) {
        await t.conn.db.deleteFrom('posts').execute();
        const summary = await importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data', file));
        assert.equal(summary.posts.added, 1, file);
        const post = await t.conn.db.selectFrom('posts').select(['markdown']).executeTakeFirstOrThrow();
        assert.equal(post.markdown, '<p>Content with nested <![CDATA[ tags ]]> :)</p>\n', file);
      }
    }));

  it('keeps the backslashes of slashes.xml: the comment reads \\o/ ¯\\_(ツ)_/¯', () =>
    withApp(async (t) => {
      await importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/slashes.xml'));
      const comment = await t.conn.db.selectFrom('comments').selectAll().executeTakeFirstOrThrow();
      assert.equal(comment.html, '<p>\\o/ ¯\\_(ツ)_/¯</p>\n');
      assert.equal(comment.markdown.replace(/<\/?p>|\n/g, ''), '\\o/ ¯\\_(ツ)_/¯');
    }));

  it('reads the Ghost exports with a bare & in a URL, and says what it repaired', () =>
    withApp(async (t) => {
      const summary = await importFile(t.services.imports, 'wordpress', corpus('wxr-other-importers/ghost-migrate-mg-wp-xml/sample.xml'));
      assert.equal(summary.posts.added, 4);
      assert.ok(summary.warnings.some((w) => /line 109: bare "&" escaped/.test(w)));
    }));

  it('keeps isso’s WXR: 8 comments in 2 threads, line breaks shown as WordPress shows them', () =>
    withApp(async (t) => {
      await importFile(t.services.imports, 'wordpress', corpus('isso-migration/wordpress.xml'));
      const comments = await commentRows(t);
      assert.equal(comments.length, 8);
      assert.equal(new Set(comments.map((c) => c.post_id)).size, 2);
      const zweiter = comments.find((c) => c.html.includes('Zweiter.'));
      assert.ok(zweiter);
      assert.equal(comments.filter((c) => c.root_id === zweiter.id && c.id !== zweiter.id).length, 3);
      const multi = comments.find((c) => c.html.includes('multiple lines'));
      assert.match(multi?.html ?? '', /multiple lines:<br \/>\s*WordPress/);
    }));

  it('keeps remark42’s WXR: 3 published, the unapproved one held, the reply linked to its parent', () =>
    withApp(async (t) => {
      await importFile(t.services.imports, 'wordpress', corpus('remark42-migrator/wordpress-xmlTestWP.xml'));
      const comments = await commentRows(t);
      assert.equal(comments.filter((c) => c.status === 'published').length, 3);
      assert.equal(comments.filter((c) => c.status === 'pending').length, 1);
      const reply = comments.find((c) => c.source_id?.endsWith(':14'));
      const parent = comments.find((c) => c.source_id?.endsWith(':13'));
      assert.ok(reply && parent);
      assert.equal(reply.parent_id, parent.id);
      assert.match(reply.html, /Mekkatorque/);
    }));

  for (const file of ['malformed.xml', 'malformed-simple.xml', 'missing-version-tag.xml', 'invalid-version-tag.xml']) {
    it(`refuses ${file} with the line and column of the fault, and changes nothing`, () =>
      withApp(async (t) => {
        await importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/small-export.xml'));
        const before = await snapshot(t.services.imports);
        await assert.rejects(
          importFile(t.services.imports, 'wordpress', corpus('wxr-wordpress-importer/phpunit-data', file)),
          (err: Error) => {
            assert.ok(err instanceof InvalidError);
            assert.match(err.message, /^line \d+, column \d+: /);
            if (file.includes('version')) assert.match(err.message, /WXR version number/);
            return true;
          },
        );
        assert.equal(await snapshot(t.services.imports), before);
      }));
  }

  it('refuses a fault late in a file after writing many records, leaving the database as it was', () =>
    withApp(async (t) => {
      const items = Array.from({ length: 40 }, (_, i) =>
        wxrItem(i + 1, `Post ${i + 1}`, [
          `<wp:comment><wp:comment_id>${i + 1}</wp:comment_id><wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>`,
        ]),
      );
      const broken = wxr(`${items.join('')}<item><title>cut</title></channel></rss>`);
      await assert.rejects(importText(t.services.imports, 'wordpress', broken), InvalidError);
      assert.equal(await countRows(t.conn.db, 'posts'), 0);
      assert.equal(await countRows(t.conn.db, 'comments'), 0);
    }));
});

describe('staff, threads and idempotency', () => {
  const file = () =>
    wxr(
      `<wp:author><wp:author_id>7</wp:author_id><wp:author_login>wren</wp:author_login><wp:author_email>Wren@Example.com</wp:author_email><wp:author_display_name><![CDATA[Wren Writer]]></wp:author_display_name></wp:author>
      ${wxrItem(1, 'Letters', [
        comment(10, 0, 'reader@example.com', 0, '1', 'Dear Wren,\nhow are you?\n\nSecond paragraph.'),
        comment(11, 10, 'wren@example.com', 7, '1', 'Very well, thank you.'),
        comment(12, 0, 'spammer@example.com', 0, 'spam', 'Buy now'),
        comment(13, 0, 'gone@example.com', 0, 'trash', 'Removed'),
        comment(14, 0, 'new@example.com', 0, '0', 'Held for a first look'),
      ])}`,
    );

  it('links a staff comment to the author it names, so the page marks it with the Author badge', () =>
    withApp(async (t) => {
      await importText(t.services.imports, 'wordpress', file());
      const rows = await commentRows(t);
      const wren = await t.conn.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      assert.equal(wren.email, 'wren@example.com');
      const reply = rows.find((c) => c.source_id === '1:11');
      assert.equal(reply?.staff_user_id, wren.id);
      assert.equal(rows.filter((c) => c.staff_user_id !== null).length, 1);
      const page = await (await t.request('/letters/')).text();
      assert.match(page, /data-author-role="author"/);
    }));

  it('keeps each comment’s state, paragraphs and line breaks, and the thread summary the inbox reads', () =>
    withApp(async (t) => {
      await importText(t.services.imports, 'wordpress', file());
      const rows = await commentRows(t);
      const state = (id: string) => rows.find((c) => c.source_id === `1:${id}`)?.status;
      assert.deepEqual(['10', '12', '13', '14'].map(state), ['published', 'spam', 'trash', 'pending']);
      const first = rows.find((c) => c.source_id === '1:10');
      assert.equal(first?.html, '<p>Dear Wren,<br />\nhow are you?</p>\n<p>Second paragraph.</p>\n');
      const post = await t.conn.db.selectFrom('posts').selectAll().executeTakeFirstOrThrow();
      assert.equal(post.comment_count, 2);
      const thread = await t.conn.db
        .selectFrom('threads')
        .selectAll()
        .where('root_id', '=', first?.id ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(thread.reply_count, 1);
      assert.equal(thread.awaiting_since, null, 'answered by staff');
      assert.equal(thread.public_count, 2);
      const shown = await t.conn.db
        .selectFrom('threads')
        .select('root_id')
        .where('post_id', '=', post.id)
        .where('public_count', '>', 0)
        .execute();
      assert.equal(post.public_thread_count, shown.length, 'the post counts the threads readers see');
    }));

  it('adds nothing when the same file comes again, and only what is new from a newer export', () =>
    withApp(async (t) => {
      const first = await importText(t.services.imports, 'wordpress', file());
      const before = await snapshot(t.services.imports);
      const again = await importText(t.services.imports, 'wordpress', file());
      assert.equal(again.posts.added + again.comments.added + again.users.added + again.tags.added + again.redirects.added, 0);
      assert.equal(again.comments.existing, first.comments.added);
      assert.equal(await snapshot(t.services.imports), before);
      assert.ok(first.inbox.leftOut > 0, 'threads waiting since 2020 are left out of the inbox');
      // A follow-up written days ago (the clock stands at 2026-03-01) waits in the inbox again.
      const recent = comment(15, 11, 'reader@example.com', 0, '1', 'Thanks!').replace(/2020-01-\d\d 10:00:00/, '2026-02-27 10:00:00');
      const newer = file().replace('</item>', `${recent}</item>`);
      const more = await importText(t.services.imports, 'wordpress', newer);
      assert.equal(more.comments.added, 1);
      assert.equal(more.posts.added, 0);
      const rows = await commentRows(t);
      const latest = rows.find((c) => c.source_id === '1:15');
      assert.equal(latest?.depth, 2);
      const thread = await t.conn.db
        .selectFrom('threads')
        .selectAll()
        .where('root_id', '=', latest?.root_id ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(thread.awaiting_comment_id, latest?.id, 'a reader’s follow-up awaits an answer again');
    }));

  it('writes nothing on a dry run, yet reports what it would add', () =>
    withApp(async (t) => {
      const summary = await importText(t.services.imports, 'wordpress', file(), { dryRun: true });
      assert.equal(summary.dryRun, true);
      assert.equal(summary.comments.added, 5);
      assert.equal(await countRows(t.conn.db, 'posts'), 0);
      assert.equal(await countRows(t.conn.db, 'users'), 0);
    }));

  it('counts every comment of a post whose comments come in parts far apart in the file', () =>
    withApp(async (t) => {
      // The first post's item comes again after a thousand comments on another post, with more comments.
      const many = Array.from({ length: 1200 }, (_, n) => comment(100 + n, 0, `r${n}@example.com`, 0, '1', `comment ${n}`));
      const text = wxr(
        [
          wxrItem(1, 'Letters', [comment(10, 0, 'a@example.com', 0, '1', 'first')]),
          wxrItem(2, 'Busy', many),
          wxrItem(1, 'Letters', [comment(11, 10, 'b@example.com', 0, '1', 'late reply'), comment(12, 0, 'c@example.com', 0, '1', 'late')]),
          wxrItem(3, 'Quiet', [comment(5, 0, 'd@example.com', 0, '1', 'last')]),
        ].join('\n'),
      );
      const summary = await importText(t.services.imports, 'wordpress', text);
      assert.equal(summary.comments.added, 1204);
      const posts = await t.conn.db.selectFrom('posts').select(['slug', 'comment_count']).orderBy('slug').execute();
      assert.deepEqual(
        posts.map((p) => [p.slug, p.comment_count]),
        [
          ['busy', 1200],
          ['letters', 3],
          ['quiet', 1],
        ],
      );
      const rows = await commentRows(t);
      const first = rows.find((c) => c.source_id === '1:10');
      const thread = await t.conn.db
        .selectFrom('threads')
        .selectAll()
        .where('root_id', '=', first?.id ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(thread.reply_count, 1);
      assert.equal(thread.public_count, 2);
      assert.equal(await countRows(t.conn.db, 'threads'), 1203);
    }));

  it('places a reply that comes before its parent under it, and keeps an orphan at the top', () =>
    withApp(async (t) => {
      const text = wxr(
        wxrItem(1, 'Out of order', [
          comment(21, 20, 'a@example.com', 0, '1', 'reply first'),
          comment(20, 0, 'b@example.com', 0, '1', 'parent'),
          comment(22, 99, 'c@example.com', 0, '1', 'orphan'),
        ]),
      );
      const summary = await importText(t.services.imports, 'wordpress', text);
      const rows = await commentRows(t);
      const parent = rows.find((c) => c.source_id === '1:20');
      assert.equal(rows.find((c) => c.source_id === '1:21')?.parent_id, parent?.id);
      assert.equal(rows.find((c) => c.source_id === '1:22')?.parent_id, null);
      assert.ok(summary.warnings.some((w) => w.includes('1:99')));
    }));
});
