// Comments over the JSON API: the public thread of a post, and two areas of the admin group
// (src/api/api-routes.ts, which checks the token and the role first): moderation, replies and
// edits under /comments, and the inbox of threads awaiting an answer under /inbox.
import { Hono } from 'hono';
import { z } from 'zod';
import { COMMENT_STATUSES, type CommentStatus } from '../db/tables.js';
import { InvalidError, NotFoundError, UnsupportedMediaTypeError } from '../errors.js';
import type { PostService } from '../posts/post-service.js';
import { decodeCursor, encodeCursor, jsonBody, listQuery, parseWith, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { isoTime } from '../web/format.js';
import { readJson } from '../web/request-body.js';
import { presentAdminComment, presentComment } from './comment-present.js';
import type { CommentService, FullShownComment } from './comment-service.js';
import { COMMENT_ACTIONS, type CommentAction } from './comment-states.js';
import type { StaffComment } from './staff-comment-service.js';
import type { ThreadNode } from './thread.js';

export interface CommentApiDeps {
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

/** The routers of the comments API: `threads` under /api/v1/posts, the rest in the admin group. */
export function commentApiRoutes(deps: CommentApiDeps) {
  const { comments, posts } = deps;
  const threads = new Hono<AppEnv>();
  const staff = new Hono<AppEnv>();
  const inbox = new Hono<AppEnv>();

  // ---- public ----
  threads.get('/:slug/comments', async (c) => {
    const post = await posts.publishedBySlug(c.req.param('slug'));
    if (!post) throw new NotFoundError('There is no such post.');
    const { limit, cursor } = listQuery(c);
    const offset = decodeCursor(cursor, offsetKey)?.o ?? 0;
    const { threads, total } = await comments.publicPage(post, offset, limit);
    const next = offset + threads.length < total && threads.length === limit ? encodeCursor({ o: offset + limit }) : null;
    return c.json({ items: threads.map(nested), total, next });
  });

  // ---- staff ----
  staff.get('/', async (c) => {
    const raw = c.req.query('status');
    let statuses: CommentStatus[];
    if (raw === undefined || raw === '') statuses = ['pending', 'published', 'spam'];
    else if ((COMMENT_STATUSES as readonly string[]).includes(raw)) statuses = [raw as CommentStatus];
    else throw new InvalidError(`status must be one of ${COMMENT_STATUSES.join(', ')}.`, { status: 'unknown status' });
    const { limit, cursor } = listQuery(c);
    const page = await comments.list(staffOf(c), { statuses, limit, after: decodeCursor(cursor, sortKey) });
    return c.json({ items: page.items.map(admin), total: page.total, next: page.last ? encodeCursor(page.last) : null });
  });

  staff.get('/:id', async (c) => c.json(admin(await comments.get(staffOf(c), c.req.param('id')))));

  staff.get('/:id/revisions', async (c) => {
    const revisions = await comments.revisions(staffOf(c), c.req.param('id'));
    return c.json({
      items: revisions.map((r) => ({ markdown: r.markdown, editedAt: isoTime(r.editedAt), editedBy: r.editedBy })),
      total: revisions.length,
      next: null,
    });
  });

  staff.post('/:id/reply', async (c) => {
    const { markdown } = await jsonBody(c, markdownBody);
    return c.json(admin(await comments.reply(staffOf(c), c.req.param('id'), markdown)), 201);
  });

  // Only the moves' names match, so /:id/reply above is never read as an action.
  staff.post(`/:id/:action{${COMMENT_ACTIONS.join('|')}}`, async (c) => {
    const action = c.req.param('action') as CommentAction;
    return c.json(admin(await comments.act(staffOf(c), c.req.param('id'), action)));
  });

  staff.patch('/:id', async (c) => {
    // A body that is not JSON reads as no words (422, naming the field); one not sent as JSON is a 415.
    const raw = await readJson(c).catch((err: unknown) => {
      if (err instanceof UnsupportedMediaTypeError) throw err;
      return undefined;
    });
    const { markdown } = parseWith(markdownBody, raw);
    return c.json(admin(await comments.edit(staffOf(c), c.req.param('id'), markdown)));
  });

  inbox.get('/', async (c) => {
    const { limit, cursor } = listQuery(c);
    const page = await comments.inbox(staffOf(c), { limit, after: decodeCursor(cursor, sortKey) });
    return c.json({
      items: page.items.map((i) => ({ comment: admin(i.comment), post: i.post, waitingSince: isoTime(i.waitingSince) })),
      total: page.total,
      next: page.last ? encodeCursor(page.last) : null,
    });
  });

  return { threads, staff, inbox };
}
