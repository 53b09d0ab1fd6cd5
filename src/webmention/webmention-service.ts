// Webmention (W3C Recommendation), both ways. Receiving: a request is checked at once (the target
// is a post here, the source another http(s) address) and queued; the worker then fetches the
// source within limits, and a reply becomes a comment under the site's moderation (origin 'web'),
// a like, repost, bookmark or mention is counted, an updated source updates, a gone one removes.
// Sending: when a post is published, goes live at its scheduled time, is updated or is deleted,
// each page it links to (and each it no longer links to) is asked for its endpoint and told,
// through the outbox with retries. A deleted post's address answers 410, which is how a receiver
// verifying the mention learns it is gone (W3C Webmention 3.2.3 and 3.1.4).
import { randomBytes } from 'node:crypto';
import type { ChangeFeed } from '../cache/change-feed.js';
import type { Clock } from '../clock.js';
import { checkReaderWords } from '../comments/comment-form.js';
import type { CommentService } from '../comments/comment-service.js';
import type { Db } from '../db/connect.js';
import type { PostRow, WebmentionKind, WebmentionRow } from '../db/tables.js';
import { BadRequestError, TooManyError } from '../errors.js';
import { hashToken, newId } from '../ids.js';
import type { RateLimiter } from '../moderation/rate-limiter.js';
import { enqueue } from '../notify/outbox.js';
import { type FetchLimits, RefusedFetchError, safeFetch } from './safe-fetch.js';
import { discoverEndpoint, linksTo, outgoingLinks, readSource } from './source-reading.js';
import * as store from './webmention-store.js';

export const WEBMENTION_JOBS = ['webmention.verify', 'webmention.post', 'webmention.send'] as const;
/** Webmentions one address may send in an hour. */
const PER_HOUR = 60;
const MAX_URL = 2000;

export interface WebmentionService {
  /** Checks and queues a received Webmention; its id names its status page. */
  receive(source: string, target: string, ip: string | null): Promise<{ id: string }>;
  status(id: string): Promise<WebmentionRow | undefined>;
  counts(postId: string): Promise<Partial<Record<WebmentionKind, number>>>;
  recent(limit: number): Promise<{ rows: store.RecentMention[]; total: number }>;
  /**
   * A published post or its update: its links are to be told (queued in the caller's transaction),
   * from `at` when given (a scheduled post, told when it goes live).
   */
  postChanged(trx: Db, postId: string, now: number, at?: number): Promise<void>;
  /** A post about to be deleted: every page it linked to is told, and finds its address answering 410. */
  postDeleted(trx: Db, post: PostRow, now: number): Promise<void>;
  /** The worker's side: one queued job. Throws when it should be tried again later. */
  run(kind: string, payload: Record<string, unknown>): Promise<string | undefined>;
}

export interface WebmentionDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  comments: Pick<CommentService, 'submit' | 'originEdit' | 'originDelete' | 'settings'>;
  limiter: RateLimiter;
  changes: ChangeFeed;
  limits: FetchLimits;
  /** Benchmarks and tests of floods only: no rate limit. */
  relaxed?: boolean;
}

const postUrl = (baseUrl: string, post: Pick<PostRow, 'slug'>) => `${baseUrl}/${post.slug}/`;

/** Trouble the sender can do nothing about now: worth trying again later (a 5xx, a refused connection). */
class TryLater extends Error {}

export function createWebmentionService(deps: WebmentionDeps): WebmentionService {
  const { db, clock, baseUrl } = deps;
  const site = new URL(baseUrl);

  async function targetPost(target: string, now: number): Promise<PostRow> {
    const u = URL.canParse(target) ? new URL(target) : null;
    if (!u || u.origin !== site.origin) throw new BadRequestError('The target is not an address of this site.');
    const slug = /^\/([^/]+)\/?$/.exec(u.pathname)?.[1];
    const post = slug ? await store.findPublishedPost(db, decodeURIComponent(slug), now) : undefined;
    if (!post) throw new BadRequestError('The target is not a post of this site that accepts Webmentions.');
    return post;
  }

  async function verify(id: string): Promise<string | undefined> {
    const row = await store.findMention(db, id);
    if (!row) return 'gone';
    const post = await store.findPost(db, row.post_id);
    if (!post) return 'post gone';
    const now = clock.now();
    let page: Awaited<ReturnType<typeof safeFetch>>;
    try {
      page = await safeFetch(row.source, {}, deps.limits);
    } catch (err) {
      if (err instanceof RefusedFetchError) return settle(row, post, { refused: err.message });
      throw err;
    }
    if (page.status === 410) return settle(row, post, { removed: 'The source page is gone (410).' });
    if (page.status >= 500) throw new TryLater(`the source answered ${page.status}`);
    if (page.status < 200 || page.status > 299) return settle(row, post, { refused: `The source answered ${page.status}.` });
    if (!linksTo(page.body, page.url, row.target)) {
      return row.status === 'verified'
        ? settle(row, post, { removed: 'The source no longer links to the post.' })
        : settle(row, post, { refused: 'The source does not link to the post.' });
    }
    const reading = readSource(page.body, page.url, postUrl(baseUrl, post));
    let commentId = row.comment_id;
    if (reading.kind === 'reply') {
      const words = reading.text || `Replied on ${new URL(row.source).host}.`;
      if (commentId) await deps.comments.originEdit(commentId, words);
      else commentId = await newComment(post, row, reading, words);
    } else if (commentId) {
      // It was a reply and is now a like or a mention: the reply's words are gone from the thread.
      await deps.comments.originDelete(commentId);
      commentId = null;
    }
    await store.updateMention(db, row.id, {
      status: 'verified',
      kind: reading.kind,
      comment_id: commentId,
      author_name: reading.author.name?.slice(0, 200) ?? null,
      author_url: reading.author.url?.slice(0, MAX_URL) ?? null,
      note: null,
      checked_at: now,
    });
    await deps.changes.publish({ scope: 'post', postId: post.id });
    return reading.kind;
  }

  async function newComment(post: PostRow, row: WebmentionRow, reading: ReturnType<typeof readSource>, words: string) {
    const host = new URL(row.source).host;
    const authorUrl = reading.author.url && /^https?:\/\//i.test(reading.author.url) ? reading.author.url : '';
    const name = (reading.author.name || host).slice(0, 80);
    // A web page has no email address: one per site keeps "first time here" meaningful.
    const email = `${(authorUrl ? new URL(authorUrl).hostname : new URL(row.source).hostname).replace(/[^a-z0-9.-]/gi, '')}@webmention.invalid`;
    // The form's rules hold for words from the web too: a page over the site's limit is refused.
    const checked = checkReaderWords({ name, email, website: authorUrl.slice(0, 500), body: words }, await deps.comments.settings());
    const base = {
      post,
      words: checked,
      notify: false,
      private: false,
      honeypotFilled: false,
      credentialHash: hashToken(randomBytes(32).toString('base64url')),
      ip: null,
      userAgent: 'webmention',
      replyChosen: true,
      origin: { kind: 'web' as const, url: row.source },
    };
    const result = await deps.comments.submit({ ...base, parentId: reading.parentCommentId }).catch(async (err: unknown) => {
      // A reply to a comment that is not (or no longer) here answers the post itself.
      if (reading.parentCommentId && (err as { code?: string }).code === 'invalid')
        return deps.comments.submit({ ...base, parentId: null });
      throw err;
    });
    return result.kind === 'posted' ? result.comment.id : null;
  }

  async function settle(row: WebmentionRow, post: PostRow, outcome: { refused: string } | { removed: string }): Promise<string> {
    const now = clock.now();
    if ('removed' in outcome) {
      if (row.comment_id) await deps.comments.originDelete(row.comment_id);
      await store.updateMention(db, row.id, { status: 'removed', note: outcome.removed, checked_at: now });
      await deps.changes.publish({ scope: 'post', postId: post.id });
      return 'removed';
    }
    // Never verified, or a new claim that does not hold: what was verified before stays as it was.
    if (row.status !== 'verified') await store.updateMention(db, row.id, { status: 'refused', note: outcome.refused, checked_at: now });
    return 'refused';
  }

  async function planSends(postId: string): Promise<string> {
    const post = await store.findPost(db, postId);
    const now = clock.now();
    // A scheduled post is live once its time has come, with no change of status (post-store's visibleAt).
    const visible = (post?.status === 'published' || post?.status === 'scheduled') && (post.published_at ?? now + 1) <= now;
    if (!post || !visible) return 'not published';
    const url = postUrl(baseUrl, post);
    const links = outgoingLinks(post.html, url, baseUrl);
    const before = await store.sendsOf(db, postId);
    const dropped = before.filter((s) => s.linked === 1 && !links.includes(s.target)).map((s) => s.target);
    for (const target of [...links, ...dropped]) {
      await enqueue(
        db,
        { kind: 'webmention.send', payload: { postId, target, linked: links.includes(target) } },
        `webmention.send:${newId(now)}`,
        now,
      );
    }
    return `${links.length} linked, ${dropped.length} unlinked`;
  }

  /** Tells `target` of the post; a deleted post is named by the address it had (`goneSource`), now answering 410. */
  async function send(postId: string, target: string, linked: boolean, goneSource: string | undefined): Promise<string> {
    const post = await store.findPost(db, postId);
    const source = post ? postUrl(baseUrl, post) : goneSource;
    if (!source) return 'post gone';
    const now = clock.now();
    // A deleted post's sends went with it: the outbox row keeps what happened.
    const record = async (endpoint: string | null, status: 'sent' | 'no-endpoint' | 'failed') => {
      if (post) await store.recordSend(db, { post_id: postId, target, endpoint, status, linked: linked ? 1 : 0, sent_at: now });
    };
    let endpoint: string | null;
    try {
      const page = await safeFetch(target, {}, deps.limits);
      if (page.status >= 500) throw new TryLater(`${target} answered ${page.status}`);
      const html = /html/i.test(String(page.headers['content-type'] ?? '')) ? page.body : null;
      endpoint = discoverEndpoint(page.url, page.headers.link, html);
      if (!endpoint) {
        await record(null, 'no-endpoint');
        return 'no endpoint';
      }
      const answer = await safeFetch(endpoint, { method: 'POST', form: { source, target } }, deps.limits);
      if (answer.status >= 500 || answer.status === 429) throw new TryLater(`${endpoint} answered ${answer.status}`);
      await record(endpoint, answer.status >= 200 && answer.status < 300 ? 'sent' : 'failed');
      return `${endpoint} answered ${answer.status}`;
    } catch (err) {
      if (err instanceof RefusedFetchError) {
        await record(null, 'failed');
        return err.message;
      }
      throw err;
    }
  }

  return {
    async receive(source, target, ip) {
      const now = clock.now();
      if (!source || !target) throw new BadRequestError('Send both source and target, form-encoded.');
      if (source.length > MAX_URL || target.length > MAX_URL) throw new BadRequestError(`Addresses may be at most ${MAX_URL} characters.`);
      if (!URL.canParse(source) || !/^https?:$/.test(new URL(source).protocol))
        throw new BadRequestError('The source must be an http or https address.');
      if (!URL.canParse(target) || !/^https?:$/.test(new URL(target).protocol))
        throw new BadRequestError('The target must be an http or https address.');
      if (source === target) throw new BadRequestError('The source and the target are the same address.');
      const post = await targetPost(target, now);
      if (!deps.relaxed) {
        const verdict = await deps.limiter.hit(`webmention-ip:${ip ?? 'unknown'}`, PER_HOUR, 3600, now);
        if (!verdict.ok) throw new TooManyError('Too many Webmentions from this address; try again later.', verdict.retryAfterSeconds);
      }
      const id = await db.transaction().execute(async (trx) => {
        const known = await store.findBySource(trx, source, post.id);
        const id = known?.id ?? newId(now);
        if (known) await store.updateMention(trx, id, { target, received_at: now, note: null });
        else
          await store.insertMention(trx, {
            id,
            post_id: post.id,
            source,
            target,
            status: 'queued',
            kind: null,
            comment_id: null,
            author_name: null,
            author_url: null,
            note: null,
            received_at: now,
            checked_at: null,
          });
        await enqueue(trx, { kind: 'webmention.verify', payload: { id } }, `webmention.verify:${newId(now)}`, now);
        return id;
      });
      return { id };
    },
    status: (id) => store.findMention(db, id),
    counts: (postId) => store.countsFor(db, postId),
    recent: (limit) => store.recentMentions(db, limit),
    async postChanged(trx, postId, now, at) {
      // Each edit of a post still waiting for its time queues nothing more: one job per post and time.
      const key = at === undefined ? `webmention.post:${postId}:${newId(now)}` : `webmention.post:${postId}:at-${at}`;
      await enqueue(trx, { kind: 'webmention.post', payload: { postId } }, key, now, at ?? now);
    },
    async postDeleted(trx, post, now) {
      const source = postUrl(baseUrl, post);
      const linked = outgoingLinks(post.html, source, baseUrl);
      const told = (await store.sendsOf(trx, post.id)).filter((s) => s.linked === 1).map((s) => s.target);
      for (const target of new Set([...linked, ...told])) {
        await enqueue(
          trx,
          { kind: 'webmention.send', payload: { postId: post.id, target, linked: false, source } },
          `webmention.send:${newId(now)}`,
          now,
        );
      }
    },
    async run(kind, payload) {
      if (kind === 'webmention.verify') return verify(String(payload.id));
      if (kind === 'webmention.post') return planSends(String(payload.postId));
      if (kind === 'webmention.send')
        return send(
          String(payload.postId),
          String(payload.target),
          payload.linked !== false,
          typeof payload.source === 'string' ? payload.source : undefined,
        );
      return undefined;
    },
  };
}
