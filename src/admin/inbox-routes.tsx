// The inbox pages: /admin/inbox (waiting threads, oldest wait first), "no reply needed", and the
// daily digest opt-in. Replies post to the queue's reply route and come back here.
import { Hono } from 'hono';
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { InboxService } from '../inbox/inbox-service.js';
import { allow, decodeCursor, encodeCursor } from '../web/api.js';
import { wantsJson } from '../web/errors.js';
import { readForm } from '../web/request-body.js';
import { workspacePage } from './admin-layout.js';
import type { NavItem } from './admin-nav.js';
import { canWorkWithComments } from './admin-permissions.js';
import { InboxPage } from './inbox-views.js';
import { backTo } from './moderation-routes.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

/** A staff member's own choice of the daily "awaiting your reply" email (src/notify sends it). */
export interface DigestChoice {
  get(staff: Staff): Promise<boolean>;
  set(staff: Staff, on: boolean): Promise<void>;
}

export interface InboxRoutesDeps {
  inbox: InboxService;
  digest: DigestChoice;
  clock: Clock;
  baseUrl: string;
}

export const inboxNav = (inbox: InboxService): NavItem => ({
  href: '/admin/inbox',
  label: 'Inbox',
  allowed: canWorkWithComments,
  count: (staff) => inbox.count(staff),
});

/** Entries per page: each one carries a thread and its suggestions. */
const PAGE = 20;
const ID = '[0-9a-f-]{36}';
const DONE: Record<string, string> = {
  reply: 'Your reply is published.',
  dismissed: 'Marked as needing no reply. A new comment from the reader brings it back.',
  digest: 'Your digest choice is saved.',
};
const sortKey = (v: unknown): v is [number, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

export function inboxRoutes(deps: InboxRoutesDeps) {
  const { inbox } = deps;
  const app = new Hono<WorkspaceEnv>();
  for (const path of ['/inbox', '/inbox/*']) {
    app.use(path, async (c, next) => {
      allow(canWorkWithComments(staffOf(c)), 'Your role does not answer readers.');
      await next();
    });
  }

  app.get('/inbox', async (c) => {
    const staff = staffOf(c);
    const [page, digest] = await Promise.all([
      inbox.page(staff, { limit: PAGE, after: decodeCursor(c.req.query('after'), sortKey) }),
      deps.digest.get(staff),
    ]);
    return workspacePage(c, {
      title: 'Inbox',
      scripts: ['admin-inbox.js'],
      children: (
        <InboxPage
          entries={page.entries}
          total={page.total}
          next={page.last ? encodeCursor(page.last) : null}
          csrf={c.get('csrfToken')}
          now={deps.clock.now()}
          baseUrl={deps.baseUrl}
          digest={digest}
          notice={DONE[c.req.query('done') ?? '']}
        />
      ),
    });
  });

  app.post(`/inbox/:id{${ID}}/dismiss`, async (c) => {
    await inbox.dismiss(staffOf(c), c.req.param('id'));
    if (wantsJson(c)) return c.json({ dismissed: true });
    return c.redirect(backTo('/admin/inbox', 'dismissed'), 303);
  });

  app.post('/inbox/digest', async (c) => {
    const body = await readForm(c);
    await deps.digest.set(staffOf(c), body.digest === 'on');
    return c.redirect(backTo('/admin/inbox', 'digest'), 303);
  });

  return app;
}
