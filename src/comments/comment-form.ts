// The comment form at the edge: its fields as they arrive (form-encoded or JSON), and the rules a
// reader's words meet before the comment service sees them. Read in two steps: the fields' shape
// first, so a form refused for its words still comes back with every word she wrote, then the rules.
import type { Context } from 'hono';
import { z } from 'zod';
import { InvalidError, type Said, TooLargeError, UnsupportedMediaTypeError } from '../errors.js';
import type { MessageKey } from '../i18n/catalogs/index.js';
import { messagesFor } from '../i18n/messages.js';
import { MAX_EMAIL_LENGTH } from '../text/email.js';
import { declaresForm, declaresJson, readForm, readJson } from '../web/request-body.js';
import type { EditedWords, ReaderWords } from './comment-types.js';
import type { FormValues } from './comment-views.js';

const text = z.preprocess((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''), z.string());
const flag = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());

export const commentFieldsSchema = z.object({
  body: text,
  name: text,
  email: text,
  website: text,
  parent: text,
  notify: flag,
  private: flag,
  /** The honeypot: hidden by CSS, so only programs fill it in. */
  homepage: text,
  ts: text,
  token: text,
  /** "reply": she chose to post a reply to her own comment rather than edit it. */
  choice: text,
  /** On an edit: add the words to the comment instead of replacing it. */
  append: flag,
  key: text,
});

export type CommentFields = z.output<typeof commentFieldsSchema>;

/** A comment's fields from a form or a JSON object; any other body is refused with 415. */
export async function readCommentFields(c: Context): Promise<CommentFields> {
  let raw: unknown;
  if (declaresJson(c)) {
    raw = await readJson(c);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidError('The request body must be a JSON object.');
  } else if (declaresForm(c)) {
    raw = await readForm(c);
  } else {
    throw new UnsupportedMediaTypeError('Send a comment as a form or as JSON (Content-Type: application/json).');
  }
  return commentFieldsSchema.parse(raw);
}

export function formValues(f: CommentFields): FormValues {
  return { name: f.name, email: f.email, website: f.website, body: f.body, notify: f.notify, private: f.private, parent: f.parent };
}

/** The site's limits a reader's words are held to (the conversation settings). */
export interface WordLimits {
  nameMaxChars: number;
  bodyMaxChars: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const english = messagesFor('en');

/** A problem with one field, as a zod issue that carries its catalog key (the form speaks the post's language). */
interface WordIssue {
  said: Said;
  /** Too long to take at all: a 413 with her words kept, not a field to fix. */
  tooLarge?: true;
}

/**
 * The rules of a reader's words, whichever door they come in by: the post page's form, the same
 * form sent as JSON, a reply by email (src/mailin). Names and addresses are trimmed, the email
 * lowercased, a website given without a scheme gets https://, line ends become \n.
 */
export function readerWordsSchema(limits: WordLimits) {
  const key = `${limits.nameMaxChars}/${limits.bodyMaxChars}`;
  const kept = schemaByLimits.get(key);
  if (kept) return kept;
  const schema = wordsSchemaFor(limits);
  schemaByLimits.set(key, schema);
  return schema;
}

/**
 * Kept per pair of limits: building a zod schema compiles code, which would cost more than a
 * comment write itself if done per request. The limits change only when the owner edits them.
 */
const schemaByLimits = new Map<string, ReturnType<typeof wordsSchemaFor>>();

function wordsSchemaFor(limits: WordLimits) {
  return z
    .object({ name: z.string(), email: z.string(), website: z.string(), body: z.string() })
    .transform((raw, ctx) => {
      const problem = (field: string, issue: WordIssue) =>
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: english.t(issue.said.key as MessageKey, issue.said.values),
          params: issue,
        });
      const name = raw.name.trim();
      const email = raw.email.trim().toLowerCase();
      const website = raw.website.trim();
      const body = raw.body.replace(/\r\n?/g, '\n').trim();
      // Too long is answered alone, before anything else: her words go back to her on a page of their own.
      if (body.length > limits.bodyMaxChars) {
        problem('body', { said: { key: 'form.tooLong', values: { length: body.length, max: limits.bodyMaxChars } }, tooLarge: true });
        return z.NEVER;
      }
      if (!body) problem('body', { said: { key: 'form.errorBody' } });
      if (!name) problem('name', { said: { key: 'form.errorName' } });
      else if (name.length > limits.nameMaxChars)
        problem('name', { said: { key: 'form.errorNameLong', values: { max: limits.nameMaxChars } } });
      // The length first, so the pattern never runs over kilobytes of hostile text.
      if (email.length > MAX_EMAIL_LENGTH) problem('email', { said: { key: 'form.errorEmailLong', values: { max: MAX_EMAIL_LENGTH } } });
      else if (!EMAIL.test(email)) problem('email', { said: { key: 'form.errorEmail' } });
      let url: string | null = null;
      if (website) {
        const candidate = /^https?:\/\//i.test(website) ? website : `https://${website}`;
        if (!URL.canParse(candidate) || candidate.length > 500 || !/^https?:$/.test(new URL(candidate).protocol))
          problem('website', { said: { key: 'form.errorWebsite' } });
        else url = new URL(candidate).href;
      }
      return { name, email, url, body };
    })
    .brand<'ReaderWords'>();
}

/**
 * A reader's words checked against the rules, or the error the one error renderer answers with: a
 * 413 for words over the limit, else a 422 naming each field to fix (in English for programs, and
 * as catalog keys for the form, which speaks the post's language).
 */
export function checkReaderWords(raw: { name: string; email: string; website: string; body: string }, limits: WordLimits): ReaderWords {
  const result = readerWordsSchema(limits).safeParse(raw);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  const said: Record<string, Said> = {};
  for (const issue of result.error.issues) {
    const found = (issue as { params?: WordIssue }).params;
    const field = String(issue.path[0] ?? 'body');
    if (found?.tooLarge) throw new TooLargeError(issue.message).saying({ message: found.said });
    fields[field] ??= issue.message;
    if (found) said[field] ??= found.said;
  }
  throw new InvalidError('Some fields need attention.', fields).saying({ message: { key: 'form.attention' }, fields: said });
}

/**
 * Her new words for a comment of hers (an edit, or words added to it): line ends made \n, and not
 * empty. How long the comment may grow is the service's to say, as it depends on the words stored.
 */
export const editedWordsSchema = z
  .string()
  .transform((body) => body.replace(/\r\n?/g, '\n').trim())
  .refine((body) => body.length > 0, { message: english.t('form.errorBody') })
  .brand<'EditedWords'>();

export function checkEditedWords(body: string): EditedWords {
  const result = editedWordsSchema.safeParse(body);
  if (result.success) return result.data;
  throw new InvalidError('Some fields need attention.', { body: english.t('form.errorBody') }).saying({
    message: { key: 'form.attention' },
    fields: { body: { key: 'form.errorBody' } },
  });
}
