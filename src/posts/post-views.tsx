// The reader's pages for posts: listings (home, tag, author, archive month), a post, the archive
// and search.
import type { Child } from 'hono/jsx';
import type { PostRow, TagRow } from '../db/tables.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import { type Messages, messagesFor } from '../i18n/messages.js';
import { SLOT, withSlot } from '../i18n/slots.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { slugInUrl } from '../text/slug.js';
import { isoTime } from '../web/format.js';
import { Layout, type PageMeta } from '../web/layout.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import type { PostWithTags, ReadingContext } from './post-service.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthName = (month: number) => MONTHS[month - 1] ?? '';
const monthOnly = new Map<Locale, Intl.DateTimeFormat>();
/** A month's name in the page's language (the archive lists them under their year). */
const monthNameIn = (m: Messages, month: number) => {
  if (m.locale === 'en') return monthName(month);
  let f = monthOnly.get(m.locale);
  if (!f) {
    f = new Intl.DateTimeFormat(m.locale, { month: 'long', timeZone: 'UTC' });
    monthOnly.set(m.locale, f);
  }
  return f.format(Date.UTC(2000, month - 1, 15));
};

/** The language a post is read in: its own, or the site's. */
export const postLocale = (post: { language?: string | null }, site: SiteSettings): Locale =>
  isLocale(post.language) ? post.language : site.language;

const shownDate = (post: Pick<PostRow, 'published_at' | 'created_at'>) => post.published_at ?? post.created_at;

function TagLinks(props: { tags: TagRow[] }) {
  return (
    <>
      {props.tags.map((t, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={`/tag/${t.slug}/`} rel="tag">
            {t.name}
          </a>
        </>
      ))}
    </>
  );
}

function PostSummary(props: { post: PostWithTags; headingLevel: 'h2' | 'h3'; m: Messages }) {
  const { post, m } = props;
  const Heading = props.headingLevel;
  return (
    <li class="post-summary">
      <article>
        <Heading class="post-summary-title">
          <a href={`/${post.slug}/`}>{post.title}</a>
        </Heading>
        <p class="meta">
          <time datetime={isoTime(shownDate(post))}>{m.date(shownDate(post))}</time>
          {' · '}
          <a href={`/${post.slug}/#comments`} data-comment-count={post.comment_count}>
            {m.t('posts.comments', { count: post.comment_count })}
          </a>
        </p>
        {post.excerpt ? <p class="post-summary-excerpt">{post.excerpt}</p> : null}
      </article>
    </li>
  );
}

/** Newer/older links for a paged listing at `basePath` (which ends in '/'). */
function Pagination(props: { basePath: string; page: number; pages: number; query?: string; m: Messages }) {
  const { basePath, page, pages, m } = props;
  if (pages <= 1) return null;
  const extra = props.query ? `${props.query}&` : '';
  const href = (n: number) => (n === 1 && !props.query ? basePath : `${basePath}?${extra}page=${n}`);
  return (
    <nav class="pagination" aria-label={m.t('posts.pages')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {m.t('posts.newer')}
        </a>
      ) : (
        <span />
      )}
      <span>{m.t('posts.pageOf', { page, pages })}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {m.t('posts.older')}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

export interface ListingProps {
  site: SiteSettings;
  meta: PageMeta;
  heading: string;
  /** Hidden heading on the home page, where the site title already names the page. */
  headingHidden?: boolean;
  intro?: Child;
  posts: PostWithTags[];
  basePath: string;
  page: number;
  pages: number;
}

export function ListingPage(props: ListingProps) {
  const m = messagesFor(props.site.language);
  return (
    <Layout site={props.site} meta={props.meta}>
      <h1 class={props.headingHidden ? 'visually-hidden' : 'page-title'}>{props.heading}</h1>
      {props.intro}
      {props.posts.length === 0 ? <p>{m.t('posts.nothingHere')}</p> : null}
      <ol class="post-list">
        {props.posts.map((post) => (
          <PostSummary post={post} headingLevel="h2" m={m} />
        ))}
      </ol>
      <Pagination basePath={props.basePath} page={props.page} pages={props.pages} m={m} />
    </Layout>
  );
}

export interface PostPageProps {
  site: SiteSettings;
  baseUrl: string;
  post: PostWithTags;
  context: ReadingContext;
  /** The conversation under the post, rendered by the comments feature. */
  conversation: Child;
  scripts?: string[];
  /** Bookmarks and mentions from other sites (Webmention), by kind. */
  mentions?: Partial<Record<'bookmark' | 'mention', number>> | undefined;
  /** Likes and boosts, from the fediverse and the web together. */
  reactions?: { likes: number; boosts: number } | undefined;
}

/** What other sites did with the post besides liking, boosting or replying. */
const MENTION_KINDS = ['bookmark', 'mention'] as const;

/** "3 likes · 1 boost" above the conversation; nothing when no one has reacted yet. */
function Reactions(props: { counts: { likes: number; boosts: number } | undefined; m: ReturnType<typeof messagesFor> }) {
  const { counts, m } = props;
  const shown = [
    counts && counts.likes > 0 ? m.t('reactions.likes', { count: counts.likes }) : null,
    counts && counts.boosts > 0 ? m.t('reactions.boosts', { count: counts.boosts }) : null,
  ].filter((s) => s !== null);
  return shown.length === 0 ? null : <p class="meta post-reactions">{shown.join(' · ')}</p>;
}

export function PostPage(props: PostPageProps) {
  const { site, post, context, baseUrl } = props;
  const url = `${baseUrl}/${slugInUrl(post.slug)}/`;
  const published = shownDate(post);
  const image = post.cover_image ? new URL(post.cover_image, `${baseUrl}/`).href : null;
  const isPost = post.kind === 'post';
  const locale = postLocale(post, site);
  const m = messagesFor(locale);
  const meta: PageMeta = {
    locale,
    title: post.meta_title || post.title,
    description: post.meta_description || post.excerpt,
    canonical: url,
    webmention: `${baseUrl}/webmention`,
    activityPub: isPost ? `${baseUrl}/ap/posts/${post.id}` : undefined,
    type: isPost ? 'article' : 'website',
    image,
    publishedTime: isPost ? isoTime(published) : undefined,
    modifiedTime: isPost ? isoTime(post.updated_at) : undefined,
    // The embed loader only where the post holds an embed (click-to-load players).
    scripts: post.html.includes('data-embed-src') ? [...(props.scripts ?? []), 'embeds.js'] : props.scripts,
    structured: isPost
      ? {
          '@context': 'https://schema.org',
          '@type': 'BlogPosting',
          headline: post.title,
          description: post.meta_description || post.excerpt,
          datePublished: isoTime(published),
          dateModified: isoTime(post.updated_at),
          mainEntityOfPage: url,
          url,
          ...(image ? { image } : {}),
          ...(context.author
            ? { author: { '@type': 'Person', name: context.author.name, url: `${baseUrl}/author/${context.author.slug}/` } }
            : {}),
          publisher: { '@type': 'Organization', name: site.title, url: `${baseUrl}/` },
          commentCount: post.comment_count,
          keywords: post.tags.map((t) => t.name).join(', '),
        }
      : undefined,
  };
  return (
    <Layout site={site} meta={meta}>
      <article class="post">
        <header class="post-header">
          <h1>{post.title}</h1>
          {isPost ? (
            <p class="meta">
              <time datetime={isoTime(published)}>{m.date(published)}</time>
              {context.author ? (
                <>
                  {' · '}
                  {withSlot(
                    m.t('posts.by', { name: SLOT }),
                    <a href={`/author/${context.author.slug}/`} rel="author">
                      {context.author.name}
                    </a>,
                  )}
                </>
              ) : null}
              {post.tags.length > 0 ? (
                <>
                  {' · '}
                  <TagLinks tags={post.tags} />
                </>
              ) : null}
            </p>
          ) : null}
        </header>
        {post.cover_image ? <img class="cover" src={post.cover_image} alt="" /> : null}
        <div class="post-body">{sanitizedHtml(post.html)}</div>
        {MENTION_KINDS.some((k) => (props.mentions?.[k] ?? 0) > 0) ? (
          <p class="meta web-mentions">
            {m.t('webmention.fromWeb')}:{' '}
            {MENTION_KINDS.filter((k) => (props.mentions?.[k] ?? 0) > 0)
              .map((k) => m.t(`webmention.${k}`, { count: props.mentions?.[k] ?? 0 }))
              .join(' · ')}
          </p>
        ) : null}
      </article>
      {context.previous || context.next ? (
        <nav class="post-nav" aria-label={m.t('posts.morePosts')}>
          {context.next ? (
            <a href={`/${context.next.slug}/`} rel="next">
              <span class="post-nav-label">{m.t('posts.newerLabel')}</span> {context.next.title}
            </a>
          ) : (
            <span />
          )}
          {context.previous ? (
            <a href={`/${context.previous.slug}/`} rel="prev">
              <span class="post-nav-label">{m.t('posts.olderLabel')}</span> {context.previous.title}
            </a>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
      <Reactions counts={props.reactions} m={m} />
      {props.conversation}
      {context.readNext.length > 0 ? (
        <aside class="read-next" aria-labelledby="read-next-heading">
          <h2 id="read-next-heading">{m.t('posts.readNext')}</h2>
          <ul>
            {context.readNext.map((p) => (
              <li>
                <a href={`/${p.slug}/`}>{p.title}</a>
                {p.excerpt ? <p>{p.excerpt}</p> : null}
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </Layout>
  );
}

export function ArchivePage(props: { site: SiteSettings; baseUrl: string; months: { year: number; month: number; count: number }[] }) {
  const years = [...new Set(props.months.map((m) => m.year))];
  const msg = messagesFor(props.site.language);
  return (
    <Layout site={props.site} meta={{ title: msg.t('archive.title'), canonical: `${props.baseUrl}/archive/` }}>
      <h1 class="page-title">{msg.t('archive.title')}</h1>
      {years.length === 0 ? <p>{msg.t('posts.nothingYet')}</p> : null}
      {years.map((year) => (
        <section class="archive-year" aria-labelledby={`year-${year}`}>
          <h2 id={`year-${year}`}>{year}</h2>
          <ul class="archive-months">
            {props.months
              .filter((m) => m.year === year)
              .map((m) => (
                <li>
                  <a href={`/archive/${m.year}/${String(m.month).padStart(2, '0')}/`}>{monthNameIn(msg, m.month)}</a>{' '}
                  <span class="meta">({msg.t('posts.count', { count: m.count })})</span>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

export interface SearchPageProps {
  site: SiteSettings;
  query: string;
  hits: { slug: string; title: string; published_at: number | null; snippetHtml: string; excerpt: string }[];
  total: number;
  /** More posts match than `total`, where counting stopped. */
  more: boolean;
  page: number;
  pages: number;
}

export function SearchPage(props: SearchPageProps) {
  const { query, hits, total } = props;
  const m = messagesFor(props.site.language);
  return (
    <Layout site={props.site} meta={{ title: query ? m.t('search.titleFor', { query }) : m.t('search.title'), noindex: true }}>
      <h1 class="page-title">{m.t('search.title')}</h1>
      <form class="search-form" role="search" action="/search" method="get">
        <label for="search-q">{m.t('search.label')}</label>
        <div class="search-row">
          <input id="search-q" type="search" name="q" value={query} />
          <button type="submit">{m.t('search.button')}</button>
        </div>
        <p class="hint">{m.t('search.hint')}</p>
      </form>
      {query ? (
        <p class="meta" role="status">
          {total === 0
            ? m.t('search.none', { query })
            : props.more
              ? m.t('search.foundMore', { count: total, query })
              : m.t('search.found', { count: total, query })}
        </p>
      ) : null}
      <ol class="post-list search-results">
        {hits.map((hit) => (
          <li class="post-summary">
            <h2 class="post-summary-title">
              <a href={`/${hit.slug}/`}>{hit.title}</a>
            </h2>
            {hit.published_at ? (
              <p class="meta">
                <time datetime={isoTime(hit.published_at)}>{m.date(hit.published_at)}</time>
              </p>
            ) : null}
            <p class="snippet">{hit.snippetHtml ? sanitizedHtml(hit.snippetHtml) : hit.excerpt}</p>
          </li>
        ))}
      </ol>
      <Pagination basePath="/search" page={props.page} pages={props.pages} query={`q=${encodeURIComponent(query)}`} m={m} />
    </Layout>
  );
}
