import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { stemText, stemWord } from './stemming.js';

const titles = (html: string) => [...html.matchAll(/<h2 class="post-summary-title"><a href="\/([^/]+)\/">/g)].map((m) => m[1]);

describe('search in the site language', () => {
  let t: TestApp;
  const search = async (q: string) => {
    const res = await t.request(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, q);
    const html = await res.text();
    return { html, found: titles(html) };
  };

  before(async () => {
    t = await testApp();
    const author = await makeStaff(t);
    await makePost(t, author, { slug: 'canciones', title: 'Las canciones de mi abuela', markdown: 'Cantábamos canciones antiguas.' });
    await makePost(t, author, { slug: 'haeuser', title: 'Alte Häuser', markdown: 'Wir wohnten in den Häusern am Fluss.' });
  });
  after(() => t.close());

  it('stems Spanish words by Snowball when the site speaks Spanish', async () => {
    await t.services.settings.updateSite({ language: 'es' });
    // "canción" (singular, with its accent) finds "canciones"; "abuelas" finds "abuela".
    assert.deepEqual((await search('canción')).found, ['canciones']);
    assert.deepEqual((await search('abuelas')).found, ['canciones']);
    // "cantaban" and "cantábamos" share the stem "cant" in Spanish only.
    assert.deepEqual((await search('cantaban')).found, ['canciones']);
    const { html } = await search('canción');
    assert.match(html, /<mark>canciones<\/mark>/, 'the matched word is marked in the snippet, as written');
  });

  it('stems German words when the site speaks German, the index made again', async () => {
    await t.services.settings.updateSite({ language: 'de' });
    assert.deepEqual((await search('Haus')).found, ['haeuser']);
    assert.deepEqual((await search('häuser')).found, ['haeuser']);
    assert.deepEqual((await search('Flusses')).found, ['haeuser']);
  });

  it('finds what is written after the language is set, by its stems', async () => {
    const author = await makeStaff(t, 'author', 'Ana Berg');
    await makePost(t, author, { slug: 'gaerten', title: 'Gärten im Winter', markdown: 'Die Gärten schlafen.' });
    assert.deepEqual((await search('Garten')).found, ['gaerten']);
  });

  it('no longer stems by a language the site left', async () => {
    await t.services.settings.updateSite({ language: 'en' });
    assert.deepEqual((await search('cantaban')).found, []);
    assert.deepEqual((await search('canciones')).found, ['canciones']);
  });

  it('stems text the way queries are stemmed', () => {
    assert.equal(stemText('Las canciones, cantando', 'es'), 'las cancion cant');
    assert.equal(stemWord('Häusern', 'de'), 'haus');
    assert.equal(stemWord('2026', 'de'), '2026');
  });
});
