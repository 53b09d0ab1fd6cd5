// The editor's form: what it sends (all text, kept as typed for a re-render) and how it becomes the
// changes PostService takes. Times are typed in UTC (a datetime-local input labelled so).

import { z } from 'zod';
import { LOCALES } from '../i18n/locales.js';
import { isCoverImageAddress } from '../posts/post-schemas.js';
import type { PostWithTags } from '../posts/post-service.js';

export const EDITOR_INTENTS = ['save', 'preview', 'publish', 'unpublish'] as const;
export type EditorIntent = (typeof EDITOR_INTENTS)[number];

/** The form as typed: every field a string, so a re-render shows exactly what was sent. */
export interface PostFormValues {
  title: string;
  slug: string;
  markdown: string;
  excerpt: string;
  tags: string;
  publishAt: string;
  coverImage: string;
  metaTitle: string;
  metaDescription: string;
  /** The post's own language, or '' for the site's. */
  language: string;
}

export const FORM_FIELDS = [
  'title',
  'slug',
  'markdown',
  'excerpt',
  'tags',
  'publishAt',
  'coverImage',
  'metaTitle',
  'metaDescription',
  'language',
] as const;

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} must be at most ${max.toLocaleString('en-US')} characters`)
    .transform((v) => (v === '' ? null : v));

export const postFormSchema = z.object({
  title: z.string().trim().min(1, 'Give it a title.').max(300, 'The title must be at most 300 characters.'),
  slug: z.string().trim().max(120, 'The slug must be at most 120 characters.'),
  markdown: z.string().max(500_000, 'The text must be at most 500,000 characters.'),
  excerpt: optionalText(1000, 'The excerpt'),
  tags: z
    .string()
    .max(2000, 'Too many tags.')
    .transform((v) =>
      v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .refine((tags) => tags.length <= 30, 'At most 30 tags.')
    .refine((tags) => tags.every((t) => t.length <= 60), 'A tag may have at most 60 characters.'),
  publishAt: z
    .string()
    .trim()
    .refine(
      (v) => v === '' || (LOCAL_TIME.test(v) && !Number.isNaN(Date.parse(`${v}Z`))),
      'Use a date and time like 2026-05-01T09:00 (UTC).',
    )
    .transform((v) => (v === '' ? null : Date.parse(`${v}Z`))),
  coverImage: optionalText(2000, 'The cover image address').refine(
    (v) => v === null || isCoverImageAddress(v),
    'The cover image must be an address starting with / or https://.',
  ),
  metaTitle: optionalText(300, 'The search title'),
  metaDescription: optionalText(500, 'The search description'),
  language: z.union([z.literal(''), z.enum(LOCALES)], 'Choose one of the languages listed.').transform((v) => (v === '' ? null : v)),
});

export type ParsedPostForm = z.output<typeof postFormSchema>;

/** Reads the form fields from a parsed body; anything missing is empty. */
export function formValues(body: Record<string, unknown>): PostFormValues {
  const get = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return Object.fromEntries(FORM_FIELDS.map((f) => [f, get(f)])) as unknown as PostFormValues;
}

/** A datetime-local value in UTC, minutes precision. */
export const toLocalInput = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().slice(0, 16));

export function valuesOf(post: PostWithTags): PostFormValues {
  return {
    title: post.title,
    slug: post.slug,
    markdown: post.markdown,
    excerpt: post.custom_excerpt ? post.excerpt : '',
    tags: post.tags.map((t) => t.name).join(', '),
    publishAt: toLocalInput(post.published_at),
    coverImage: post.cover_image ?? '',
    metaTitle: post.meta_title ?? '',
    metaDescription: post.meta_description ?? '',
    language: post.language ?? '',
  };
}

export const EMPTY_FORM: PostFormValues = {
  title: '',
  slug: '',
  markdown: '',
  excerpt: '',
  tags: '',
  publishAt: '',
  coverImage: '',
  metaTitle: '',
  metaDescription: '',
  language: '',
};

/** Field messages from zod, keyed by form field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  return fields;
}

/** Service field names (the API's) mapped to the form's. */
export function formFieldOf(serviceField: string): string {
  return serviceField === 'publishedAt' ? 'publishAt' : serviceField;
}
