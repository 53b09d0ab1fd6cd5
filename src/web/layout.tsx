// The page frame every public page shares: head, skip link, header with navigation, footer.
import type { Child } from 'hono/jsx';
import type { SiteSettings } from '../settings/settings-service.js';

export interface PageMeta {
  title: string;
  description?: string;
  canonical?: string;
}

export function Layout(props: { site: SiteSettings; meta: PageMeta; children?: Child }) {
  const { site, meta } = props;
  const title = meta.title === site.title ? site.title : `${meta.title} · ${site.title}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={meta.description ?? site.description} />
        {meta.canonical ? <link rel="canonical" href={meta.canonical} /> : null}
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="site-title" href="/">
            {site.title}
          </a>
          <nav aria-label="Site">
            <ul>
              {site.navigation.map((link) => (
                <li>
                  <a href={link.url}>{link.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="site-footer">
          <p>{site.footer || site.description}</p>
        </footer>
      </body>
    </html>
  );
}
