// The workspace frame: a skip link, the navigation the role may use, who is signed in and a sign-out
// button, then the page. Styles and scripts are files (strict CSP): /assets/admin.css, admin-*.js.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Staff } from '../accounts/accounts-service.js';
import { countText } from '../comments/count-cap.js';
import { HtmlDocument, SiteIcon } from '../web/document.js';
import type { NavItem } from './admin-nav.js';
import { CSRF_FIELD } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

export interface WorkspacePage {
  title: string;
  /** Scripts from public/ (admin-*.js), loaded deferred. */
  scripts?: string[];
  children?: Child;
}

function Head(props: { title: string; scripts?: string[] | undefined }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <meta name="color-scheme" content="light dark" />
      <title>{`${props.title} · Workspace`}</title>
      <SiteIcon />
      <link rel="stylesheet" href="/assets/admin.css" />
      {(props.scripts ?? []).map((src) => (
        <script src={`/assets/${src}`} defer />
      ))}
    </head>
  );
}

/** The hidden field every workspace form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

export function AdminLayout(props: WorkspacePage & { staff: Staff; csrfToken: string; nav: readonly NavItem[]; path: string }) {
  const current = (href: string) =>
    href === '/admin/' ? props.path === '/admin/' || props.path === '/admin' : props.path.startsWith(href);
  return (
    <HtmlDocument>
      <Head title={props.title} scripts={props.scripts} />
      <body class="workspace">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="ws-header">
          <a class="ws-site" href="/">
            View site
          </a>
          <nav aria-label="Workspace">
            <ul>
              {props.nav.map((item) => (
                <li>
                  <a href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                    {item.label}
                    {item.badge ? (
                      <span class="ws-badge">
                        <span class="visually-hidden">, </span>
                        {countText(item.badge)}
                        <span class="visually-hidden"> waiting</span>
                      </span>
                    ) : null}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="ws-account">
            <span>
              <a href="/admin/account" aria-current={current('/admin/account') ? 'page' : undefined}>
                {props.staff.name}
              </a>{' '}
              <span class="ws-role">({props.staff.role})</span>
            </span>
            <form method="post" action="/admin/sign-out">
              <CsrfField token={props.csrfToken} />
              <button type="submit" class="link-button">
                Sign out
              </button>
            </form>
          </div>
        </header>
        <main id="main" class="ws-main">
          {props.children}
        </main>
      </body>
    </HtmlDocument>
  );
}

/** A page for someone not signed in (sign-in, reset, invitation): no navigation. */
export function AccountLayout(props: WorkspacePage) {
  return (
    <HtmlDocument>
      <Head title={props.title} scripts={props.scripts} />
      <body class="workspace account">
        <main id="main" class="ws-main ws-narrow">
          {props.children}
        </main>
      </body>
    </HtmlDocument>
  );
}

/** Renders a workspace page for the signed-in staff member of this request. */
export async function workspacePage(
  c: Context<WorkspaceEnv>,
  page: WorkspacePage,
  status: 200 | 401 | 403 | 404 | 409 | 422 | 429 = 200,
): Promise<Response> {
  const staff = c.get('staff');
  if (!staff) return c.html(<AccountLayout {...page} />, status);
  const badges = await c.get('workspaceBadges');
  const nav = c.get('workspaceNav').map((item) => {
    const badge = badges.get(item.href);
    return badge === undefined ? item : { ...item, badge };
  });
  return c.html(<AdminLayout {...page} staff={staff} csrfToken={c.get('csrfToken')} nav={nav} path={c.req.path} />, status);
}

/** A message above a form: what went wrong, announced to screen readers. */
export function FormMessage(props: { message?: string | undefined; kind?: 'error' | 'notice' }) {
  if (!props.message) return null;
  const kind = props.kind ?? 'error';
  return (
    <p class={`ws-message ws-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {props.message}
    </p>
  );
}

/** A labelled field with its error, tied by aria-describedby so the reason is read with it. */
export function Field(props: { id: string; label: string; error?: string | undefined; hint?: string | undefined; children: Child }) {
  return (
    <div class={props.error ? 'ws-field ws-invalid' : 'ws-field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="ws-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="ws-field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The aria-describedby of a Field's control. */
export const describedBy = (id: string, opts: { error?: string | undefined; hint?: string | undefined }) =>
  [opts.hint ? `${id}-hint` : '', opts.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
