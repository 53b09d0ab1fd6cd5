// Comments over the JSON API: the public thread of a post, and the staff group (bearer token)
// for moderation, replies, edits and the inbox of threads awaiting an answer.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AccountsService } from '../accounts/accounts-service.js';
import { COMMENT_STATUSES, type CommentStatus } from '../db/tables.js';
import { InvalidError, NotFoundError, UnsupportedMediaTypeError } from '../errors.js';
import type { PostService } from '../posts/post-service.js';
import { decodeCursor, encodeCursor, jsonBody, listQuery, parseWith, requireToken, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { isoTime } from '../web/format.js';
import { readJson } from '../web/request-body.js';
import { presentAdminComment, presentComment } from './comment-present.js';
import type { CommentService, FullShownComment } from './comment-service.js';
import { COMMENT_ACTIONS, type CommentAction } from './comment-states.js';
import type { StaffComment } from './staff-comment-service.js';
import type { ThreadNode } from './thread.js';

export interface CommentApiDeps {
  accounts: AccountsService;
  posts: PostService;
  comments: CommentService;
}

const markdownBody = z.object({
  markdown: z.string({ message: 'markdown must be text' }).trim().min(1, 'markdown must not be empty').max(100_000, 'markdown is too long'),
});

const sortKey = (v: unknown): v is [number, string] =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
const offsetKey = (v: unknown): v is { o: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { o: unknown }).o) && (v as { o: number }).o >= 0;

const admin = (s: StaffComment) => presentAdminComment(s.comment, s.role, s.edit);

type NestedJson = ReturnType<typeof presentComment> & { replies: NestedJson[] };
function nested(node: ThreadNode<FullShownComment>): NestedJson {
  return { ...presentComment(node.comment, node.comment.author_role), replies: node.replies.map(nested) };
}

export function commentApiRoutes(deps: CommentApiDeps) {
  const { comments, posts } = deps;
  const app = new Hono<AppEnv>();

  // ---- public ----
  app.get('/api/v1/posts/:slug/comments', async (c) => {
    const post = await posts.publishedBySlug(c.req.param('slug'));
    if (!post) throw new NotFoundError('There is no such post.');
    const { limit, cursor } = listQuery(c);
    const offset = decodeCursor(cursor, offsetKey)?.o ?? 0;
    const { threads, total } = await comments.publicPage(post, offset, limit);
    const next = offset + threads.length < total && threads.length === limit ? encodeCursor({ o: offset + limit }) : null;
    return c.json({ items: threads.map(nested), total, next });
  });

  // ---- staff: closed to everyone without a valid token ----
  const auth = requireToken(deps.accounts);
  app.use('/api/v1/admin/comments', auth);
  app.use('/api/v1/admin/comments/*', auth);
  app.use('/api/v1/admin/inbox', auth);

  app.get('/api/v1/admin/comments', async (c) => {
    const raw = c.req.query('status');
    let statuses: CommentStatus[];
    if (raw === undefined || raw === '') statuses = ['pending', 'published', 'spam'];
    else if ((COMMENT_STATUSES as readonly string[]).includes(raw)) statuses = [raw as CommentStatus];
    else throw new InvalidError(`status must be one of ${COMMENT_STATUSES.join(', ')}.`, { status: 'unknown status' });
    const { limit, cursor } = listQuery(c);
    const page = await comments.list(staffOf(c), { statuses, limit, after: decodeCursor(cursor, sortKey) });
    return c.json({ items: page.items.map(admin), total: page.total, next: page.last ? encodeCursor(page.last) : null });
  });

  app.get('/api/v1/admin/comments/:id', async (c) => c.json(admin(await comments.get(staffOf(c), c.req.param('id')))));

  app.get('/api/v1/admin/comments/:id/revisions', async (c) => {
    const revisions = await comments.revisions(staffOf(c), c.req.param('id'));
    return c.json({
      items: revisions.map((r) => ({ markdown: r.markdown, editedAt: isoTime(r.editedAt), editedBy: r.editedBy })),
      total: revisions.length,
      next: null,
    });
  });

  app.post('/api/v1/admin/comments/:id/reply', async (c) => {
    const { markdown } = await jsonBody(c, markdownBody);
    return c.json(admin(await comments.reply(staffOf(c), c.req.param('id'), markdown)), 201);
  });

  app.post('/api/v1/admin/comments/:id/:action', async (c) => {
    const action = c.req.param('action');
    if (!(COMMENT_ACTIONS as string[]).includes(action)) throw new NotFoundError('There is no such action.');
    return c.json(admin(await comments.act(staffOf(c), c.req.param('id'), action as CommentAction)));
  });

  app.patch('/api/v1/admin/comments/:id', async (c) => {
    // A body that is not JSON reads as no words (422, naming the field); one not sent as JSON is a 415.
    const raw = await readJson(c).catch((err: unknown) => {
      if (err instanceof UnsupportedMediaTypeError) throw err;
      return undefined;
    });
    const { markdown } = parseWith(markdownBody, raw);
    return c.json(admin(await comments.edit(staffOf(c), c.req.param('id'), markdown)));
  });

  app.get('/api/v1/admin/inbox', async (c) => {
    const { limit, cursor } = listQuery(c);
    const page = await comments.inbox(staffOf(c), { limit, after: decodeCursor(cursor, sortKey) });
    return c.json({
      items: page.items.map((i) => ({ comment: admin(i.comment), post: i.post, waitingSince: isoTime(i.waitingSince) })),
      total: page.total,
      next: page.last ? encodeCursor(page.last) : null,
    });
  });

  return app;
}
