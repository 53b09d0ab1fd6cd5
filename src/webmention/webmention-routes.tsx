// The Webmention endpoint: POST /webmention with form-encoded source and target, answered 202 with
// a status page's address (Location) once the request is checked and queued, 400 with the reason
// otherwise. GET /webmention/:id says where its verification stands. The workspace section lists
// what came in lately. Rate limited per address in the service; bodies limited by the app (256 KB).
import { Hono } from 'hono';
import type { Staff } from '../accounts/accounts-service.js';
import { workspacePage } from '../admin/admin-layout.js';
import type { WorkspaceEnv } from '../admin/workspace-env.js';
import type { WorkspaceSection } from '../admin/workspace-routes.js';
import { clientAddress } from '../comments/client-address.js';
import { NotFoundError } from '../errors.js';
import type { AppEnv } from '../web/env.js';
import { dateTime } from '../web/format.js';
import { readForm } from '../web/request-body.js';
import type { WebmentionService } from './webmention-service.js';

export function webmentionRoutes(deps: { webmentions: WebmentionService; baseUrl: string; trustProxy: readonly string[] }) {
  const app = new Hono<AppEnv>();
  app.post('/webmention', async (c) => {
    const form = await readForm(c);
    const field = (name: string) => {
      const v = form[name];
      return typeof v === 'string' ? v.trim() : '';
    };
    const { id } = await deps.webmentions.receive(field('source'), field('target'), clientAddress(c, deps.trustProxy));
    const status = `${deps.baseUrl}/webmention/${id}`;
    c.header('Location', status);
    c.header('Cache-Control', 'no-store');
    return c.text(`Accepted: the source will be checked. Status: ${status}\n`, 202);
  });
  app.get('/webmention/:id{[0-9a-f-]{36}}', async (c) => {
    const row = await deps.webmentions.status(c.req.param('id'));
    if (!row) throw new NotFoundError('There is no Webmention with this id.');
    c.header('Cache-Control', 'no-store');
    return c.json({ source: row.source, target: row.target, status: row.status, kind: row.kind, note: row.note });
  });
  app.get('/webmention', (c) => c.text('This is a Webmention endpoint: POST source and target, form-encoded.\n'));
  return app;
}

const canSee = (actor: Pick<Staff, 'role'>) => actor.role === 'owner' || actor.role === 'moderator';

/** The workspace's list of received Webmentions, newest first, each with what became of it. */
export function webmentionSection(deps: { webmentions: WebmentionService }): WorkspaceSection {
  const routes = new Hono<WorkspaceEnv>();
  routes.get('/webmentions', async (c) => {
    const { rows, total } = await deps.webmentions.recent(100);
    return workspacePage(c, {
      title: 'Webmentions',
      children: (
        <>
          <h1>Webmentions</h1>
          <p>
            Other sites that replied to, liked, reposted, bookmarked or mentioned a post ({total} in all; the latest 100 shown). Replies
            appear in the inbox and the moderation queue like every comment.
          </p>
          {rows.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">From</th>
                  <th scope="col">Post</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>{dateTime(r.received_at)}</td>
                    <td>
                      <a href={r.source} rel="nofollow noopener">
                        {r.author_name ? `${r.author_name} (${new URL(r.source).host})` : new URL(r.source).host}
                      </a>
                    </td>
                    <td>
                      <a href={`/${r.post_slug}/`}>{r.post_title}</a>
                    </td>
                    <td>{r.kind ?? '—'}</td>
                    <td>
                      {r.status}
                      {r.note ? `: ${r.note}` : ''}
                      {r.comment_id ? (
                        <>
                          {' '}
                          (<a href={`/admin/comments/${r.comment_id}/edit`}>comment</a>)
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ),
    });
  });
  return { nav: { href: '/admin/webmentions', label: 'Webmentions', allowed: canSee }, routes };
}
