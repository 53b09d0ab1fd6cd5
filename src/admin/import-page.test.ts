import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { corpus } from '../../test/kits/importers.js';

const THEME = corpus('wxr-wordpress-importer/phpunit-data/theme-unit-test-data.xml');
const MALFORMED = corpus('wxr-wordpress-importer/phpunit-data/malformed.xml');

/** The Import page's form, sent as the browser sends it (multipart, the page's token). */
async function sendImport(browser: Browser, file: string, fields: Record<string, string>): Promise<Response> {
  await browser.get('/admin/import');
  const form = new FormData();
  form.set('_csrf', browser.csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([fs.readFileSync(file)], { type: 'text/xml' }), 'export.xml');
  return browser.request('/admin/import', { method: 'POST', body: form, headers: { origin: TEST_BASE_URL } });
}

const countPosts = async (t: TestApp) =>
  Number(
    (
      await t.conn.db
        .selectFrom('posts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the workspace Import page', () => {
  let t: TestApp;
  let owner: Browser;
  before(async () => {
    t = await testApp();
    const olive = await makeStaff(t, 'owner', 'Olive Owner');
    owner = new Browser(t);
    await owner.signIn(olive.email);
  });
  after(() => t.close());

  it('shows what a dry run would add and changes nothing', async () => {
    const res = await sendImport(owner, THEME, { format: 'wordpress', dryRun: 'on' });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /A dry run: nothing was changed/);
    assert.match(html, /Comments<\/th><td>\d+ added/);
    assert.equal(await countPosts(t), 0);
  });

  it('imports the file, shows the summary, and adds nothing the second time', async () => {
    const first = await (await sendImport(owner, THEME, { format: 'wordpress' })).text();
    assert.match(first, /<h2 id="summary-heading">Imported<\/h2>/);
    const posts = await countPosts(t);
    assert.ok(posts > 0);
    const again = await (await sendImport(owner, THEME, { format: 'wordpress' })).text();
    assert.match(again, /Posts and pages<\/th><td>0 added/);
    assert.equal(await countPosts(t), posts);
  });

  it('refuses a broken file with the line and column, and leaves the site as it was', async () => {
    const before = await countPosts(t);
    const res = await sendImport(owner, MALFORMED, { format: 'wordpress' });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Nothing was imported: .*line \d+/);
    assert.equal(await countPosts(t), before);
  });

  it('is the owner’s alone', async () => {
    const ada = await makeStaff(t, 'author', 'Ada Author');
    const asAda = new Browser(t);
    await asAda.signIn(ada.email);
    assert.equal((await asAda.get('/admin/import')).status, 403);
  });
});

describe('an old conversation moving in', () => {
  let t: TestApp;
  let owner: Browser;
  before(async () => {
    t = await testApp();
    const olive = await makeStaff(t, 'owner', 'Olive Owner');
    owner = new Browser(t);
    await owner.signIn(olive.email);
  });
  after(() => t.close());

  const waiting = async () =>
    Number(
      (
        await t.conn.db
          .selectFrom('threads')
          .where('awaiting_since', 'is not', null)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('leaves threads older than 30 days out of the inbox, says how many, and brings them in when asked', async () => {
    const html = await (await sendImport(owner, THEME, { format: 'wordpress' })).text();
    const told = /(\d+) threads? whose readers last wrote before (\d{4}-\d{2}-\d{2}) were left out of your inbox/.exec(html);
    assert.ok(told, 'the summary says how many threads were left out');
    const leftOut = Number(told[1]);
    assert.ok(leftOut > 0);
    assert.equal(told[2], new Date(t.clock.now() - 30 * 24 * 3600_000).toISOString().slice(0, 10));
    assert.equal(await waiting(), 0, 'the years-old questions of the export wait for nothing');
    assert.equal((await owner.get('/admin/inbox')).status, 200);
    assert.doesNotMatch(owner.lastHtml, /class="ib-entry"/);

    const before = /name="before" value="(\d+)"/.exec(html)?.[1] ?? '';
    const res = await owner.post('/admin/import/inbox', { before });
    assert.equal(res.status, 200);
    assert.match(await res.text(), new RegExp(`${leftOut} threads? (is|are) in your inbox now`));
    assert.equal(await waiting(), leftOut, 'each left-out thread waits again');
    await owner.get('/admin/inbox');
    assert.equal([...owner.lastHtml.matchAll(/class="ib-entry"/g)].length, Math.min(leftOut, 20));
  });
});
