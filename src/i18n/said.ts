// An error's words in the reader's language: the catalog keys it carries (HearthError.said), or
// its own English text where it carries none.
import type { HearthError, Said } from '../errors.js';
import type { MessageKey } from './catalogs/index.js';
import type { Messages } from './messages.js';

const say = (m: Messages, said: Said) => m.t(said.key as MessageKey, said.values);

/** The message and field messages of `err`, as a form shows them. */
export function saidIn(err: HearthError & { fields?: Record<string, string> }, m: Messages) {
  const errors: Record<string, string> = {};
  for (const [field, text] of Object.entries(err.fields ?? {})) {
    const said = err.said?.fields?.[field];
    errors[field] = said ? say(m, said) : text;
  }
  return { errors, message: err.said?.message ? say(m, err.said.message) : err.message };
}

/** The message of `err` alone. */
export function messageIn(err: HearthError, m: Messages): string {
  return err.said?.message ? say(m, err.said.message) : err.message;
}
