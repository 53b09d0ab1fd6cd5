// "Read next" under a post, over HTTP: posts sharing more tags first, and shared tags weighed only
// among each tag's newest 200 posts, so a site of 100,000 posts reads 200 a tag (bench/SCALE.md).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { Staff } from '../accounts/accounts-service.js';

/** The titles "read next" offers on a page, in order. */
function readNext(html: string): string[] {
  const aside = html.slice(html.indexOf('class="read-next"'));
  return [...aside.slice(0, aside.indexOf('</aside>')).matchAll(/<li><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1] as string);
}

describe('read next', () => {
  let t: TestApp;
  let ada: Staff;
  const post = (title: string, tags: string[]) => {
    t.clock.advance(60_000);
    return makePost(t, ada, { title, tags, markdown: 'Plain words.' });
  };

  before(async () => {
    t = await testApp();
    ada = await makeStaff(t, 'owner', 'Ada Author');
  });
  after(() => t.close());

  it('offers the posts that share the most tags first', async () => {
    const both = await post('Quiet evenings', ['Family', 'Grief']);
    const one = await post('Loud mornings', ['Family']);
    await post('Unrelated matters', ['Cooking']);
    const here = await post('What the house remembers', ['Family', 'Grief']);
    const offered = readNext(await (await t.app.request(`/${here.slug}/`)).text());
    assert.deepEqual(offered.slice(0, 2), [both.title, one.title]);
    assert.ok(!offered.includes('Unrelated matters'));
  });

  it('weighs a shared tag only among the tag’s newest 200 posts', async () => {
    // The oldest shares the tag and its title's words: without the bound it would come first.
    const oldest = await post('Lighthouse keeper letters', ['Lighthouse']);
    for (let i = 0; i < 200; i++) await post(`Harbour note ${i}`, ['Lighthouse']);
    const here = await post('Lighthouse keeper answers', ['Lighthouse']);
    const offered = readNext(await (await t.app.request(`/${here.slug}/`)).text());
    assert.equal(offered.length, 3);
    assert.ok(!offered.includes(oldest.title), 'past the newest 200 of its tag, a title match alone does not outweigh a shared tag');
  });
});
