// `hearth import` and `hearth export` as a person runs them: a real process, real exit codes.
// Runs the build (bin/hearth.js -> dist/cli.js): `node scripts/build.mjs` first.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { corpus } from '../../test/kits/importers.js';
import { freshDatabase, hearth as runHearth } from '../../test/processes.js';

/** `hearth` with no demo content, so an import starts from an empty site. */
const hearth = (args: string[], env: Record<string, string>) => runHearth(args, { HEARTH_DEMO: '0', ...env });

const oneLine = (text: string) => text.trim().split('\n').length === 1;
/** A WordPress export of `posts` published posts with `comments` approved comments each. */
function wxrWithPosts(posts: number, comments: number): string {
  const items = Array.from({ length: posts }, (_, i) => {
    const thread = Array.from(
      { length: comments },
      (_, j) =>
        `<wp:comment><wp:comment_id>${i * comments + j + 1}</wp:comment_id><wp:comment_author>Reader ${j}</wp:comment_author>` +
        `<wp:comment_author_email>r${j}@example.org</wp:comment_author_email><wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt>` +
        `<wp:comment_content>Comment ${j} on post ${i}.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>`,
    ).join('');
    return (
      `<item><title>Post ${i}</title><link>https://old.example/post-${i}/</link><dc:creator>admin</dc:creator>` +
      `<content:encoded><![CDATA[<p>Words of post ${i}.</p>]]></content:encoded><wp:post_id>${i + 1}</wp:post_id>` +
      `<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt><wp:post_name>post-${i}</wp:post_name><wp:status>publish</wp:status>` +
      `<wp:post_type>post</wp:post_type>${thread}</item>`
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Many</title>' +
    `<link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>${items.join('')}</channel></rss>`
  );
}

const THEME = corpus('wxr-wordpress-importer/phpunit-data/theme-unit-test-data.xml');

describe('hearth import and export', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.drop());

  it('prints what a dry run would add as JSON, with one summary line on stderr, and writes nothing', async () => {
    const r = await hearth(['import', 'wordpress', THEME, '--dry-run', '--json'], db.env);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.dryRun, true);
    assert.equal(summary.comments.total, 33);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /dry run, nothing written/);
    const exported = await hearth(['export', 'json'], db.env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.doesNotMatch(exported.stdout, /"table":"posts"/);
  });

  it('imports, then imports the same file again adding nothing (exit 0 both times)', async () => {
    const first = await hearth(['import', 'wordpress', THEME, '--json'], db.env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).comments.added, 33);
    assert.match(first.stderr, /^hearth: imported: wordpress /);
    const again = await hearth(['import', 'wordpress', THEME, '--json'], db.env);
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout);
    assert.equal(summary.comments.added, 0);
    assert.equal(summary.comments.existing, 33);
  });

  it('refuses a malformed file with exit 1 and one line naming line and column, leaving the site as it was', async () => {
    const before = await hearth(['export', 'json'], db.env);
    const r = await hearth(['import', 'wordpress', corpus('wxr-wordpress-importer/phpunit-data/malformed-simple.xml')], db.env);
    assert.equal(r.code, 1);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /malformed-simple\.xml: line 14, column 0: .*nothing was imported/);
    const afterwards = await hearth(['export', 'json'], db.env);
    assert.equal(afterwards.stdout.slice(afterwards.stdout.indexOf('\n')), before.stdout.slice(before.stdout.indexOf('\n')));
  });

  it('exits 1 for a missing file and 2 for an unknown format', async () => {
    const missing = await hearth(['import', 'disqus', path.join(db.dir, 'nope.xml')], db.env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file/);
    assert.equal((await hearth(['import', 'ghost', THEME], db.env)).code, 2);
    assert.equal((await hearth(['export', 'csv'], db.env)).code, 2);
  });

  it('exports WXR to a file and a JSON backup that restores into an empty site', async () => {
    const wxrFile = path.join(db.dir, 'site.xml');
    const wxr = await hearth(['export', 'wordpress', '--out', wxrFile], db.env);
    assert.equal(wxr.code, 0, wxr.stderr);
    assert.equal(wxr.stdout, '');
    assert.match(fs.readFileSync(wxrFile, 'utf8'), /<wp:wxr_version>1\.2<\/wp:wxr_version>/);
    const backupFile = path.join(db.dir, 'backup.jsonl');
    assert.equal((await hearth(['export', 'json', '--out', backupFile], db.env)).code, 0);

    const other = await freshDatabase();
    try {
      const restored = await hearth(['import', 'json', backupFile, '--json'], other.env);
      assert.equal(restored.code, 0, restored.stderr);
      assert.equal(JSON.parse(restored.stdout).comments.added, 33);
      const back = await hearth(['export', 'json'], other.env);
      const original = fs.readFileSync(backupFile, 'utf8');
      assert.equal(back.stdout.slice(back.stdout.indexOf('\n')), original.slice(original.indexOf('\n')));
      const fromWxr = await hearth(['import', 'wordpress', wxrFile, '--json'], other.env);
      assert.equal(fromWxr.code, 0, fromWxr.stderr);
      assert.equal(JSON.parse(fromWxr.stdout).comments.added, 0, 'the export names the same comments by their Hearth ids');
    } finally {
      await other.drop();
    }
  });

  it('imports a Disqus export with its repairs listed as warnings', async () => {
    const r = await hearth(['import', 'disqus', corpus('remark42-migrator/disqus.xml'), '--json'], db.env);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.comments.byStatus.published, 4);
    assert.ok(summary.warnings.length >= 2);
    assert.match(r.stderr, /draft posts? for threads that matched no post/);
  });

  it('exports a site with hundreds of posts and comments to stdout and to a file without a MaxListenersExceededWarning', async () => {
    const many = await freshDatabase();
    try {
      const file = path.join(many.dir, 'many.xml');
      fs.writeFileSync(file, wxrWithPosts(300, 3));
      const imported = await hearth(['import', 'wordpress', file, '--json'], many.env);
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal(JSON.parse(imported.stdout).posts.added, 300);
      for (const format of ['wordpress', 'json']) {
        const piped = await hearth(['export', format], many.env);
        assert.equal(piped.code, 0, piped.stderr);
        assert.doesNotMatch(piped.stderr, /MaxListenersExceededWarning|Warning/, `${format} to stdout`);
        assert.ok(oneLine(piped.stderr), piped.stderr);
        assert.equal(new Set(piped.stdout.match(/Comment 2 on post \d+\./g)).size, 300, `${format}: every comment written`);
        const out = path.join(many.dir, `export-${format}`);
        const toFile = await hearth(['export', format, '--out', out], many.env);
        assert.equal(toFile.code, 0, toFile.stderr);
        assert.doesNotMatch(toFile.stderr, /MaxListenersExceededWarning|Warning/, `${format} to a file`);
        assert.equal(new Set(fs.readFileSync(out, 'utf8').match(/Comment 2 on post \d+\./g)).size, 300);
      }
    } finally {
      await many.drop();
    }
  });
});
