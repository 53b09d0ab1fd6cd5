// The JSON shapes of the posts API: what clients send (validated here, at the edge) and what they
// get back. The OpenAPI document is generated from these same schemas.
import { z } from 'zod';
import { COMMENTS_MODES, POST_STATUSES } from '../db/tables.js';

/**
 * A cover image address, as the API and the editor both check it: a path on this site or an
 * http(s) address. Nothing else (javascript:, data:) ever reaches a page's <img> or og:image.
 */
export const isCoverImageAddress = (v: string): boolean => v.startsWith('/') || /^https?:\/\/\S+$/.test(v);

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time such as 2026-05-01T09:00:00Z' });

const fields = {
  kind: z.enum(['post', 'page'], { message: 'must be "post" or "page"' }),
  title: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters'),
  slug: z.string().max(120, 'must be at most 120 characters'),
  markdown: z.string().max(500_000, 'must be at most 500,000 characters'),
  excerpt: z.string().max(1000, 'must be at most 1,000 characters').nullable(),
  status: z.enum(POST_STATUSES, { message: `must be one of ${POST_STATUSES.join(', ')}` }),
  publishedAt: isoTime.nullable(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30, 'at most 30 tags'),
  authorId: z.string().min(1),
  commentsMode: z.enum(COMMENTS_MODES),
  commentsCloseDays: z.number().int().min(1).max(3650).nullable(),
  coverImage: z
    .string()
    .trim()
    .max(2000, 'must be at most 2,000 characters')
    // Empty is no cover, as in the editor.
    .transform((v) => (v === '' ? null : v))
    .refine((v) => v === null || isCoverImageAddress(v), 'must be an address starting with / or https://')
    .nullable(),
  metaTitle: z.string().max(300).nullable(),
  metaDescription: z.string().max(500).nullable(),
};

export const createPostSchema = z
  .object({
    ...fields,
    markdown: fields.markdown.default(''),
    kind: fields.kind.default('post'),
    status: fields.status.default('draft'),
  })
  .partial({
    slug: true,
    excerpt: true,
    publishedAt: true,
    tags: true,
    authorId: true,
    commentsMode: true,
    commentsCloseDays: true,
    coverImage: true,
    metaTitle: true,
    metaDescription: true,
  })
  .strict();

export const updatePostSchema = z.object(fields).partial().strict();

export const postJsonSchema = z.object({
  id: z.string(),
  kind: z.enum(['post', 'page']),
  title: z.string(),
  slug: z.string(),
  /** What `markdown` holds: Markdown, or HTML for posts imported from WordPress. */
  markdown: z
    .string()
    .describe(
      'The source its author edits: Markdown, or (format "html") the HTML a post was imported with, as it came and unsanitized. Never show it: show `html`.',
    ),
  format: z.enum(['markdown', 'html']),
  html: z.string().describe('The post as HTML, sanitized: safe to show as it is.'),
  excerpt: z.string(),
  status: z.enum(POST_STATUSES),
  publishedAt: z.string().nullable(),
  tags: z.array(z.string()),
  authorId: z.string(),
  commentsMode: z.enum(COMMENTS_MODES),
  commentCount: z.number(),
  coverImage: z.string().nullable(),
  url: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type PostJson = z.infer<typeof postJsonSchema>;
export const parseTime = (iso: string | null | undefined) => (iso === undefined ? undefined : iso === null ? null : Date.parse(iso));
