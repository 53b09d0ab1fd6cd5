// The comment form's fields as they arrive, form-encoded or JSON, validated at the edge.
import type { Context } from 'hono';
import { z } from 'zod';
import { InvalidError, UnsupportedMediaTypeError } from '../errors.js';
import { declaresForm, declaresJson, readForm, readJson } from '../web/request-body.js';
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
