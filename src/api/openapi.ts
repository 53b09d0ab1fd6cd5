// The OpenAPI 3.1 description of the JSON API, built from the same zod schemas that validate it.
import { z } from 'zod';
import { createPostSchema, postJsonSchema, updatePostSchema } from '../posts/post-schemas.js';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          enum: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'invalid', 'conflict', 'too_large', 'too_many', 'unavailable'],
        },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

const commentSchema = {
  type: 'object',
  required: ['id', 'postId', 'parentId', 'status', 'visibility', 'authorName', 'authorRole', 'markdown', 'html', 'createdAt', 'editedAt'],
  properties: {
    id: { type: 'string' },
    postId: { type: 'string' },
    parentId: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['pending', 'published', 'spam', 'trash'] },
    visibility: { type: 'string', enum: ['public', 'private'] },
    authorName: { type: 'string' },
    authorRole: { type: 'string', enum: ['reader', 'owner', 'author', 'moderator'] },
    authorEmail: { type: 'string', description: 'admin endpoints only' },
    editedBy: {
      type: ['object', 'null'],
      description:
        'admin endpoints only: who last changed the words, a staff member (staffId) or the writer (staffId null); null when never edited or unknown',
      required: ['name', 'staffId'],
      properties: { name: { type: 'string' }, staffId: { type: ['string', 'null'] } },
    },
    markdown: {
      type: ['string', 'null'],
      description:
        'The Markdown source, for a comment written in Markdown (render it with a sanitizer, as any reader text). null for a comment imported as HTML: show `html`.',
    },
    html: { type: 'string', description: 'The comment as HTML, sanitized: safe to show as it is.' },
    createdAt: { type: 'string', format: 'date-time' },
    editedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const list = (item: object) => ({
  type: 'object',
  required: ['items', 'total', 'next'],
  properties: { items: { type: 'array', items: item }, total: { type: 'integer' }, next: { type: ['string', 'null'] } },
});

const json = (s: object) => ({ content: { 'application/json': { schema: s } } });
const errors = {
  '400': { description: 'A cursor this API never gave out, or a body that cannot be read', ...json(errorSchema) },
  '401': { description: 'No valid token', ...json(errorSchema) },
  '403': { description: 'The token’s role may not do this', ...json(errorSchema) },
};
const listParams = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, default: 50, maximum: 500 },
    description: 'larger values are clamped to 500',
  },
  { name: 'cursor', in: 'query', schema: { type: 'string' } },
];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const commentAction = (action: string, summary: string) => ({
  post: {
    summary,
    parameters: [idParam],
    responses: { '200': { description: `The comment, ${action}`, ...json(commentSchema) }, ...errors },
  },
});

const ownerOnly = (summary: string, extra: object = {}) => ({ summary: `${summary} (owner only)`, security: [{ bearer: [] }], ...extra });

/** Email: the outbox, development mail, subscribers, the newsletter and notification choices. */
const emailPaths = {
  '/admin/outbox': {
    get: ownerOnly('Outbox messages by status (e.g. ?status=parked: given up after repeated failures)', {
      parameters: [
        ...listParams,
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['queued', 'sending', 'sent', 'parked', 'skipped'] } },
      ],
      responses: { '200': { description: 'A page of messages', ...json(list({ type: 'object' })) }, ...errors },
    }),
  },
  '/admin/outbox/{id}/retry': {
    post: ownerOnly('Queue a parked message again', {
      parameters: [idParam],
      responses: { '200': { description: 'Queued again' }, ...errors },
    }),
  },
  '/admin/mail': {
    get: ownerOnly('Messages written as .eml files while SMTP_URL is unset', {
      responses: { '200': { description: 'The files', ...json(list({ type: 'object' })) }, ...errors },
    }),
  },
  '/admin/mail/{name}': {
    get: ownerOnly('One .eml file', {
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'The raw message', content: { 'message/rfc822': {} } }, ...errors },
    }),
  },
  '/admin/subscribers': {
    get: ownerOnly('Newsletter subscribers', {
      parameters: listParams,
      responses: { '200': { description: 'A page', ...json(list({ type: 'object' })) }, ...errors },
    }),
  },
  '/admin/subscribers/export': {
    get: ownerOnly('Subscribers as CSV', { responses: { '200': { description: 'CSV', content: { 'text/csv': {} } }, ...errors } }),
  },
  '/admin/subscribers/import': {
    post: ownerOnly('Add subscribers from CSV (email column)', {
      requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
      responses: { '200': { description: 'Counts of added and skipped rows' }, ...errors },
    }),
  },
  '/admin/posts/{id}/send-newsletter': {
    post: {
      summary: 'Send a published post to confirmed subscribers, in throttled batches; each subscriber gets it once',
      security: [{ bearer: [] }],
      parameters: [idParam],
      responses: { '202': { description: 'Queued' }, ...errors },
    },
  },
  '/admin/settings/email': {
    get: ownerOnly('Email settings'),
    patch: ownerOnly('Change email settings', { requestBody: { required: true, ...json({ type: 'object' }) } }),
  },
  '/admin/me/notifications': {
    get: { summary: 'Which emails the signed-in staff member receives', security: [{ bearer: [] }] },
    put: {
      summary: 'Choose them (reader comments, moderation, daily digest)',
      security: [{ bearer: [] }],
      requestBody: { required: true, ...json({ type: 'object' }) },
    },
  },
};

export function openApiDocument(baseUrl: string) {
  const post = schema(postJsonSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hearth API',
      version: '1',
      description:
        'Posts, comments and the author’s inbox. Admin endpoints take `Authorization: Bearer <token>` (see `hearth token create`).',
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Post: post, Comment: commentSchema, Error: errorSchema },
    },
    paths: {
      '/admin/posts': {
        get: {
          summary: 'List posts and pages, most recently changed first',
          security: [{ bearer: [] }],
          parameters: [
            ...listParams,
            { name: 'kind', in: 'query', schema: { type: 'string', enum: ['post', 'page'] } },
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['draft', 'scheduled', 'published'] } },
          ],
          responses: { '200': { description: 'A page of posts', ...json(list(post)) }, ...errors },
        },
        post: {
          summary: 'Create a post or page',
          security: [{ bearer: [] }],
          requestBody: { required: true, ...json(schema(createPostSchema, 'input')) },
          responses: {
            '201': { description: 'The new post', ...json(post) },
            '422': { description: 'Invalid fields', ...json(errorSchema) },
            ...errors,
          },
        },
      },
      '/admin/posts/{id}': {
        parameters: [idParam],
        get: {
          summary: 'One post',
          security: [{ bearer: [] }],
          responses: { '200': { description: 'The post', ...json(post) }, ...errors },
        },
        patch: {
          summary: 'Change a post; a new slug keeps a 301 from the old address',
          security: [{ bearer: [] }],
          requestBody: { required: true, ...json(schema(updatePostSchema, 'input')) },
          responses: {
            '200': { description: 'The changed post', ...json(post) },
            '422': { description: 'Invalid fields', ...json(errorSchema) },
            ...errors,
          },
        },
        delete: { summary: 'Delete a post', security: [{ bearer: [] }], responses: { '204': { description: 'Deleted' }, ...errors } },
      },
      '/admin/media': {
        post: {
          summary:
            'Upload an image (JPEG, PNG, WebP, GIF or AVIF, at most 10 MB and 40 megapixels, every frame counted: 422 past that); metadata is stripped and resized WebP variants made',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
              },
            },
          },
          responses: {
            '201': {
              description: 'The stored image and its variants',
              ...json({
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  url: { type: 'string' },
                  width: { type: 'integer' },
                  height: { type: 'integer' },
                  type: { type: 'string' },
                  variants: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { url: { type: 'string' }, width: { type: 'integer' }, type: { type: 'string' } },
                    },
                  },
                  srcset: { type: 'string' },
                  webpSrcset: { type: 'string' },
                },
              }),
            },
            '413': { description: 'Over 10 MB', ...json(errorSchema) },
            '422': { description: 'Not an image Hearth can use', ...json(errorSchema) },
            ...errors,
          },
        },
      },
      '/admin/comments': {
        get: {
          summary: 'Comments on every post, newest first (status none = all but trash)',
          security: [{ bearer: [] }],
          parameters: [
            ...listParams,
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['pending', 'published', 'spam', 'trash'] } },
          ],
          responses: { '200': { description: 'A page of comments', ...json(list(commentSchema)) }, ...errors },
        },
      },
      '/admin/comments/{id}': {
        parameters: [idParam],
        get: {
          summary: 'One comment',
          security: [{ bearer: [] }],
          responses: { '200': { description: 'The comment', ...json(commentSchema) }, ...errors },
        },
        patch: {
          summary: 'Edit a comment as staff; the earlier words are kept as a revision',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            ...json({ type: 'object', required: ['markdown'], properties: { markdown: { type: 'string' } } }),
          },
          responses: { '200': { description: 'The edited comment', ...json(commentSchema) }, ...errors },
        },
      },
      '/admin/comments/{id}/revisions': {
        get: {
          summary: 'Earlier words of an edited comment, oldest first',
          security: [{ bearer: [] }],
          parameters: [idParam],
          responses: {
            '200': { description: 'Revisions', ...json({ type: 'object', properties: { items: { type: 'array' } } }) },
            ...errors,
          },
        },
      },
      '/admin/comments/{id}/approve': commentAction('approved', 'Publish a held comment'),
      '/admin/comments/{id}/spam': commentAction('marked as spam', 'Mark as spam'),
      '/admin/comments/{id}/trash': commentAction('in the trash', 'Move to the trash'),
      '/admin/comments/{id}/restore': commentAction('restored', 'Restore from spam or trash'),
      '/admin/comments/{id}/reply': {
        post: {
          summary: 'Reply as staff (published at once; replying to a held comment approves it)',
          security: [{ bearer: [] }],
          parameters: [idParam],
          requestBody: {
            required: true,
            ...json({ type: 'object', required: ['markdown'], properties: { markdown: { type: 'string' } } }),
          },
          responses: { '201': { description: 'The reply', ...json(commentSchema) }, ...errors },
        },
      },
      '/admin/inbox': {
        get: {
          summary: 'Threads awaiting a staff answer, oldest wait first',
          security: [{ bearer: [] }],
          parameters: listParams,
          responses: {
            '200': {
              description: 'A page of inbox items',
              ...json(
                list({
                  type: 'object',
                  required: ['comment', 'post', 'waitingSince'],
                  properties: {
                    comment: commentSchema,
                    post: { type: 'object', properties: { id: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' } } },
                    waitingSince: { type: 'string', format: 'date-time' },
                  },
                }),
              ),
            },
            ...errors,
          },
        },
      },
      ...emailPaths,
      '/posts/{slug}/comments': {
        get: {
          summary: 'The published public thread of a post, nested, paged by top-level thread',
          parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }, ...listParams],
          responses: { '200': { description: 'Threads', ...json(list(commentSchema)) } },
        },
      },
    },
  };
}
