import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { RANKED_MATCHES } from './search-store.js';

describe('searching the site', () => {
  let t: TestApp;
  const search = async (q: string) => {
    const res = await t.request(`/search?q=${encodeURIComponent(q)}`);
    assert.equal(res.status, 200, q);
    const html = await res.text();
    return { html, titles: [...html.matchAll(/<h2 class="post-summary-title"><a href="\/([^/]+)\/">/g)].map((m) => m[1]) };
  };

  before(async () => {
    t = await testApp();
    const author = await makeStaff(t);
    await makePost(t, author, {
      slug: 'on-trust',
      title: 'On trust',
      markdown: 'Trust grows slowly between partners who keep small promises.',
    });
    await makePost(t, author, {
      slug: 'small-promises',
      title: 'Small promises',
      markdown: 'Keeping a promise is a way to say I see you. Trust follows, eventually, after many ordinary days.',
    });
    await makePost(t, author, {
      slug: 'same-page',
      title: 'Getting on the same page',
      markdown: 'How do I get him on the same page with me? Start by listening.',
    });
    await makePost(t, author, { slug: 'a-draft-about-trust', title: 'Trust draft', markdown: 'trust trust trust', status: 'draft' });
  });
  after(() => t.close());

  it('ranks a post whose title matches above one that only mentions the word', async () => {
    const { titles } = await search('trust');
    assert.deepEqual(titles, ['on-trust', 'small-promises']);
  });

  it('never shows drafts', async () => {
    assert.ok(!(await search('trust')).titles.includes('a-draft-about-trust'));
  });

  it('finds a quoted phrase only where the words stand together', async () => {
    assert.deepEqual((await search('"ordinary days"')).titles, ['small-promises']);
    assert.deepEqual((await search('"days ordinary"')).titles, []);
  });

  it('matches word prefixes with a star', async () => {
    assert.deepEqual((await search('promis*')).titles.sort(), ['on-trust', 'small-promises']);
  });

  it('highlights the matched words in an escaped snippet', async () => {
    const { html } = await search('listening');
    assert.match(html, /<mark>listening<\/mark>/i);
  });

  it('answers any input without an error, including query syntax and markup', async () => {
    for (const q of ['"', 'NEAR(a b)', 'title:trust', '***', "'; drop table posts; --", '<script>alert(1)</script>', 'AND OR', '']) {
      const { html } = await search(q);
      assert.doesNotMatch(html, /<script>alert/);
    }
    const res = await t.request('/search?q=%22unbalanced');
    assert.equal(res.status, 200);
  });

  it('says plainly when nothing is found', async () => {
    assert.match((await search('zebra')).html, /Nothing found for “zebra”/);
  });
});

describe('searching a site where most posts hold the words', () => {
  // Words in most posts of a large site are ranked and counted among the newest RANKED_MATCHES
  // matching posts, so such a search costs the same at 100,000 posts as at a thousand.
  let t: TestApp;
  const MANY = RANKED_MATCHES + 10;

  before(async () => {
    t = await testApp({ now: Date.parse('2026-03-18T12:00:00Z') });
    const author = await makeStaff(t);
    for (let i = 0; i < MANY; i++) {
      await makePost(t, author, {
        slug: `garden-${i}`,
        // The oldest post is the garden post above all, and the only one about quinces.
        title: i === 0 ? 'Garden' : `Notes ${i}`,
        markdown: i === 0 ? 'The garden in winter, and the quinces.' : `A walk past the garden, day ${i}.`,
        publishedAt: Date.parse('2020-01-01T00:00:00Z') + i * 86_400_000,
      });
    }
  });
  after(() => t.close());

  it('ranks and counts the newest matches, says more match, and pages as far as those', async () => {
    const html = await (await t.request('/search?q=garden')).text();
    assert.match(html, new RegExp(`More than ${RANKED_MATCHES.toLocaleString('en-US')} posts found for “garden”`));
    assert.doesNotMatch(html, /href="\/garden-0\/"/, 'the oldest match is beyond the ranked ones');
    const perPage = 10;
    const last = Math.ceil(RANKED_MATCHES / perPage);
    assert.match(html, new RegExp(`Page 1 of ${last}<`));
    const lastPage = await (await t.request(`/search?q=garden&page=${last}`)).text();
    assert.equal([...lastPage.matchAll(/<h2 class="post-summary-title">/g)].length, perPage);
    assert.doesNotMatch(lastPage, /rel="next"/, 'the last page leads no further');
  });

  it('still finds an old post by words fewer posts hold', async () => {
    const html = await (await t.request('/search?q=garden+quinces')).text();
    assert.match(html, /1 post found/);
    assert.match(html, /href="\/garden-0\/"/);
  });
});
