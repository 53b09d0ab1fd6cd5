// Moving in carries the site's name: a WXR's channel title and description become the site's
// title and tagline where the site has none of its own, so pages, feeds and emails stop saying
// "Hearth"; the import's summary says what it took.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { importText, wxr, wxrItem } from '../../test/kits/importers.js';
import { testWorker } from '../../test/kits/notify.js';
import { summaryLine } from './import-cli.js';

/** A WXR of the old site "Wren & Co", as WordPress writes its name and tagline: escaped. */
const WREN = wxr(wxrItem(1, 'Hello orchard', [])).replace(
  '<channel><title>Test</title>',
  '<channel><title>Wren &amp;amp; Co</title><description>Notes from the &lt;em&gt;orchard&lt;/em&gt; &#8211; weekly</description>',
);

describe('an import names the site', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('gives a site without a name the export’s title and tagline: pages, feeds and emails carry them', async () => {
    const owner = await makeStaff(t, 'owner', 'Olive Owner');
    const summary = await importText(t.services.imports, 'wordpress', WREN);
    assert.deepEqual(summary.site, { title: 'Wren & Co', tagline: 'Notes from the orchard – weekly' });
    assert.match(summaryLine(summary), /site title "Wren & Co" and tagline "Notes from the orchard – weekly" taken from the export/);

    const home = await (await t.request('/')).text();
    assert.match(home, /<title>Wren &amp; Co<\/title>/);
    assert.match(home, /<meta name="description" content="Notes from the orchard – weekly"\/>/);
    assert.match(home, /<a class="site-title" href="\/">Wren &amp; Co<\/a>/);
    const feed = await (await t.request('/feed.xml')).text();
    assert.match(feed, /<channel>\s*<title>Wren &amp; Co<\/title>/);
    assert.match(feed, /<description>Notes from the orchard – weekly<\/description>/);

    // An email the site sends names it too.
    const browser = new Browser(t);
    await browser.get('/admin/reset');
    assert.equal((await browser.post('/admin/reset', { email: owner.email })).status, 200);
    await testWorker(t).drainUntilIdle();
    const token = await t.services.accounts.createToken(owner.email);
    const mail = (await (await t.request('/api/v1/admin/mail', { headers: { authorization: `Bearer ${token.token}` } })).json()) as {
      items: { subject: string }[];
    };
    assert.deepEqual(
      mail.items.map((m) => m.subject),
      ['Set a new password for Wren & Co'],
    );
  });

  it('keeps a title the owner chose, taking only the tagline still unset, and says so', async () => {
    await t.services.settings.updateSite({ title: 'My Own Place' });
    const summary = await importText(t.services.imports, 'wordpress', WREN);
    assert.deepEqual(summary.site, { title: null, tagline: 'Notes from the orchard – weekly' });
    assert.match(summaryLine(summary), /tagline "Notes from the orchard – weekly" taken from the export/);
    assert.doesNotMatch(summaryLine(summary), /site title/);
    const home = await (await t.request('/')).text();
    assert.match(home, /<title>My Own Place<\/title>/);
    assert.match(home, /content="Notes from the orchard – weekly"/);
    // A second export names nothing: the site has its name now.
    const again = await importText(t.services.imports, 'wordpress', WREN.replace('Wren &amp;amp; Co', 'Someone else'));
    assert.deepEqual(again.site, { title: null, tagline: null });
    assert.doesNotMatch(summaryLine(again), /taken from the export/);
  });

  it('tells in a dry run what it would take, and takes nothing', async () => {
    const summary = await importText(t.services.imports, 'wordpress', WREN, { dryRun: true });
    assert.deepEqual(summary.site, { title: 'Wren & Co', tagline: 'Notes from the orchard – weekly' });
    assert.match(summaryLine(summary), /site title "Wren & Co" and tagline "Notes from the orchard – weekly" to take from the export/);
    assert.match(await (await t.request('/')).text(), /<title>Hearth<\/title>/);
  });

  it('shows what it took on the workspace Import page', async () => {
    const olive = await makeStaff(t, 'owner', 'Olive Owner');
    const owner = new Browser(t);
    await owner.signIn(olive.email);
    await owner.get('/admin/import');
    const form = new FormData();
    form.set('_csrf', owner.csrf);
    form.set('format', 'wordpress');
    form.set('file', new Blob([WREN], { type: 'text/xml' }), 'export.xml');
    const res = await owner.request('/admin/import', { method: 'POST', body: form, headers: { origin: 'http://hearth.test' } });
    assert.equal(res.status, 200);
    assert.match(
      await res.text(),
      /<th scope="row">Site<\/th><td>site title &quot;Wren &amp; Co&quot; and tagline &quot;Notes from the orchard – weekly&quot; taken from the export/,
    );
  });
});
