// The signed-in staff member's Account page (/admin/account): her API tokens and signing out
// everywhere. Every form is a plain CSRF-protected POST, like the rest of the workspace.
import { Hono } from 'hono';
import type { AccountsService, CreatedToken } from '../accounts/accounts-service.js';
import type { AuthService } from '../accounts/auth-service.js';
import { InvalidError } from '../errors.js';
import { readForm } from '../web/request-body.js';
import { AccountPage, EMPTY_TOKEN_FORM, type TokenForm } from './account-page-views.js';
import { workspacePage } from './admin-layout.js';
import { clearSessionCookie, staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

export interface AccountPageDeps {
  accounts: AccountsService;
  auth: AuthService;
  baseUrl: string;
}

const NOTICES: Record<string, string> = {
  revoked: 'The token is revoked: it no longer works.',
};

const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** The service speaks in lower case for the command line too; a form shows a sentence. */
const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;

export function accountPageRoutes(deps: AccountPageDeps) {
  const { accounts, auth } = deps;
  const app = new Hono<WorkspaceEnv>();

  const page = async (
    c: Parameters<typeof workspacePage>[0],
    view: { form?: TokenForm; errors?: Record<string, string>; message?: string; created?: CreatedToken } = {},
    status: 200 | 422 = 200,
  ) => {
    const staff = staffOf(c);
    return workspacePage(
      c,
      {
        title: 'Your account',
        children: (
          <AccountPage
            staff={staff}
            tokens={await accounts.ownTokens(staff)}
            csrf={c.get('csrfToken')}
            form={view.form ?? EMPTY_TOKEN_FORM}
            errors={view.errors ?? {}}
            message={view.message}
            created={view.created}
            notice={NOTICES[c.req.query('done') ?? '']}
          />
        ),
      },
      status,
    );
  };

  app.get('/account', (c) => page(c));

  app.post('/account/tokens', async (c) => {
    const body = await readForm(c);
    const form = { label: text(body.label), expiresInDays: text(body.expiresInDays).trim() };
    // Empty: no expiry. Anything but digits reaches the service as NaN, which it refuses by name.
    const days = form.expiresInDays === '' ? undefined : /^\d+$/.test(form.expiresInDays) ? Number(form.expiresInDays) : Number.NaN;
    try {
      const created = await accounts.createOwnToken(staffOf(c), { label: form.label, expiresInDays: days });
      // The secret is on this page only: not in a redirect, a query or a cookie.
      return page(c, { created });
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, sentence(v)]));
      return page(c, { form, errors, message: 'The token was not created: some fields need attention.' }, 422);
    }
  });

  app.post('/account/tokens/:id/revoke', async (c) => {
    await accounts.revokeOwnToken(staffOf(c), c.req.param('id'));
    return c.redirect('/admin/account?done=revoked', 303);
  });

  app.post('/sign-out-everywhere', async (c) => {
    await auth.signOutEverywhere(staffOf(c).id);
    clearSessionCookie(c, deps.baseUrl);
    return c.redirect('/admin/sign-in?done=everywhere', 303);
  });

  return app;
}
