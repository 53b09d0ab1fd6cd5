// The OpenAPI 3.1 description of the JSON API, built from the same zod schemas that validate it.
// Each operation lists every status the server can answer it with: the errors come from one table,
// and an operation names the ones its route and service can throw. src/api/openapi.test.ts lints
// the served document with redocly's recommended rules; src/api/api-conformance.test.ts calls every
// operation and checks each real answer against it.
import { z } from 'zod';
import { COMMENT_STATUSES, OUTBOX_STATUSES, POST_STATUSES, STAFF_ROLES, SUBSCRIPTION_STATUSES } from '../db/tables.js';
import { emailSettingsSchema } from '../notify/email-settings.js';
import { createPostSchema, postJsonSchema, updatePostSchema } from '../posts/post-schemas.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../web/api.js';

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema, without the `$schema` line that does not belong inside a document. */
function fromZod(s: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };

// ---- shapes ----

const errorSchema = {
  type: 'object',
  description: 'Every error: a stable code, a sentence for people, and for 422 a message per field.',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: {
          type: 'string',
          enum: [
            'bad_request',
            'unauthorized',
            'forbidden',
            'not_found',
            'gone',
            'invalid',
            'conflict',
            'too_large',
            'unsupported_media_type',
            'too_many',
            'unavailable',
            'internal',
          ],
        },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

const commentProperties = {
  id: { type: 'string' },
  postId: { type: 'string' },
  parentId: { type: ['string', 'null'] },
  status: { type: 'string', enum: [...COMMENT_STATUSES] },
  visibility: { type: 'string', enum: ['public', 'private'] },
  authorName: { type: 'string' },
  authorRole: { type: 'string', enum: ['reader', ...STAFF_ROLES] },
  markdown: {
    type: ['string', 'null'],
    description:
      'The Markdown source, for a comment written in Markdown (render it with a sanitizer, as any reader text). null for a comment imported as HTML: show `html`.',
  },
  html: { type: 'string', description: 'The comment as HTML, sanitized: safe to show as it is.' },
  createdAt: time,
  editedAt: nullableTime,
};

/** The fields every comment has; AdminComment and ThreadComment add theirs and allow nothing else. */
const commentSchema = {
  type: 'object',
  description: 'A comment: what the public and staff both see.',
  required: Object.keys(commentProperties),
  properties: commentProperties,
};

const adminCommentSchema = {
  description: 'A comment as staff see it: with the writer’s email and who last changed the words.',
  allOf: [ref('Comment')],
  type: 'object',
  required: ['authorEmail', 'editedBy'],
  properties: {
    authorEmail: { type: 'string' },
    editedBy: {
      type: ['object', 'null'],
      description: 'Who last changed the words: a staff member (staffId) or the writer (staffId null); null when never edited or unknown.',
      required: ['name', 'staffId'],
      additionalProperties: false,
      properties: { name: { type: 'string' }, staffId: { type: ['string', 'null'] } },
    },
  },
  unevaluatedProperties: false,
};

const threadCommentSchema = {
  description: 'A published public comment with its published public replies, nested to any depth.',
  allOf: [ref('Comment')],
  type: 'object',
  required: ['replies'],
  properties: { replies: { type: 'array', items: ref('ThreadComment') } },
  unevaluatedProperties: false,
};

const inboxItemSchema = {
  type: 'object',
  description: 'A thread awaiting a staff answer: its oldest reader comment still waiting, and the post.',
  required: ['comment', 'post', 'waitingSince'],
  additionalProperties: false,
  properties: {
    comment: ref('AdminComment'),
    post: {
      type: 'object',
      required: ['id', 'slug', 'title'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, slug: { type: 'string' }, title: { type: 'string' } },
    },
    waitingSince: time,
  },
};

const revisionSchema = {
  type: 'object',
  required: ['markdown', 'editedAt', 'editedBy'],
  additionalProperties: false,
  properties: { markdown: { type: 'string' }, editedAt: time, editedBy: { type: 'string' } },
};

const mediaSchema = {
  type: 'object',
  required: ['id', 'url', 'width', 'height', 'type', 'variants', 'srcset', 'webpSrcset'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    url: { type: 'string', description: 'Root-relative (/media/...).' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    type: { type: 'string' },
    variants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['url', 'width', 'type'],
        additionalProperties: false,
        properties: { url: { type: 'string' }, width: { type: 'integer' }, type: { type: 'string' } },
      },
    },
    srcset: { type: 'string' },
    webpSrcset: { type: 'string' },
  },
};

const outboxMessageSchema = {
  type: 'object',
  required: ['id', 'kind', 'type', 'to', 'status', 'attempts', 'lastError', 'nextAttemptAt', 'createdAt', 'sentAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    type: { type: ['string', 'null'], description: 'The kind of email; links and tokens of the message stay private.' },
    to: { type: ['string', 'null'] },
    status: { type: 'string', enum: [...OUTBOX_STATUSES] },
    attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    nextAttemptAt: nullableTime,
    createdAt: nullableTime,
    sentAt: nullableTime,
  },
};

const mailFileSchema = {
  type: 'object',
  required: ['name', 'messageId', 'to', 'subject', 'date', 'bytes'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    messageId: { type: 'string' },
    to: { type: 'string' },
    subject: { type: 'string' },
    date: { type: 'string' },
    bytes: { type: 'integer' },
  },
};

const subscriberSchema = {
  type: 'object',
  required: ['email', 'status', 'source', 'createdAt', 'confirmedAt', 'unsubscribedAt'],
  additionalProperties: false,
  properties: {
    email: { type: 'string' },
    status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES] },
    source: { type: ['string', 'null'] },
    createdAt: nullableTime,
    confirmedAt: nullableTime,
    unsubscribedAt: nullableTime,
  },
};

const notificationsSchema = {
  type: 'object',
  description: 'Which emails a staff member receives.',
  required: ['comments', 'moderation', 'digest'],
  additionalProperties: false,
  properties: {
    comments: { type: 'boolean', description: 'A reader’s new comment on her posts.' },
    moderation: { type: 'boolean', description: 'Comments awaiting moderation.' },
    digest: { type: 'boolean', description: 'The daily “awaiting your reply” email.' },
  },
};

const list = (item: JsonSchema, what: string) => ({
  type: 'object',
  description: `A page of ${what}; pass \`next\` back as \`cursor\` for the following page (null: none).`,
  required: ['items', 'total', 'next'],
  additionalProperties: false,
  properties: { items: { type: 'array', items: item }, total: { type: 'integer', minimum: 0 }, next: { type: ['string', 'null'] } },
});

const markdownBody = {
  type: 'object',
  required: ['markdown'],
  additionalProperties: false,
  properties: { markdown: { type: 'string', minLength: 1, maxLength: 100_000 } },
};

// ---- operations ----

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};

/** What every error means, whatever the operation; an operation may say more. */
const ERRORS: Record<ErrorStatus, string> = {
  400: 'The request cannot be read: an address holding %00, a cursor this API never gave out, or a broken multipart body.',
  401: 'No valid token: send `Authorization: Bearer <token>`.',
  403: 'The token’s role may not do this.',
  404: 'Nothing has this id or slug (or the token may not see it).',
  409: 'The thing is not in a state that allows this.',
  413: `The body is larger than the limit (256 KB; 10 MB for an image).`,
  415: 'The body is not sent as JSON (`Content-Type: application/json`).',
  422: 'Some fields or query parameters are wrong: `error.fields` names each.',
  429: 'Too many requests: wait as long as `Retry-After` says.',
  503: 'The database does not answer just now: nothing was changed; try again after `Retry-After`.',
};

function errorResponse(status: ErrorStatus, description: string | true) {
  return {
    description: description === true ? ERRORS[status] : description,
    ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } } } : {}),
    ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
    content: json(ref('Error')),
  };
}

interface OperationSpec {
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  /** Staff operations take a bearer token; public ones take nothing. */
  staff: boolean;
  parameters?: JsonSchema[];
  body?: { content: Record<string, unknown>; description?: string };
  ok: { status: number; description: string; content?: Record<string, unknown>; headers?: Record<string, unknown> };
  /** The errors this operation can answer, beyond 400 and (on a database) 503; `true` takes the table's words. */
  errors: Partial<Record<ErrorStatus, string | true>>;
  /** Answers without the database (the document itself): no 503. */
  noDatabase?: boolean;
}

function operation(spec: OperationSpec) {
  const errors: Partial<Record<ErrorStatus, string | true>> = {
    400: true,
    ...(spec.staff ? { 401: true } : {}),
    ...(spec.body ? { 413: true } : {}),
    ...(spec.noDatabase ? {} : { 503: true }),
    ...spec.errors,
  };
  const responses: Record<string, unknown> = {
    [String(spec.ok.status)]: {
      description: spec.ok.description,
      ...(spec.ok.headers ? { headers: spec.ok.headers } : {}),
      ...(spec.ok.content ? { content: spec.ok.content } : {}),
    },
  };
  for (const status of Object.keys(errors).map(Number).sort() as ErrorStatus[]) {
    responses[String(status)] = errorResponse(status, errors[status] as string | true);
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    security: spec.staff ? [{ bearer: [] }] : [],
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, ...spec.body } } : {}),
    responses,
  };
}

const listParams = [
  {
    name: 'limit',
    in: 'query',
    description: `How many items (default ${DEFAULT_LIMIT}); larger values are clamped to ${MAX_LIMIT}. Not a whole number above 0: 422.`,
    schema: { type: 'integer', minimum: 1, default: DEFAULT_LIMIT },
  },
  { name: 'cursor', in: 'query', description: 'The `next` of the page before.', schema: { type: 'string' } },
];
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const idParam = (what: string) => pathParam('id', `The ${what}’s id.`);
const statusQuery = (values: readonly string[], description: string) => ({
  name: 'status',
  in: 'query',
  description: `${description} Any other value: 422.`,
  schema: { type: 'string', enum: [...values] },
});

const commentAction = (action: string, operationId: string, summary: string, description: string) =>
  operation({
    operationId,
    summary,
    description: `${description} Repeating it answers 200 with the comment as it is.`,
    tag: 'comments',
    staff: true,
    parameters: [idParam('comment')],
    ok: { status: 200, description: `The comment, ${action}.`, content: json(ref('AdminComment')) },
    errors: {
      403: 'The comment is on another author’s post.',
      404: true,
      409: 'The comment is in a state this move does not leave from (restore it first).',
      413: true,
    },
  });

const ownerOnly = 'Only the owner may use this.';

/** Email: the outbox, development mail, subscribers, sending a post, and notification choices. */
function emailPaths() {
  return {
    '/admin/outbox': {
      get: operation({
        operationId: 'listOutbox',
        summary: 'List outbox messages',
        description:
          'Outbox messages of one status, newest first; by default the parked ones (given up after repeated failures). Owner only.',
        tag: 'email',
        staff: true,
        parameters: [...listParams, statusQuery(OUTBOX_STATUSES, 'Which messages (default parked).')],
        ok: { status: 200, description: 'A page of messages.', content: json(list(ref('OutboxMessage'), 'messages')) },
        errors: { 403: ownerOnly, 422: true },
      }),
    },
    '/admin/outbox/{id}/retry': {
      post: operation({
        operationId: 'retryOutboxMessage',
        summary: 'Queue a parked message again',
        description: 'Puts a parked message back in the queue, to be sent at once. Owner only.',
        tag: 'email',
        staff: true,
        parameters: [idParam('message')],
        ok: { status: 200, description: 'The message, queued again.', content: json(ref('OutboxMessage')) },
        errors: { 403: ownerOnly, 404: 'No parked message has this id.', 413: true },
      }),
    },
    '/admin/mail': {
      get: operation({
        operationId: 'listMailFiles',
        summary: 'List mail written to files',
        description: 'The messages written as .eml files while SMTP_URL is unset, newest first. Owner only.',
        tag: 'email',
        staff: true,
        ok: { status: 200, description: 'Every file.', content: json(list(ref('MailFile'), 'mail files')) },
        errors: { 403: ownerOnly },
      }),
    },
    '/admin/mail/{name}': {
      get: operation({
        operationId: 'getMailFile',
        summary: 'Read one mail file',
        description: 'One .eml file as it was written. Owner only.',
        tag: 'email',
        staff: true,
        parameters: [pathParam('name', 'The file’s name, as listed.')],
        ok: { status: 200, description: 'The raw message.', content: { 'message/rfc822': { schema: { type: 'string' } } } },
        errors: { 403: ownerOnly, 404: 'No file has this name.' },
      }),
    },
    '/admin/subscribers': {
      get: operation({
        operationId: 'listSubscribers',
        summary: 'List newsletter subscribers',
        description: 'Newsletter subscribers by email address. Owner only.',
        tag: 'email',
        staff: true,
        parameters: [...listParams, statusQuery(SUBSCRIPTION_STATUSES, 'Only subscribers of this status.')],
        ok: { status: 200, description: 'A page of subscribers.', content: json(list(ref('Subscriber'), 'subscribers')) },
        errors: { 403: ownerOnly, 422: true },
      }),
    },
    '/admin/subscribers/export': {
      get: operation({
        operationId: 'exportSubscribers',
        summary: 'Export subscribers as CSV',
        description: 'Every newsletter subscriber as a CSV file with a header row. Owner only.',
        tag: 'email',
        staff: true,
        ok: {
          status: 200,
          description: 'The CSV file.',
          headers: { 'Content-Disposition': { description: 'attachment; filename="subscribers.csv"', schema: { type: 'string' } } },
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        errors: { 403: ownerOnly },
      }),
    },
    '/admin/subscribers/import': {
      post: operation({
        operationId: 'importSubscribers',
        summary: 'Import subscribers from CSV',
        description:
          'Adds confirmed newsletter subscribers from a CSV file (its `email` column, or the first). Send the file as the body (text/csv), or JSON `{ "csv": "..." }`. Owner only.',
        tag: 'email',
        staff: true,
        body: {
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/json': {
              schema: { type: 'object', required: ['csv'], additionalProperties: false, properties: { csv: { type: 'string' } } },
            },
          },
        },
        ok: {
          status: 200,
          description: 'How many rows were added, already there, skipped, and the addresses that are not ones.',
          content: json({
            type: 'object',
            required: ['added', 'existing', 'skipped', 'invalid'],
            additionalProperties: false,
            properties: {
              added: { type: 'integer' },
              existing: { type: 'integer' },
              skipped: { type: 'integer' },
              invalid: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
        errors: {
          403: ownerOnly,
          415: 'A JSON body sent with a JSON-like type other than application/json.',
          422: 'An empty file, or more than 100,000 rows.',
        },
      }),
    },
    '/admin/posts/{id}/send-newsletter': {
      post: operation({
        operationId: 'sendNewsletter',
        summary: 'Send a post to subscribers',
        description:
          'Queues a published post for every confirmed subscriber, sent in throttled batches; each subscriber gets it once, however often this is called.',
        tag: 'email',
        staff: true,
        parameters: [idParam('post')],
        ok: {
          status: 202,
          description: 'Queued.',
          content: json({
            type: 'object',
            required: ['postId', 'subscribers', 'queued'],
            additionalProperties: false,
            properties: { postId: { type: 'string' }, subscribers: { type: 'integer' }, queued: { type: 'boolean', const: true } },
          }),
        },
        errors: { 403: 'Only the owner and the post’s author may send it.', 404: true, 409: 'The post is not published.', 413: true },
      }),
    },
    '/admin/settings/email': {
      get: operation({
        operationId: 'getEmailSettings',
        summary: 'Read the email settings',
        description: 'Notification and newsletter settings of the site. Owner only.',
        tag: 'email',
        staff: true,
        ok: { status: 200, description: 'The settings.', content: json(ref('EmailSettings')) },
        errors: { 403: ownerOnly },
      }),
      patch: operation({
        operationId: 'updateEmailSettings',
        summary: 'Change the email settings',
        description: 'Changes the settings named in the body; the others stay. Owner only.',
        tag: 'email',
        staff: true,
        body: { content: json(fromZod(emailSettingsSchema.partial().strict(), 'input')) },
        ok: { status: 200, description: 'The settings, changed.', content: json(ref('EmailSettings')) },
        errors: { 403: ownerOnly, 415: true, 422: true },
      }),
    },
    '/admin/me/notifications': {
      get: operation({
        operationId: 'getMyNotifications',
        summary: 'Read my email notices',
        description: 'Which emails the token’s staff member receives.',
        tag: 'email',
        staff: true,
        ok: { status: 200, description: 'Her choices.', content: json(ref('Notifications')) },
        errors: {},
      }),
      put: operation({
        operationId: 'setMyNotifications',
        summary: 'Choose my email notices',
        description: 'Turns each named notice on or off; those not named stay as they are.',
        tag: 'email',
        staff: true,
        body: {
          content: json({
            type: 'object',
            additionalProperties: false,
            properties: { comments: { type: 'boolean' }, moderation: { type: 'boolean' }, digest: { type: 'boolean' } },
          }),
        },
        ok: { status: 200, description: 'Her choices, changed.', content: json(ref('Notifications')) },
        errors: { 415: true, 422: true },
      }),
    },
  };
}

export function openApiDocument(baseUrl: string) {
  const postOut = fromZod(postJsonSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hearth API',
      version: '1',
      description:
        'Posts, comments and the author’s inbox of a Hearth site. Staff operations take `Authorization: Bearer <token>` (see `hearth token create`, or the workspace’s Account page): 401 without a valid token, 403 for a role that may not. Lists answer `{ items, total, next }`; errors answer `{ error: { code, message, fields? } }`; times are ISO 8601 UTC.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: `${baseUrl}/api/v1`, description: 'This site.' }],
    tags: [
      { name: 'public', description: 'Open to anyone.' },
      { name: 'posts', description: 'Posts and pages (staff).' },
      { name: 'media', description: 'Image uploads (staff).' },
      { name: 'comments', description: 'Moderation, replies and edits (staff).' },
      { name: 'inbox', description: 'Threads awaiting a staff answer.' },
      { name: 'email', description: 'The outbox, subscribers, the newsletter and notices.' },
    ],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token of a staff member; it acts with her role.' },
      },
      schemas: {
        Post: postOut,
        Comment: commentSchema,
        AdminComment: adminCommentSchema,
        ThreadComment: threadCommentSchema,
        InboxItem: inboxItemSchema,
        Revision: revisionSchema,
        Media: mediaSchema,
        OutboxMessage: outboxMessageSchema,
        MailFile: mailFileSchema,
        Subscriber: subscriberSchema,
        EmailSettings: fromZod(emailSettingsSchema),
        Notifications: notificationsSchema,
        Error: errorSchema,
      },
    },
    paths: {
      '/openapi.json': {
        get: operation({
          operationId: 'getOpenApiDocument',
          summary: 'This document',
          description: 'The OpenAPI 3.1 description of this API.',
          tag: 'public',
          staff: false,
          noDatabase: true,
          ok: {
            status: 200,
            description: 'The document.',
            content: json({
              type: 'object',
              required: ['openapi', 'paths'],
              properties: { openapi: { type: 'string' }, paths: { type: 'object' } },
            }),
          },
          errors: {},
        }),
      },
      '/posts/{slug}/comments': {
        get: operation({
          operationId: 'listPostComments',
          summary: 'Read a post’s public thread',
          description:
            'The published public comments of a published post, nested (replies inside their parent, to any depth), paged by top-level thread, oldest first. `total` counts the top-level threads.',
          tag: 'public',
          staff: false,
          parameters: [pathParam('slug', 'The post’s slug.'), ...listParams],
          ok: { status: 200, description: 'A page of threads.', content: json(list(ref('ThreadComment'), 'threads')) },
          errors: { 404: 'No published post has this slug.', 422: true },
        }),
      },
      '/admin/posts': {
        get: operation({
          operationId: 'listPosts',
          summary: 'List posts and pages',
          description: 'Posts and pages, most recently changed first; an author sees her own.',
          tag: 'posts',
          staff: true,
          parameters: [
            ...listParams,
            { name: 'kind', in: 'query', description: 'Only posts or only pages.', schema: { type: 'string', enum: ['post', 'page'] } },
            statusQuery(POST_STATUSES, 'Only posts of this status.'),
          ],
          ok: { status: 200, description: 'A page of posts.', content: json(list(ref('Post'), 'posts')) },
          errors: { 403: 'Moderators work with comments, not posts.', 422: true },
        }),
        post: operation({
          operationId: 'createPost',
          summary: 'Create a post or page',
          description: 'A draft unless `status` says otherwise; scheduled means `scheduled` with a future `publishedAt`.',
          tag: 'posts',
          staff: true,
          body: { content: json(fromZod(createPostSchema, 'input')) },
          ok: {
            status: 201,
            description: 'The new post.',
            headers: { Location: { description: 'The post’s address in this API.', schema: { type: 'string' } } },
            content: json(ref('Post')),
          },
          errors: { 403: 'The role may not write posts, or not in another author’s name.', 415: true, 422: true },
        }),
      },
      '/admin/posts/{id}': {
        parameters: [idParam('post')],
        get: operation({
          operationId: 'getPost',
          summary: 'Read a post',
          description: 'One post or page.',
          tag: 'posts',
          staff: true,
          ok: { status: 200, description: 'The post.', content: json(ref('Post')) },
          errors: { 404: true },
        }),
        patch: operation({
          operationId: 'updatePost',
          summary: 'Change a post',
          description: 'Changes the fields named in the body; a new slug keeps a 301 from the old address.',
          tag: 'posts',
          staff: true,
          body: { content: json(fromZod(updatePostSchema, 'input')) },
          ok: { status: 200, description: 'The changed post.', content: json(ref('Post')) },
          errors: { 403: 'Only the owner and the post’s author may change it.', 404: true, 415: true, 422: true },
        }),
        delete: operation({
          operationId: 'deletePost',
          summary: 'Delete a post',
          description: 'Deletes a post or page and its comments.',
          tag: 'posts',
          staff: true,
          ok: { status: 204, description: 'Deleted.' },
          errors: { 403: 'Only the owner and the post’s author may delete it.', 404: true, 413: true },
        }),
      },
      '/admin/media': {
        post: operation({
          operationId: 'uploadMedia',
          summary: 'Upload an image',
          description:
            'JPEG, PNG, WebP, GIF or AVIF, at most 10 MB and 40 megapixels (every frame counted); metadata is stripped and resized WebP variants made.',
          tag: 'media',
          staff: true,
          body: {
            content: {
              'multipart/form-data': {
                schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
              },
            },
          },
          ok: { status: 201, description: 'The stored image and its variants.', content: json(ref('Media')) },
          errors: { 413: 'Over 10 MB.', 422: 'No file, or not an image Hearth can use.' },
        }),
      },
      '/admin/comments': {
        get: operation({
          operationId: 'listComments',
          summary: 'List comments',
          description:
            'Comments on every post the token may see, staff replies included, newest first; without `status`, all but the trash.',
          tag: 'comments',
          staff: true,
          parameters: [...listParams, statusQuery(COMMENT_STATUSES, 'Only comments of this status.')],
          ok: { status: 200, description: 'A page of comments.', content: json(list(ref('AdminComment'), 'comments')) },
          errors: { 422: true },
        }),
      },
      '/admin/comments/{id}': {
        parameters: [idParam('comment')],
        get: operation({
          operationId: 'getComment',
          summary: 'Read a comment',
          description: 'One comment, with the writer’s email.',
          tag: 'comments',
          staff: true,
          ok: { status: 200, description: 'The comment.', content: json(ref('AdminComment')) },
          errors: { 403: 'The comment is on another author’s post.', 404: true },
        }),
        patch: operation({
          operationId: 'editComment',
          summary: 'Edit a comment',
          description: 'Changes a comment’s words as staff; the earlier words are kept as a revision.',
          tag: 'comments',
          staff: true,
          body: { content: json(markdownBody) },
          ok: { status: 200, description: 'The edited comment.', content: json(ref('AdminComment')) },
          errors: { 403: 'The comment is on another author’s post, or is another staff member’s reply.', 404: true, 415: true, 422: true },
        }),
      },
      '/admin/comments/{id}/revisions': {
        get: operation({
          operationId: 'listCommentRevisions',
          summary: 'List a comment’s earlier words',
          description: 'The words an edited comment had before each edit, oldest first.',
          tag: 'comments',
          staff: true,
          parameters: [idParam('comment')],
          ok: { status: 200, description: 'Every revision.', content: json(list(ref('Revision'), 'revisions')) },
          errors: { 403: 'The comment is on another author’s post.', 404: true },
        }),
      },
      '/admin/comments/{id}/approve': {
        post: commentAction('published', 'approveComment', 'Approve a comment', 'Publishes a held comment.'),
      },
      '/admin/comments/{id}/spam': {
        post: commentAction('marked as spam', 'markCommentSpam', 'Mark a comment as spam', 'Moves a comment to spam.'),
      },
      '/admin/comments/{id}/trash': {
        post: commentAction('in the trash', 'trashComment', 'Move a comment to the trash', 'Moves a comment to the trash.'),
      },
      '/admin/comments/{id}/restore': {
        post: commentAction('restored', 'restoreComment', 'Restore a comment', 'Brings a comment back from spam or the trash.'),
      },
      '/admin/comments/{id}/reply': {
        post: operation({
          operationId: 'replyToComment',
          summary: 'Reply to a comment',
          description: 'Replies as staff, published at once; replying to a held comment approves it.',
          tag: 'comments',
          staff: true,
          parameters: [idParam('comment')],
          body: { content: json(markdownBody) },
          ok: { status: 201, description: 'The reply.', content: json(ref('AdminComment')) },
          errors: {
            403: 'The comment is on another author’s post.',
            404: true,
            409: 'The comment is in spam or the trash: restore it first.',
            415: true,
            422: true,
          },
        }),
      },
      '/admin/inbox': {
        get: operation({
          operationId: 'listInbox',
          summary: 'List threads awaiting an answer',
          description:
            'One item per thread whose reader comment awaits a staff answer, oldest wait first (published reader comments, public or private).',
          tag: 'inbox',
          staff: true,
          parameters: listParams,
          ok: { status: 200, description: 'A page of inbox items.', content: json(list(ref('InboxItem'), 'inbox items')) },
          errors: { 422: true },
        }),
      },
      ...emailPaths(),
    },
  };
}
