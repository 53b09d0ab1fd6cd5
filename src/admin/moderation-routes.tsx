// The moderation queue (/admin/comments) and a commenter's page (/admin/commenters/<comment id>).
// Plain forms that redirect back; a script asking for JSON gets the comment's new state instead.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { COMMENT_ACTIONS, type CommentAction } from '../comments/comment-states.js';
import type { StaffCommentService } from '../comments/staff-comment-service.js';
import { InvalidError } from '../errors.js';
import { allow, decodeCursor, encodeCursor } from '../web/api.js';
import { wantsJson } from '../web/errors.js';
import { readForm } from '../web/request-body.js';
import { workspacePage } from './admin-layout.js';
import type { NavItem } from './admin-nav.js';
import { canWorkWithComments } from './admin-permissions.js';
import { canBlockCommenter } from './moderation-permissions.js';
import { ReplyPage } from './moderation-reply-page.js';
import type { ModerationService } from './moderation-service.js';
import { QUEUE_TABS, type QueueTab } from './moderation-store.js';
import { CommenterPage, EditPage, QueuePage } from './moderation-views.js';
import { safeNext, staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

export const moderationNav: NavItem = { href: '/admin/comments', label: 'Comments', allowed: canWorkWithComments };

/** Staff words: what the reply and edit forms take. */
export const staffText = z
  .string({ message: 'Write your reply.' })
  .trim()
  .min(1, 'Write something first.')
  .max(100_000, 'This is longer than 100,000 characters.');

const PAGE = 50;
const ID = '[0-9a-f-]{36}';
const ACTION_PATTERN = COMMENT_ACTIONS.join('|');
const DONE: Record<string, string> = {
  approve: 'Approved.',
  spam: 'Marked as spam.',
  trash: 'Moved to the trash.',
  restore: 'Restored.',
  reply: 'Your reply is published.',
  edit: 'Changes saved.',
  trusted: 'She is trusted: her comments are never held.',
  blocked: 'She is blocked: her comments go to spam.',
  none: 'The mark is cleared.',
};

const sortKey = (v: unknown): v is [number, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

/** The workspace page to go back to, with what happened. */
export function backTo(back: unknown, done: string, fallback = '/admin/comments'): string {
  const path = safeNext(typeof back === 'string' && back ? back : fallback);
  const url = new URL(path, 'http://workspace.invalid');
  url.searchParams.set('done', done);
  return `${url.pathname}${url.search}`;
}

const field = (body: Record<string, unknown>, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');

export function moderationRoutes(deps: { moderation: ModerationService; comments: StaffCommentService }) {
  const { moderation, comments } = deps;
  const app = new Hono<WorkspaceEnv>();
  for (const path of ['/comments', '/comments/*', '/commenters/*']) {
    app.use(path, async (c, next) => {
      allow(canWorkWithComments(staffOf(c)), 'Your role does not work with comments.');
      await next();
    });
  }

  /** Tabs this staff member has: a moderator never sees private questions, so she has no such tab. */
  const tabsOf = (c: Context<WorkspaceEnv>): readonly QueueTab[] =>
    staffOf(c).role === 'moderator' ? QUEUE_TABS.filter((t) => t !== 'private') : QUEUE_TABS;

  app.get('/comments', async (c) => {
    const staff = staffOf(c);
    const tabs = tabsOf(c);
    const asked = c.req.query('tab') ?? 'pending';
    const tab = (tabs as readonly string[]).includes(asked) ? (asked as QueueTab) : 'pending';
    const before = decodeCursor(c.req.query('before'), sortKey);
    const page = await moderation.queue(staff, { tab, limit: PAGE, before });
    const url = new URL(c.req.url);
    url.searchParams.delete('done');
    return workspacePage(c, {
      title: 'Comments',
      scripts: ['admin-moderation.js'],
      children: (
        <QueuePage
          tab={tab}
          tabs={tabs}
          items={page.items}
          total={page.total}
          next={page.last ? encodeCursor(page.last) : null}
          csrf={c.get('csrfToken')}
          back={`${url.pathname}${url.search}`}
          notice={DONE[c.req.query('done') ?? ''] ?? (c.req.query('done') === 'bulk' ? bulkNotice(c) : undefined)}
          error={c.req.query('failed') ? `${c.req.query('failed')} could not be changed.` : undefined}
        />
      ),
    });
  });

  const bulkForm = z.object({
    action: z.enum(COMMENT_ACTIONS as [CommentAction, ...CommentAction[]], { message: 'Choose an action.' }),
    ids: z.array(z.string().regex(new RegExp(`^${ID}$`))).min(1, 'Select at least one comment.'),
  });

  app.post('/comments/bulk', async (c) => {
    const body = await readForm(c, { all: true });
    const ids = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
    const parsed = bulkForm.safeParse({ action: body.action, ids });
    if (!parsed.success) throw new InvalidError(parsed.error.issues[0]?.message ?? 'Choose comments and an action.');
    const result = await moderation.bulk(staffOf(c), parsed.data.ids, parsed.data.action);
    if (wantsJson(c)) return c.json(result);
    const url = new URL(backTo(body.back, 'bulk'), 'http://workspace.invalid');
    url.searchParams.set('n', String(result.done));
    url.searchParams.set('act', parsed.data.action);
    if (result.failed.length > 0) url.searchParams.set('failed', String(result.failed.length));
    return c.redirect(`${url.pathname}${url.search}`, 303);
  });

  app.post(`/comments/:id{${ID}}/reply`, async (c) => {
    const body = await readForm(c);
    const text = staffText.safeParse(body.markdown);
    const id = c.req.param('id');
    if (!text.success) {
      const { comment } = await comments.get(staffOf(c), id);
      if (wantsJson(c)) throw new InvalidError('Some fields need attention.', { markdown: text.error.issues[0]?.message ?? '' });
      return workspacePage(
        c,
        {
          title: 'Reply',
          children: (
            <ReplyPage
              comment={comment}
              csrf={c.get('csrfToken')}
              back={safeNext(field(body, 'back') || '/admin/comments')}
              value={field(body, 'markdown')}
              error={text.error.issues[0]?.message}
            />
          ),
        },
        422,
      );
    }
    const reply = await comments.reply(staffOf(c), id, text.data);
    if (wantsJson(c)) return c.json({ id: reply.comment.id, status: reply.comment.status, visibility: reply.comment.visibility }, 201);
    return c.redirect(backTo(body.back, 'reply'), 303);
  });

  app.get(`/comments/:id{${ID}}/edit`, async (c) => {
    const { comment } = await comments.forEditing(staffOf(c), c.req.param('id'));
    return workspacePage(c, {
      title: 'Edit a comment',
      children: (
        <EditPage
          comment={comment}
          csrf={c.get('csrfToken')}
          back={safeNext(c.req.query('back') ?? '/admin/comments')}
          value={comment.markdown}
        />
      ),
    });
  });

  app.post(`/comments/:id{${ID}}/edit`, async (c) => {
    const body = await readForm(c);
    const text = staffText.safeParse(body.markdown);
    const staff = staffOf(c);
    if (!text.success) {
      const { comment } = await comments.forEditing(staff, c.req.param('id'));
      return workspacePage(
        c,
        {
          title: 'Edit a comment',
          children: (
            <EditPage
              comment={comment}
              csrf={c.get('csrfToken')}
              back={safeNext(field(body, 'back') || '/admin/comments')}
              value={field(body, 'markdown')}
              error={text.error.issues[0]?.message}
            />
          ),
        },
        422,
      );
    }
    await comments.edit(staff, c.req.param('id'), text.data);
    return c.redirect(backTo(body.back, 'edit'), 303);
  });

  app.post(`/comments/:id{${ID}}/:action{${ACTION_PATTERN}}`, async (c) => {
    const action = c.req.param('action') as CommentAction;
    const done = await comments.act(staffOf(c), c.req.param('id'), action);
    if (wantsJson(c)) return c.json({ id: done.comment.id, status: done.comment.status, visibility: done.comment.visibility });
    return c.redirect(backTo((await readForm(c)).back, action), 303);
  });

  app.get(`/commenters/:id{${ID}}`, async (c) => {
    const staff = staffOf(c);
    const commenter = await moderation.commenter(staff, c.req.param('id'));
    return workspacePage(c, {
      title: commenter.name,
      scripts: ['admin-moderation.js'],
      children: (
        <CommenterPage
          commenter={commenter}
          commentId={c.req.param('id')}
          me={staff}
          canBlock={canBlockCommenter(staff)}
          csrf={c.get('csrfToken')}
          notice={DONE[c.req.query('done') ?? '']}
        />
      ),
    });
  });

  app.post(`/commenters/:id{${ID}}/mark`, async (c) => {
    const mark = z.enum(['trusted', 'blocked', 'none']).safeParse((await readForm(c)).mark);
    if (!mark.success) throw new InvalidError('Choose trust, block or clear.', { mark: 'unknown mark' });
    const id = c.req.param('id');
    await moderation.mark(staffOf(c), id, mark.data);
    return c.redirect(backTo(`/admin/commenters/${id}`, mark.data), 303);
  });

  return app;
}

const BULK_VERB: Record<string, string> = { approve: 'approved', spam: 'marked as spam', trash: 'moved to the trash', restore: 'restored' };

function bulkNotice(c: Context): string | undefined {
  const n = Number(c.req.query('n'));
  const verb = BULK_VERB[c.req.query('act') ?? ''];
  if (!Number.isInteger(n) || !verb) return undefined;
  return `${n === 1 ? '1 comment' : `${n} comments`} ${verb}.`;
}
