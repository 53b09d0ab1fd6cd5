// The dashboard: what is waiting (drafts, comments held for moderation) and what is out, counted
// through the services, plus a way to the signed-in staff member's Account page.
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import type { CommentService } from '../comments/comment-service.js';
import { countText } from '../comments/count-cap.js';
import { DashboardCharts } from '../dashboard/dashboard-charts.js';
import { COMMENT_DAYS, type DashboardService } from '../dashboard/dashboard-service.js';
import type { PostService } from '../posts/post-service.js';

import { FormMessage, workspacePage } from './admin-layout.js';
import { canWorkWithComments, canWritePosts } from './admin-permissions.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

export interface DashboardDeps {
  posts: PostService;
  comments: CommentService;
  clock: Clock;
  /** Charts of readers' comments, reply times and subscribers (src/dashboard). */
  dashboard?: DashboardService | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the owner is told of backups: when the last one was taken, and a warning past a day. */
async function backupStatus(dashboard: DashboardService, now: number): Promise<{ line: string; warning: string | undefined }> {
  const last = await dashboard.lastBackup();
  if (!last) {
    return {
      line: 'No backup has been taken yet.',
      warning: 'Take one with "hearth backup", or let "hearth serve" take them (HEARTH_BACKUP_HOURS).',
    };
  }
  const hours = Math.floor((now - last.at) / 3_600_000);
  const age = hours < 1 ? 'less than an hour ago' : hours < 48 ? `${hours} hours ago` : `${Math.floor(hours / 24)} days ago`;
  return {
    line: `The last backup was taken ${age} (${new Date(last.at).toISOString().slice(0, 16).replace('T', ' ')} UTC), with ${last.comments} comments, in ${last.folder}.`,
    warning: now - last.at > DAY_MS ? 'The last backup is more than a day old. Check that backups are running.' : undefined,
  };
}

export function dashboardRoutes(deps: DashboardDeps) {
  const { posts, comments } = deps;
  const app = new Hono<WorkspaceEnv>();

  app.get('/admin/', async (c) => {
    const staff = staffOf(c);
    const mine = staff.role === 'author' ? { authorId: staff.id } : {};
    const count = (q: Parameters<PostService['countForAdmin']>[0]) => posts.countForAdmin(q, staff);
    const none = Promise.resolve(undefined);
    // Every figure is read at once: each is its own short read, and the page waits for the longest.
    const [postCounts, pending, figures, backup] = await Promise.all([
      canWritePosts(staff)
        ? Promise.all([
            count({ kind: 'post', status: 'published', ...mine }),
            count({ kind: 'post', status: 'scheduled', ...mine }),
            count({ status: 'draft', ...mine }),
            count({ kind: 'page', ...mine }),
          ])
        : none,
      canWorkWithComments(staff) ? comments.list(staff, { statuses: ['pending'], limit: 1, after: undefined, capped: true }) : none,
      deps.dashboard ? deps.dashboard.figures(staff) : none,
      staff.role === 'owner' && deps.dashboard ? backupStatus(deps.dashboard, deps.clock.now()) : none,
    ]);
    const counts: { label: string; value: number; href?: string }[] = [];
    if (postCounts) {
      const [published, scheduled, drafts, pages] = postCounts;
      counts.push(
        { label: 'Published posts', value: published, href: '/admin/posts?status=published' },
        { label: 'Scheduled', value: scheduled, href: '/admin/posts?status=scheduled' },
        { label: 'Drafts', value: drafts, href: '/admin/posts?status=draft' },
        { label: 'Pages', value: pages, href: '/admin/pages' },
      );
    }
    if (pending) counts.push({ label: 'Comments awaiting moderation', value: pending.total });
    const inboxHref = c.get('workspaceNav').find((item) => item.href === '/admin/inbox')?.href;
    return workspacePage(c, {
      title: 'Dashboard',
      children: (
        <>
          <h1>Welcome, {staff.name}</h1>
          <FormMessage kind="notice" message={c.req.query('done') === 'password' ? 'Your password is set.' : undefined} />
          <ul class="ws-counts">
            {counts.map((n) => (
              <li>
                <span class="ws-count-value">{countText(n.value)}</span> {n.href ? <a href={n.href}>{n.label}</a> : n.label}
              </li>
            ))}
          </ul>
          {canWritePosts(staff) ? (
            <p>
              <a class="button primary" href="/admin/posts/new">
                Write a new post
              </a>
            </p>
          ) : null}
          {backup ? (
            <section class="ws-section" aria-labelledby="backup-title">
              <h2 id="backup-title">Backups</h2>
              <p>{backup.line}</p>
              <FormMessage kind="error" message={backup.warning} />
            </section>
          ) : null}
          {figures ? <DashboardCharts figures={figures} inboxHref={inboxHref} days={COMMENT_DAYS} /> : null}
          <section class="ws-section" aria-labelledby="account-title">
            <h2 id="account-title">Your account</h2>
            <p>
              Signed in as {staff.email}. <a href="/admin/account">Your account</a>: API tokens, and signing out everywhere when a device is
              lost.
            </p>
          </section>
        </>
      ),
    });
  });

  return app;
}
