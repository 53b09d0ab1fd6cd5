// The admin JSON API for posts and pages, an area of the admin group (src/api/api-routes.ts), which
// checks the token and the role first. Routes parse, call the service, present.
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { POST_KINDS, POST_STATUSES, type PostKind, type PostStatus } from '../db/tables.js';
import { InvalidError } from '../errors.js';
import { decodeCursor, encodeCursor, jsonBody, listQuery, staffOf } from '../web/api.js';
import type { AppEnv } from '../web/env.js';
import { presentPost } from './post-present.js';
import { createPostSchema, parseTime, updatePostSchema } from './post-schemas.js';
import type { PostService } from './post-service.js';

const isCursor = (v: unknown): v is { updatedAt: number; id: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { updatedAt?: unknown }).updatedAt === 'number' &&
  typeof (v as { id?: unknown }).id === 'string';

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new InvalidError(`${name} must be one of ${allowed.join(', ')}.`, { [name]: 'unknown value' });
  return value as T;
}

export function postApiRoutes(deps: { baseUrl: string; clock: Clock; posts: PostService }) {
  const { posts, baseUrl, clock } = deps;
  const app = new Hono<AppEnv>();
  const present = (post: Parameters<typeof presentPost>[0]) => presentPost(post, baseUrl, clock.now());

  app.get('/', async (c) => {
    const { limit, cursor } = listQuery(c);
    const after = decodeCursor(cursor, isCursor);
    const staff = staffOf(c);
    const kind = oneOf<PostKind>(c.req.query('kind'), POST_KINDS, 'kind');
    const status = oneOf<PostStatus>(c.req.query('status'), POST_STATUSES, 'status');
    const { posts: found, total } = await posts.listForAdmin(
      {
        limit,
        ...(kind ? { kind } : {}),
        ...(status ? { status } : {}),
        ...(after ? { after } : {}),
        ...(staff.role === 'author' ? { authorId: staff.id } : {}),
      },
      staff,
    );
    const last = found.at(-1);
    return c.json({
      items: found.map(present),
      total,
      next: found.length === limit && last ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null,
    });
  });

  app.post('/', async (c) => {
    const staff = staffOf(c);
    const body = await jsonBody(c, createPostSchema);
    const post = await posts.create(
      {
        ...body,
        excerpt: body.excerpt ?? undefined,
        publishedAt: parseTime(body.publishedAt),
        authorId: body.authorId ?? staff.id,
      },
      staff,
    );
    c.header('Location', `/api/v1/admin/posts/${post.id}`);
    return c.json(present(post), 201);
  });

  app.get('/:id', async (c) => c.json(present(await posts.get(c.req.param('id'), staffOf(c)))));

  app.patch('/:id', async (c) => {
    const body = await jsonBody(c, updatePostSchema);
    const post = await posts.update(c.req.param('id'), { ...body, publishedAt: parseTime(body.publishedAt) }, staffOf(c));
    return c.json(present(post));
  });

  app.delete('/:id', async (c) => {
    await posts.remove(c.req.param('id'), staffOf(c));
    return c.body(null, 204);
  });

  return app;
}
