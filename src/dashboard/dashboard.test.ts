// The dashboard's figures, computed from comments seeded at known times with the test clock:
// comments per day, the median wait for a first staff reply per week, the most discussed posts,
// threads awaiting a reply and newsletter subscribers; an author sees her own posts only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import { wxr } from '../../test/kits/importers.js';
import type { Staff } from '../accounts/accounts-service.js';
import { newId } from '../ids.js';
import {
  dayNumber,
  figuresOfDays,
  fillDays,
  median,
  replyTimesOfDays,
  runningTotalByWeek,
  waitText,
  weekNumber,
  weekStartOf,
} from './dashboard-figures.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

/** The figures table of one chart, as label -> value. */
function figures(html: string, chartId: string): Map<string, string> {
  const start = html.indexOf(`id="${chartId}-caption"`);
  assert.ok(start > 0, `the page has the chart ${chartId}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  return new Map([...table.matchAll(/<th scope="row">([^<]+)<\/th><td>([^<]*)<\/td>/g)].map((m) => [m[1] as string, m[2] as string]));
}

describe('the dashboard’s figures', () => {
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  let bea: Staff;
  let mo: Staff;

  before(async () => {
    t = await testApp({ now: at('2026-03-18T12:00:00Z') }); // a Wednesday; its week began Monday 16th
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    bea = await makeStaff(t, 'author', 'Bea Author');
    mo = await makeStaff(t, 'moderator', 'Mo Moderator');
    const alpha = await makePost(t, ada, { title: 'Alpha post' });
    const gamma = await makePost(t, ada, { title: 'Gamma post' });
    const beta = await makePost(t, bea, { title: 'Beta post' });
    let n = 0;
    const said = async (postId: string, when: string, o: { parentId?: string; staff?: Staff; status?: 'published' | 'pending' } = {}) => {
      n += 1;
      const staff = o.staff;
      return t.services.comments.add({
        postId,
        parentId: o.parentId ?? null,
        authorName: staff?.name ?? `Reader ${n}`,
        authorEmail: staff?.email ?? `reader${n}@example.com`,
        staff,
        markdown: `Words ${n}`,
        status: o.status ?? 'published',
        createdAt: at(when),
      });
    };
    // Long ago: outside every window, and still waiting.
    await said(alpha.id, '2025-11-01T10:00:00Z');
    // The week of March 9: Ada answers after 2 h, 24 h, and (below a reader's follow-up) 6 h.
    const a1 = await said(alpha.id, '2026-03-10T10:00:00Z');
    await said(alpha.id, '2026-03-10T12:00:00Z', { parentId: a1.id, staff: ada });
    const g1 = await said(gamma.id, '2026-03-10T09:00:00Z');
    await said(gamma.id, '2026-03-11T09:00:00Z', { parentId: g1.id, staff: ada });
    await said(gamma.id, '2026-03-12T09:00:00Z', { parentId: g1.id, staff: owner });
    const g2 = await said(gamma.id, '2026-03-10T11:00:00Z');
    const g2r = await said(gamma.id, '2026-03-10T12:00:00Z', { parentId: g2.id });
    await said(gamma.id, '2026-03-10T17:00:00Z', { parentId: g2r.id, staff: ada });
    // This week: Bea answers two of four after 1 h and 3 h; Ada's three of today wait.
    for (const [hour, wait] of [
      [8, 1],
      [9, 3],
      [10, 0],
      [11, 0],
    ] as const) {
      const c = await said(beta.id, `2026-03-16T${String(hour).padStart(2, '0')}:00:00Z`);
      if (wait)
        await said(beta.id, new Date(at(`2026-03-16T${String(hour).padStart(2, '0')}:00:00Z`) + wait * HOUR).toISOString(), {
          parentId: c.id,
          staff: bea,
        });
    }
    for (const hour of ['08', '09', '10']) await said(alpha.id, `2026-03-18T${hour}:00:00Z`);
    // Held for moderation: no reply time yet, but a first-time reader's question waits for an answer.
    await said(alpha.id, '2026-03-18T11:00:00Z', { status: 'pending' });

    const sub = (email: string, scope: string, confirmed: string | null, left: string | null = null) => ({
      id: newId(),
      email,
      scope,
      status: left ? ('unsubscribed' as const) : confirmed ? ('confirmed' as const) : ('unconfirmed' as const),
      token_hash: null,
      source: 'form',
      requested_at: at('2025-09-01T00:00:00Z'),
      created_at: at('2025-09-01T00:00:00Z'),
      confirmed_at: confirmed ? at(confirmed) : null,
      unsubscribed_at: left ? at(left) : null,
    });
    await t.conn.db
      .insertInto('subscriptions')
      .values([
        sub('s1@example.com', 'newsletter', '2025-10-01T00:00:00Z'),
        sub('s2@example.com', 'newsletter', '2025-10-01T00:00:00Z', '2026-03-03T00:00:00Z'),
        sub('s3@example.com', 'newsletter', '2026-02-10T00:00:00Z'),
        sub('s4@example.com', 'newsletter', '2026-03-17T00:00:00Z'),
        sub('s5@example.com', 'newsletter', null),
        sub('s6@example.com', `thread:${a1.id}`, '2026-03-01T00:00:00Z'),
      ])
      .execute();
  });
  after(() => t.close());

  async function dashboard(who: Staff): Promise<string> {
    const browser = new Browser(t);
    await browser.signIn(who.email);
    const res = await browser.get('/admin/');
    assert.equal(res.status, 200);
    return res.text();
  }

  it('counts an author’s readers’ comments per day over the last 30 days', async () => {
    const html = await dashboard(ada);
    const days = figures(html, 'chart-comments');
    assert.equal(days.size, 30);
    assert.equal([...days.keys()][0], 'February 17, 2026');
    assert.equal([...days.keys()][29], 'March 18, 2026');
    assert.equal(days.get('March 10, 2026'), '4');
    assert.equal(days.get('March 18, 2026'), '3');
    assert.equal(days.get('March 16, 2026'), '0', 'another author’s post is not hers');
    assert.equal(
      [...days.values()].reduce((s, v) => s + Number(v), 0),
      7,
    );
    assert.match(
      html,
      /<svg class="chart-svg" viewBox="0 0 640 220" role="img" aria-labelledby="chart-comments-title chart-comments-desc">/,
    );
    assert.match(
      html,
      /<desc id="chart-comments-desc">7 comments from readers between February 17, 2026 and March 18, 2026; the busiest day was March 10, 2026 with 4\.<\/desc>/,
    );
  });

  it('gives the owner every post’s comments', async () => {
    const days = figures(await dashboard(owner), 'chart-comments');
    assert.equal(days.get('March 16, 2026'), '4');
    assert.equal(
      [...days.values()].reduce((s, v) => s + Number(v), 0),
      11,
    );
  });

  it('shows the median time to a first staff reply, by the week the question came', async () => {
    const mine = figures(await dashboard(ada), 'chart-replies');
    assert.equal(mine.size, 12);
    assert.equal(mine.get('Week of March 9, 2026'), '6 h (3 answered questions)');
    assert.equal(mine.get('Week of March 16, 2026'), 'no answered questions (3 waiting)');
    assert.equal(mine.get('Week of December 29, 2025'), 'no answered questions');
    const all = figures(await dashboard(owner), 'chart-replies');
    assert.equal(all.get('Week of March 16, 2026'), '2 h (2 answered questions, 5 waiting)');
  });

  it('ranks the most discussed posts of the last 30 days', async () => {
    const top = (html: string) =>
      [...html.matchAll(/<li><a href="\/([a-z0-9-]+)\/">[^<]+<\/a> <span class="chart-top-count">(\d+) comments?<\/span>/g)].map(
        (m) => `${m[1]}:${m[2]}`,
      );
    assert.deepEqual(top(await dashboard(ada)), ['alpha-post:4', 'gamma-post:3']);
    assert.deepEqual(top(await dashboard(owner)), ['alpha-post:4', 'beta-post:4', 'gamma-post:3']);
  });

  it('counts the threads awaiting a reply in the viewer’s part', async () => {
    const count = (html: string) => /<span class="ws-count-value">(\d+)<\/span> (?:<a [^>]+>)?threads? awaits?/.exec(html)?.[1];
    assert.equal(count(await dashboard(ada)), '5', 'the held question waits too');
    const owned = await dashboard(owner);
    assert.equal(count(owned), '7');
    // The number leads to the inbox when the workspace has one.
    const hasInbox = owned.includes('<a href="/admin/inbox"');
    assert.equal(/<span class="ws-count-value">7<\/span> <a href="\/admin\/inbox">threads await your reply<\/a>/.test(owned), hasInbox);
  });

  it('shows the owner confirmed newsletter subscribers by week, and authors and moderators no such chart', async () => {
    const owned = await dashboard(owner);
    const weeks = figures(owned, 'chart-subscribers');
    assert.deepEqual([...weeks.values()], ['2', '2', '2', '2', '2', '2', '3', '3', '3', '2', '2', '3']);
    assert.equal([...weeks.keys()][0], 'Week of December 29, 2025');
    assert.doesNotMatch(await dashboard(ada), /chart-subscribers/);
    const moderator = await dashboard(mo);
    assert.doesNotMatch(moderator, /chart-svg/);
  });
});

describe('the dashboard’s kept days', () => {
  // Whole days' figures are kept once read; every write that changes an old day must show.
  let t: TestApp;
  let owner: Staff;
  let ada: Staff;
  let bea: Staff;
  let postId: string;
  let n = 0;
  const said = (when: string, o: { parentId?: string; staff?: Staff } = {}) => {
    n += 1;
    return t.services.comments.add({
      postId,
      parentId: o.parentId ?? null,
      authorName: o.staff?.name ?? `Reader ${n}`,
      authorEmail: o.staff?.email ?? `kept${n}@example.com`,
      staff: o.staff,
      markdown: `Kept words ${n}`,
      status: 'published',
      createdAt: at(when),
    });
  };

  before(async () => {
    t = await testApp({ now: at('2026-03-18T12:00:00Z') });
    owner = await makeStaff(t, 'owner', 'Olive Owner');
    ada = await makeStaff(t, 'author', 'Ada Author');
    bea = await makeStaff(t, 'author', 'Bea Author');
    postId = (await makePost(t, ada, { title: 'Kept post' })).id;
  });
  after(() => t.close());

  async function view(who: Staff) {
    const browser = new Browser(t);
    await browser.signIn(who.email);
    const html = await (await browser.get('/admin/')).text();
    return { days: figures(html, 'chart-comments'), replies: figures(html, 'chart-replies') };
  }

  it('keeps whole days, and shows every later change to them', async () => {
    const first = await said('2026-03-10T10:00:00Z');
    const second = await said('2026-03-10T11:00:00Z');
    await said('2026-03-18T09:00:00Z');
    let seen = await view(ada);
    assert.equal(seen.days.get('March 10, 2026'), '2');
    assert.equal(seen.days.get('March 18, 2026'), '1');
    const kept = await t.conn.db.selectFrom('comment_days').select(['day']).where('scope', '=', ada.id).execute();
    assert.equal(kept.length, 12 * 7 - 5, 'every whole day of the twelve weeks is kept, today is not');

    // Moderation of an old comment.
    await t.services.comments.act(owner, second.id, 'trash');
    assert.equal((await view(ada)).days.get('March 10, 2026'), '1');
    await t.services.comments.act(owner, second.id, 'restore');
    assert.equal((await view(ada)).days.get('March 10, 2026'), '2');

    // An answer today to a question of an old day: its week's wait.
    assert.equal(seen.replies.get('Week of March 9, 2026'), 'no answered questions (2 waiting)');
    t.clock.set(at('2026-03-18T12:30:00Z'));
    await said('2026-03-18T12:30:00Z', { parentId: first.id, staff: ada });
    seen = await view(ada);
    assert.equal(seen.replies.get('Week of March 9, 2026'), '8.1 days (1 answered question, 1 waiting)');

    // A comment written with an earlier time (as a restore writes them) and a comment deleted for good.
    await said('2026-03-12T08:00:00Z');
    assert.equal((await view(ada)).days.get('March 12, 2026'), '1');
    await t.conn.db.deleteFrom('comments').where('id', '=', second.id).execute();
    assert.equal((await view(ada)).days.get('March 10, 2026'), '1');

    // The post given to another author leaves Ada's figures and joins Bea's; the owner sees it throughout.
    assert.equal((await view(owner)).days.get('March 12, 2026'), '1');
    await t.services.posts.update(postId, { authorId: bea.id }, owner);
    assert.equal((await view(ada)).days.get('March 12, 2026'), '0');
    assert.equal((await view(bea)).days.get('March 12, 2026'), '1');
    assert.equal((await view(owner)).days.get('March 12, 2026'), '1');

    // An import writing comments on days already kept (its comments move no mark one by one).
    assert.equal((await view(owner)).days.get('March 13, 2026'), '0');
    const imported = wxr(`<item><title>Moved in</title><link>https://old.example.com/moved-in/</link><dc:creator>wren</dc:creator>
<content:encoded><![CDATA[Words.]]></content:encoded><wp:post_id>7</wp:post_id><wp:post_date_gmt>2026-03-01 10:00:00</wp:post_date_gmt>
<wp:post_name>moved-in</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>70</wp:comment_id><wp:comment_author>Old reader</wp:comment_author>
<wp:comment_author_email>old@example.com</wp:comment_author_email><wp:comment_date_gmt>2026-03-13 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[An old question.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment></item>`);
    await t.services.imports.importStream(
      'wordpress',
      (async function* () {
        yield imported;
      })(),
    );
    assert.equal((await view(owner)).days.get('March 13, 2026'), '1');
  });
});

describe('the dashboard’s arithmetic', () => {
  it('starts weeks on Monday 00:00 UTC and days at midnight UTC', () => {
    const monday = at('2026-03-16T00:00:00Z');
    assert.equal(weekStartOf(weekNumber(at('2026-03-22T23:59:59Z'))), monday);
    assert.equal(weekStartOf(weekNumber(monday)), monday);
    assert.equal(weekNumber(monday - 1), weekNumber(monday) - 1);
    assert.equal(dayNumber(at('2026-03-18T23:59:59Z')) - dayNumber(at('2026-03-18T00:00:00Z')), 0);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([]), null);
    assert.equal(median([5]), 5);
    assert.equal(median([9, 1, 4]), 4);
    assert.equal(median([1, 10, 2, 3]), 2.5);
  });

  it('fills the days and weeks without rows, and keeps a running total', () => {
    const now = at('2026-03-18T12:00:00Z');
    const days = fillDays([{ day: dayNumber(now), n: 2 }], now, 3);
    assert.deepEqual(
      days.map((d) => d.count),
      [0, 0, 2],
    );
    const replies = replyTimesOfDays(
      figuresOfDays(
        dayNumber(now) - 13,
        dayNumber(now),
        [],
        [
          { created_at: now - HOUR, first_reply: now },
          { created_at: now - 2 * HOUR, first_reply: null },
        ],
      ),
      now,
      2,
    );
    assert.deepEqual(replies[1], { weekStart: at('2026-03-16T00:00:00Z'), medianMs: HOUR, answered: 1, waiting: 1 });
    assert.equal(replies[0]?.medianMs, null);
    const week = weekNumber(now);
    assert.deepEqual(
      runningTotalByWeek(5, [{ week, n: 2 }], [{ week: week - 1, n: 1 }], now, 3).map((w) => w.count),
      [5, 4, 6],
    );
    assert.equal(waitText(45 * 60_000), '45 min');
    assert.equal(waitText(30 * HOUR), '30 h');
    assert.equal(waitText(60 * HOUR), '2.5 days');
  });
});
