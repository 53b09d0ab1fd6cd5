// A thread's HTML as every reader sees it, rendered when the thread changes and kept in
// threads.public_html, so a post page reads one row per thread rather than each comment's dozen
// values, and writes each thread as one piece. Triggers (migration 011) empty the kept HTML on
// every write that could change it; the comment services render it again in the same transaction
// (src/comments/comment-writes.ts), through the hook main.ts hands them (KeptThreads). Any other write (an import, a data erasure, a role change, the
// command line) leaves it empty: a page that meets an empty or outdated thread is rendered from
// the comments instead, exactly as before, and asks the keeper here to render the thread.
// Pages show nothing else differently: a thread reads the same on every page, in either order and
// for every reader (personal views, with a writer's own held or private words, are never kept).
import type { Logger } from 'pino';
import type { Db } from '../../db/connect.js';
import { lockRows } from '../../db/dialect.js';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../i18n/locales.js';
import { messagesFor } from '../../i18n/messages.js';
import type { ShownCommentRow } from '../comment-store.js';
import * as store from '../comment-store.js';
import type { KeptThreads, ShownComment } from '../comment-types.js';
import { buildThread } from '../thread.js';
import { writeComment } from './comment-item.js';

/** Bumped whenever the markup of a comment changes: every kept thread is then rendered again. */
const THREAD_HTML_VERSION = 4;

/** What every key of this renderer at this depth starts with (the language follows). */
export function threadHtmlKeyPrefix(maxDepth: number): string {
  return `${THREAD_HTML_VERSION}:${maxDepth}:`;
}

/**
 * What kept HTML must have been rendered with to be shown: this renderer, this reply depth, this
 * language (the post's, or the site's): a thread's words and dates are in its post's language.
 */
export function threadHtmlKey(maxDepth: number, locale: Locale): string {
  return `${threadHtmlKeyPrefix(maxDepth)}${locale}`;
}

/** The HTML of one thread's published public comments (comment-item.ts, as any page writes them). */
function renderThread(rows: ShownComment[], slug: string, maxDepth: number, locale: Locale): string {
  const out: string[] = [];
  const ctx = { slug, avatars: new Map<string, string>(), m: messagesFor(locale) };
  for (const node of buildThread(rows, maxDepth)) writeComment(node, ctx, out);
  return out.join('');
}

/** Renders and keeps the HTML of these threads, in the caller's transaction. */
export async function renderThreadsIn(
  trx: Db,
  rootIds: readonly string[],
  maxDepth: number,
  siteLocale: Locale = DEFAULT_LOCALE,
): Promise<void> {
  if (rootIds.length === 0) return;
  // Held until the transaction ends, so a comment written meanwhile (by another process) waits and
  // then empties what is kept here, rather than being missed by it. SQLite's single writer does the same.
  await lockRows(trx, trx.selectFrom('threads').select('root_id').where('root_id', 'in', rootIds).orderBy('root_id'));
  for (const root of rootIds) {
    const rows = await store.publicRowsOfThread(trx, root);
    const shown: ShownComment[] = rows.map((row) => Object.assign(row, { mine: false, editable_until: null, markdown: null }));
    const slug = rows[0]?.post_slug;
    const language = rows[0]?.post_language;
    const locale = isLocale(language) ? language : siteLocale;
    await store.keepThreadHtml(
      trx,
      root,
      slug === undefined ? null : renderThread(shown, slug, maxDepth, locale),
      threadHtmlKey(maxDepth, locale),
    );
  }
}

/**
 * A new thread's HTML from its first comment as written, as renderThreadsIn would keep it from the
 * row. For a reader's comment: a staff writer's role badge would need a read.
 */
export function renderFirstComment(
  comment: ShownCommentRow,
  post: { slug: string; language: string | null },
  maxDepth: number,
  siteLocale: Locale,
): { html: string | null; key: string } {
  const locale = isLocale(post.language) ? post.language : siteLocale;
  const key = threadHtmlKey(maxDepth, locale);
  if (comment.status !== 'published' || comment.visibility !== 'public') return { html: null, key };
  const shown: ShownComment = { ...comment, author_role: null, mine: false, editable_until: null, markdown: null };
  return { html: renderThread([shown], post.slug, maxDepth, locale), key };
}

export interface ThreadHtmlKeeper extends KeptThreads {
  /** Renders every thread whose kept HTML is empty or outdated (at start, after an import). */
  fillAll(): Promise<number>;
  /** Resolves once nothing waits to be rendered. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 200;

export function createThreadHtmlKeeper(deps: {
  db: Db;
  maxDepth: () => Promise<number>;
  /** The site's language: threads of posts without one of their own are rendered in it. */
  siteLocale?: (() => Promise<Locale>) | undefined;
  log?: Logger | undefined;
}): ThreadHtmlKeeper {
  const siteLocale = async () => (deps.siteLocale ? await deps.siteLocale() : DEFAULT_LOCALE);
  const wanted = new Set<string>();
  let running: Promise<void> | undefined;
  let stopped = false;

  async function renderSafely(roots: string[]): Promise<void> {
    try {
      const [maxDepth, locale] = await Promise.all([deps.maxDepth(), siteLocale()]);
      await deps.db.transaction().execute((trx) => renderThreadsIn(trx, roots, maxDepth, locale));
    } catch (err) {
      // Nothing is lost: the pages that show these threads render them from the comments and ask again.
      deps.log?.warn({ err, threads: roots.length }, 'thread HTML not rendered');
    }
  }

  async function drain(): Promise<void> {
    while (wanted.size > 0 && !stopped) {
      const batch: string[] = [];
      for (const root of wanted) {
        batch.push(root);
        if (batch.length === BATCH) break;
      }
      for (const root of batch) wanted.delete(root);
      await renderSafely(batch);
    }
  }

  function schedule(): void {
    // After the current request's work: renders many changed threads in one transaction.
    running ??= new Promise((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      running = undefined;
      if (wanted.size > 0 && !stopped) schedule();
    });
  }

  return {
    key: threadHtmlKey,
    renderIn: renderThreadsIn,
    renderFirst: renderFirstComment,
    want(rootIds) {
      if (stopped) return;
      for (const root of rootIds) wanted.add(root);
      if (wanted.size > 0) schedule();
    },
    async fillAll() {
      let rendered = 0;
      let after = '';
      while (!stopped) {
        const prefix = threadHtmlKeyPrefix(await deps.maxDepth());
        const roots = await store.threadsWithStaleHtml(deps.db, prefix, await siteLocale(), BATCH, after);
        if (roots.length === 0) break;
        await renderSafely(roots);
        rendered += roots.length;
        after = roots[roots.length - 1] as string;
      }
      return rendered;
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      wanted.clear();
      await running;
    },
  };
}
