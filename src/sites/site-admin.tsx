// The workspace's Sites page (owner only): the other sites whose pages carry Hearth
// conversations. Registering an origin lets its pages ask for their threads (and send their
// forms); each site shows the snippets to paste, its page count, a sitemap to read and its feed.
import { Hono } from 'hono';
import { CsrfField, FormMessage, workspacePage } from '../admin/admin-layout.js';
import { staffOf } from '../admin/workspace-auth.js';
import type { WorkspaceEnv } from '../admin/workspace-env.js';
import type { WorkspaceSection } from '../admin/workspace-routes.js';
import { ConflictError, ForbiddenError, InvalidError } from '../errors.js';
import { readForm, textField } from '../web/request-body.js';
import type { SiteService, SiteWithPages } from './site-service.js';

const ID = '[0-9a-f-]{36}';
const canManageSites = (actor: { role: string }) => actor.role === 'owner';

/** What the owner pastes into a page of the site (the script finds its div; without scripts, the link works). */
export function embedSnippet(baseUrl: string): string {
  return [
    '<div data-hearth-thread>',
    `  <a href="${baseUrl}/embed/page?url=PAGE-ADDRESS">Comments</a>`,
    '</div>',
    `<script src="${baseUrl}/assets/embed.js" defer></script>`,
  ].join('\n');
}

function SiteItem(props: { site: SiteWithPages; baseUrl: string; csrfToken: string }) {
  const { site, baseUrl } = props;
  return (
    <li class="ws-site">
      <h3>{site.name}</h3>
      <p>
        <code>{site.origin}</code> · {site.pages} {site.pages === 1 ? 'page' : 'pages'} with a conversation ·{' '}
        <a href={`/embed/sites/${site.id}/comments.xml`}>feed of new comments</a>
      </p>
      <details>
        <summary>Snippet for its pages</summary>
        <pre>
          <code>{embedSnippet(baseUrl)}</code>
        </pre>
        <p class="ws-hint">
          A static build can fetch <code>{`${baseUrl}/embed/thread?url=PAGE-ADDRESS`}</code> and put the comments in the page itself (see
          the README for Eleventy and Hugo).
        </p>
      </details>
      <form method="post" action={`/admin/sites/${site.id}/sitemap`} class="ws-form ws-inline">
        <CsrfField token={props.csrfToken} />
        <label for={`sitemap-${site.id}`}>Sitemap address</label>{' '}
        <input id={`sitemap-${site.id}`} name="sitemap" type="url" required value={`${site.origin}/sitemap.xml`} />{' '}
        <button type="submit" class="secondary">
          Read its pages
        </button>
      </form>
      <form method="post" action={`/admin/sites/${site.id}/remove`} class="ws-form ws-inline">
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="danger">
          Remove {site.name}
        </button>
      </form>
    </li>
  );
}

export function siteSection(deps: { sites: SiteService; baseUrl: string }): WorkspaceSection {
  const routes = new Hono<WorkspaceEnv>();
  for (const path of ['/sites', '/sites/*']) {
    routes.use(path, async (c, next) => {
      if (!canManageSites(staffOf(c))) throw new ForbiddenError('Only the owner registers other sites.');
      await next();
    });
  }

  async function page(
    c: Parameters<typeof workspacePage>[0],
    message?: { text: string; kind: 'error' | 'notice' },
    status: 200 | 422 = 200,
    // What the owner typed, given back with the reason it was refused so she can correct it.
    typed: { origin?: string; name?: string } = {},
  ) {
    const sites = await deps.sites.list();
    return workspacePage(
      c,
      {
        title: 'Sites',
        children: (
          <>
            <h1>Sites</h1>
            <p>
              Other sites whose pages carry conversations from here: comments in their pages’ HTML, your inbox, email and moderation. Only
              the sites listed here may show or send them.
            </p>
            <FormMessage message={message?.text} kind={message?.kind} />
            {sites.length > 0 ? (
              <ul class="ws-sites">
                {sites.map((site) => (
                  <SiteItem site={site} baseUrl={deps.baseUrl} csrfToken={c.get('csrfToken')} />
                ))}
              </ul>
            ) : (
              <p>No other site yet.</p>
            )}
            <h2>Register a site</h2>
            <form method="post" action="/admin/sites" class="ws-form">
              <CsrfField token={c.get('csrfToken')} />
              <p>
                <label for="site-origin">Address</label>
                <input
                  id="site-origin"
                  name="origin"
                  type="url"
                  required
                  placeholder="https://blog.example.org"
                  value={typed.origin}
                  aria-invalid={message?.kind === 'error' && typed.origin !== undefined ? 'true' : undefined}
                />
              </p>
              <p>
                <label for="site-name">Name</label>
                <input id="site-name" name="name" type="text" maxlength={120} value={typed.name} />
              </p>
              <button type="submit">Register</button>
            </form>
          </>
        ),
      },
      status,
    );
  }

  routes.get('/sites', (c) => page(c, c.req.query('done') ? { text: String(c.req.query('done')), kind: 'notice' } : undefined));

  routes.post('/sites', async (c) => {
    const form = await readForm(c);
    const typed = { origin: textField(form, 'origin') ?? '', name: textField(form, 'name') ?? '' };
    try {
      const site = await deps.sites.register(typed.origin, typed.name);
      return c.redirect(`/admin/sites?done=${encodeURIComponent(`${site.origin} is registered.`)}`, 303);
    } catch (err) {
      if (err instanceof InvalidError || err instanceof ConflictError) return page(c, { text: err.message, kind: 'error' }, 422, typed);
      throw err;
    }
  });

  routes.post(`/sites/:id{${ID}}/sitemap`, async (c) => {
    const form = await readForm(c);
    try {
      const added = await deps.sites.fetchSitemap(c.req.param('id'), textField(form, 'sitemap') ?? '');
      return c.redirect(`/admin/sites?done=${encodeURIComponent(`${added} new ${added === 1 ? 'page' : 'pages'} from the sitemap.`)}`, 303);
    } catch (err) {
      if (err instanceof InvalidError) return page(c, { text: err.message, kind: 'error' }, 422);
      throw err;
    }
  });

  routes.post(`/sites/:id{${ID}}/remove`, async (c) => {
    await deps.sites.remove(c.req.param('id'));
    return c.redirect(`/admin/sites?done=${encodeURIComponent('Removed. Its conversations stay readable here.')}`, 303);
  });

  return { nav: { href: '/admin/sites', label: 'Sites', allowed: canManageSites }, routes };
}
