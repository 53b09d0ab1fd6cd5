// Signing in and out, and setting a password through an emailed link. These pages are open to
// visitors who are not signed in; the group's CSRF guard still covers every form here.
import { Hono } from 'hono';
import type { AuthService } from '../accounts/auth-service.js';
import type { Clock } from '../clock.js';
import { clientAddress } from '../comments/client-address.js';
import { InvalidError, NotFoundError, TooManyError, UnauthorizedError } from '../errors.js';
import { readForm } from '../web/request-body.js';
import { LinkGone, ResetRequestForm, SetPasswordForm, SignInForm } from './account-views.js';
import { workspacePage } from './admin-layout.js';
import { clearSessionCookie, safeNext, sessionToken, setSessionCookie } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

export interface AccountRoutesDeps {
  auth: AuthService;
  clock: Clock;
  baseUrl: string;
  trustProxy: readonly string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

const NOTICES: Record<string, string> = {
  'signed-out': 'You are signed out.',
  everywhere: 'You are signed out on every device.',
};

export function accountRoutes(deps: AccountRoutesDeps) {
  const { auth, clock, baseUrl } = deps;
  const app = new Hono<WorkspaceEnv>();

  app.get('/sign-in', (c) => {
    if (c.get('staff')) return c.redirect(safeNext(c.req.query('next')), 303);
    const notice = NOTICES[c.req.query('done') ?? ''];
    return workspacePage(c, {
      title: 'Sign in',
      children: <SignInForm csrfToken={c.get('csrfToken')} next={c.req.query('next')} notice={notice} />,
    });
  });

  app.post('/sign-in', async (c) => {
    const form = await readForm(c);
    const email = text(form.email).trim();
    const next = text(form.next) || undefined;
    try {
      const signedIn = await auth.signIn({
        email,
        password: text(form.password),
        ip: clientAddress(c, deps.trustProxy) ?? 'unknown',
        userAgent: c.req.header('user-agent') ?? '',
      });
      setSessionCookie(c, baseUrl, signedIn, clock.now());
      return c.redirect(safeNext(next), 303);
    } catch (err) {
      if (!(err instanceof UnauthorizedError || err instanceof TooManyError)) throw err;
      if (err instanceof TooManyError) c.header('Retry-After', String(err.retryAfterSeconds));
      return workspacePage(
        c,
        { title: 'Sign in', children: <SignInForm csrfToken={c.get('csrfToken')} email={email} next={next} error={err.message} /> },
        err.status,
      );
    }
  });

  app.post('/sign-out', async (c) => {
    const token = sessionToken(c);
    if (token) await auth.signOut(token);
    clearSessionCookie(c, baseUrl);
    return c.redirect('/admin/sign-in?done=signed-out', 303);
  });

  app.get('/reset', (c) =>
    workspacePage(c, { title: 'Set a new password', children: <ResetRequestForm csrfToken={c.get('csrfToken')} /> }),
  );

  app.post('/reset', async (c) => {
    const email = text((await readForm(c)).email).trim();
    // The same answer whether or not the address has an account: it reveals nothing.
    await auth.requestReset(email);
    return workspacePage(c, {
      title: 'Set a new password',
      children: <ResetRequestForm csrfToken={c.get('csrfToken')} email={email} sent />,
    });
  });

  app.get('/reset/:token', async (c) => {
    const link = await auth.checkLink(c.req.param('token'));
    if (!link) return workspacePage(c, { title: 'Link expired', children: <LinkGone /> }, 404);
    return workspacePage(c, {
      title: link.purpose === 'invitation' ? 'Accept your invitation' : 'Choose a new password',
      children: (
        <SetPasswordForm
          csrfToken={c.get('csrfToken')}
          action={c.req.path}
          name={link.staff.name}
          invitation={link.purpose === 'invitation'}
        />
      ),
    });
  });

  app.post('/reset/:token', async (c) => {
    const token = c.req.param('token');
    const password = text((await readForm(c)).password);
    try {
      const signedIn = await auth.completeLink(
        token,
        password,
        c.req.header('user-agent') ?? '',
        clientAddress(c, deps.trustProxy) ?? undefined,
      );
      setSessionCookie(c, baseUrl, signedIn, clock.now());
      return c.redirect('/admin/', 303);
    } catch (err) {
      if (err instanceof NotFoundError) return workspacePage(c, { title: 'Link expired', children: <LinkGone /> }, 404);
      if (!(err instanceof InvalidError)) throw err;
      const link = await auth.checkLink(token);
      if (!link) return workspacePage(c, { title: 'Link expired', children: <LinkGone /> }, 404);
      return workspacePage(
        c,
        {
          title: 'Choose a password',
          children: (
            <SetPasswordForm
              csrfToken={c.get('csrfToken')}
              action={c.req.path}
              name={link.staff.name}
              invitation={link.purpose === 'invitation'}
              error={`The password ${err.fields.password ?? 'is not valid'}.`}
            />
          ),
        },
        422,
      );
    }
  });

  return app;
}
