// The page frame every public page shares: head (SEO, social cards, feeds), skip link, header with
// navigation, footer. No scripts unless a page asks for one, and never inline ones.
import type { Child } from 'hono/jsx';
import type { Locale } from '../i18n/locales.js';
import { messagesFor } from '../i18n/messages.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { HtmlDocument, SiteIcon } from './document.js';
import { jsonLd } from './trusted-html.js';

export interface PageMeta {
  title: string;
  description?: string | undefined;
  canonical?: string | undefined;
  /** OpenGraph type: website for listings, article for posts. */
  type?: 'website' | 'article';
  image?: string | null | undefined;
  publishedTime?: string | undefined;
  modifiedTime?: string | undefined;
  /** Structured data for search engines (schema.org). */
  structured?: Record<string, unknown> | undefined;
  /** Alternate feed links beyond the site's own. */
  feeds?: { title: string; href: string; type?: string }[] | undefined;
  noindex?: boolean;
  /** Enhancement scripts from public/, loaded deferred. */
  scripts?: string[] | undefined;
  /** The page's language when it is not the site's: a post written in another. */
  locale?: Locale | undefined;
  /** Where this page takes Webmentions (W3C), advertised in the head as well as the Link header. */
  webmention?: string | undefined;
  /** The page's ActivityPub object, for fediverse servers given the page's address (as Mastodon's search is). */
  activityPub?: string | undefined;
}

export function Layout(props: { site: SiteSettings; meta: PageMeta; children?: Child }) {
  const { site, meta } = props;
  const title = meta.title === site.title ? site.title : `${meta.title} · ${site.title}`;
  const description = meta.description || site.description;
  const m = messagesFor(meta.locale ?? site.language);
  return (
    <HtmlDocument lang={m.locale} dir={m.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        {meta.canonical ? <link rel="canonical" href={meta.canonical} /> : null}
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        <meta name="color-scheme" content="light dark" />
        <meta property="og:site_name" content={site.title} />
        <meta property="og:type" content={meta.type ?? 'website'} />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={description} />
        {meta.canonical ? <meta property="og:url" content={meta.canonical} /> : null}
        {meta.image ? <meta property="og:image" content={meta.image} /> : null}
        {meta.publishedTime ? <meta property="article:published_time" content={meta.publishedTime} /> : null}
        {meta.modifiedTime ? <meta property="article:modified_time" content={meta.modifiedTime} /> : null}
        <meta name="twitter:card" content={meta.image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={meta.title} />
        <meta name="twitter:description" content={description} />
        <link rel="alternate" type="application/rss+xml" title={`${site.title} (RSS)`} href="/feed.xml" />
        <link rel="alternate" type="application/atom+xml" title={`${site.title} (Atom)`} href="/atom.xml" />
        <link rel="alternate" type="application/feed+json" title={`${site.title} (JSON Feed)`} href="/feed.json" />
        {(meta.feeds ?? []).map((f) => (
          <link rel="alternate" type={f.type ?? 'application/rss+xml'} title={f.title} href={f.href} />
        ))}
        {meta.webmention ? <link rel="webmention" href={meta.webmention} /> : null}
        {meta.activityPub ? <link rel="alternate" type="application/activity+json" href={meta.activityPub} /> : null}
        <SiteIcon />
        <link rel="stylesheet" href="/assets/style.css" />
        {(meta.scripts ?? []).map((src) => (
          <script src={`/assets/${src}`} defer />
        ))}
        {meta.structured ? jsonLd(meta.structured) : null}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {m.t('layout.skip')}
        </a>
        <header class="site-header">
          <a class="site-title" href="/">
            {site.title}
          </a>
          <nav aria-label={m.t('layout.siteNav')}>
            <ul>
              {site.navigation.map((link) => (
                <li>
                  <a href={link.url}>{link.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <form class="site-search" role="search" action="/search" method="get">
            <label class="visually-hidden" for="site-search-q">
              {m.t('layout.search')}
            </label>
            <input id="site-search-q" type="search" name="q" placeholder={m.t('layout.search')} />
          </form>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site-footer">
          <p>{site.footer || site.description}</p>
          <p>
            <a href="/feed.xml">{m.t('layout.rss')}</a> · <a href="/archive/">{m.t('layout.archive')}</a>
          </p>
        </footer>
      </body>
    </HtmlDocument>
  );
}
