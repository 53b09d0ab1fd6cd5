// The sign-up form's fields as they arrive, validated at the edge. Every field stays a string as
// typed, so a form with errors comes back with the reader's words in it.
import { z } from 'zod';
import type { MessageKey } from '../i18n/catalogs/index.js';
import type { Messages } from '../i18n/messages.js';
import { MAX_EMAIL_LENGTH } from '../text/email.js';

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());

export const signupFieldsSchema = z.object({
  name: text,
  email: text,
  message: text,
  from: text,
  /** The honeypot: hidden by CSS, so only programs fill it in. */
  homepage: text,
  ts: text,
  token: text,
});

export type SignupFields = z.output<typeof signupFieldsSchema>;

const NAME_MAX = 100;
const MESSAGE_MAX = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// The schema's messages are catalog keys (src/i18n/catalogs/): the form shows them in the page's language.
export const signupSchema = z.object({
  name: z.string().trim().min(1, 'program.errorName').max(NAME_MAX, 'program.errorNameLong'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'program.errorEmail')
    .max(MAX_EMAIL_LENGTH, 'address.tooLong')
    .regex(EMAIL, 'program.errorEmailBad'),
  message: z.string().trim().max(MESSAGE_MAX, 'program.errorMessageLong'),
});

export type SignupValues = Pick<SignupFields, 'name' | 'email' | 'message'>;

/** The limits a message names, by key. */
const LIMITS: Record<string, number> = {
  'program.errorNameLong': NAME_MAX,
  'program.errorMessageLong': MESSAGE_MAX,
  'address.tooLong': MAX_EMAIL_LENGTH,
};

/** Field messages from zod, keyed by form field, in the reader's language. */
export function signupErrors(error: z.ZodError, m: Messages): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.message as MessageKey;
    fields[String(issue.path[0] ?? 'form')] ??= m.t(key, LIMITS[key] === undefined ? undefined : { max: LIMITS[key] });
  }
  return fields;
}
