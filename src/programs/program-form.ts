// The sign-up form's fields as they arrive, validated at the edge. Every field stays a string as
// typed, so a form with errors comes back with the reader's words in it.
import { z } from 'zod';
import { EMAIL_TOO_LONG, MAX_EMAIL_LENGTH } from '../text/email.js';

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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const signupSchema = z.object({
  name: z.string().trim().min(1, 'Tell us your name.').max(100, 'Your name must be at most 100 characters.'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Tell us your email address.')
    .max(MAX_EMAIL_LENGTH, EMAIL_TOO_LONG)
    .regex(EMAIL, 'That does not look like an email address.'),
  message: z.string().trim().max(2000, 'Your message must be at most 2,000 characters.'),
});

export type SignupValues = Pick<SignupFields, 'name' | 'email' | 'message'>;

/** Field messages from zod, keyed by form field. */
export function signupErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  return fields;
}
