// The workspace group: everything under /admin/. Read top to bottom, it is the table of contents:
// session, CSRF, the open account pages, then the door (signed-in staff only), then each part.
// Another part of Hearth adds its pages with a WorkspaceSection: its router (mounted behind the
// door, so staffOf(c) and c.get('csrfToken') are there) and, optionally, its navigation item.
import { Hono } from 'hono';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { AuthService } from '../accounts/auth-service.js';
import type { Clock } from '../clock.js';
import type { CommentService } from '../comments/comment-service.js';
import type { DashboardService } from '../dashboard/dashboard-service.js';
import { preferredLocale } from '../i18n/locales.js';
import type { MediaService } from '../media/media-service.js';
import type { ConversationSettingsService } from '../moderation/conversation-settings.js';
import type { EmailSettingsService } from '../notify/email-settings-service.js';
import type { PostService } from '../posts/post-service.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import type { SettingsService } from '../settings/settings-service.js';
import { withDateLocale } from '../web/format.js';
import { accountPageRoutes } from './account-page-routes.js';
import { accountRoutes } from './account-routes.js';
import { CORE_NAV, type NavItem, sortNav } from './admin-nav.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { conversationSection, emailSection, type SettingsSection, siteSection } from './settings-sections.js';
import { staffRoutes } from './staff-routes.js';
import { csrfGuard, requireStaff, workspaceSession } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';
import { writingRoutes } from './writing-routes.js';

export interface WorkspaceSection {
  /** A navigation item, shown to the roles its predicate allows. */
  nav?: NavItem;
  /** Routes relative to /admin, e.g. app.get('/comments', ...). */
  routes: Hono<WorkspaceEnv>;
}

export interface WorkspaceDeps {
  auth: AuthService;
  /** API tokens, on the Account page. */
  accounts: AccountsService;
  posts: PostService;
  /** Uploads: a post's cover image. */
  media: MediaService;
  comments: CommentService;
  settings: SettingsService;
  conversationSettings?: ConversationSettingsService | undefined;
  markdown: MarkdownRenderer;
  clock: Clock;
  baseUrl: string;
  trustProxy: readonly string[];
  /** Pages other parts add to the workspace. */
  sections?: readonly WorkspaceSection[];
  /** The dashboard's charts (src/dashboard). */
  dashboard?: DashboardService | undefined;
  /** The site's email choices (src/notify), a section of the settings page. */
  emailSettings?: EmailSettingsService | undefined;
  /** Settings sections other parts add after the built-in ones. */
  settingsSections?: readonly SettingsSection[];
}

export function workspaceRoutes(deps: WorkspaceDeps) {
  const app = new Hono<WorkspaceEnv>();
  const extra = deps.sections ?? [];
  const nav = sortNav([...CORE_NAV, ...extra.flatMap((s) => (s.nav ? [s.nav] : []))]);

  // Mounted at the root with explicit /admin paths: a router mounted at /admin cannot answer
  // /admin/ itself, the workspace's canonical address.
  // The workspace speaks English, but its dates follow the staff member's own locale (her browser's
  // Accept-Language), e.g. "1. März 2026, 09:00 UTC" for de-DE: src/web/format.ts.
  app.use('/admin/*', (c, next) => withDateLocale(preferredLocale(c.req.header('accept-language')), next));
  app.use('/admin/*', workspaceSession({ auth: deps.auth, baseUrl: deps.baseUrl, now: () => deps.clock.now() }));
  app.use('/admin/*', csrfGuard({ settings: deps.settings, baseUrl: deps.baseUrl }));
  app.use('/admin/*', async (c, next) => {
    const staff = c.get('staff');
    const items = staff ? nav.filter((item) => item.allowed(staff)) : [];
    // Counts are for pages a person reads, not for form posts and scripts' requests.
    const badges: Promise<ReadonlyMap<string, number>> =
      staff && c.req.method === 'GET'
        ? Promise.all(items.flatMap((item) => (item.count ? [item.count(staff).then((n) => [item.href, n] as const)] : []))).then(
            (pairs) => new Map(pairs),
          )
        : Promise.resolve(new Map());
    // Awaited when the page renders; a request that fails before then must not leave it unheard.
    badges.catch(() => {});
    c.set('workspaceNav', items);
    c.set('workspaceBadges', badges);
    await next();
  });

  app.route('/admin', accountRoutes(deps));

  app.use('/admin/*', requireStaff());
  app.route('/', dashboardRoutes(deps));
  app.route('/admin', accountPageRoutes(deps));
  app.route('/admin', writingRoutes(deps));
  const sections = [
    siteSection(deps.settings),
    ...(deps.conversationSettings ? [conversationSection(deps.conversationSettings)] : []),
    ...(deps.emailSettings ? [emailSection(deps.emailSettings)] : []),
    ...(deps.settingsSections ?? []),
  ];
  app.route('/admin', settingsRoutes(sections));
  app.route('/admin', staffRoutes(deps));
  for (const section of extra) app.route('/admin', section.routes);
  return app;
}
