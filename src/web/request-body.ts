// Reading request bodies: the one place forms and JSON bodies are read, so every route gets the
// same answers to hostile input. A multipart body that cannot be parsed is a 400; control
// characters nobody types (NUL above all, which PostgreSQL's text refuses) are dropped from every
// field, name and file name, so a pasted stray byte never costs a reader her words.
//
// Form-encoded bodies are read without building a web Request. On Node, @hono/node-server hands
// the app a light request that reads its body straight from the socket (text(), arrayBuffer());
// asking for `raw.body` (as hono's body limit does) or `formData()` (as parseBody does) builds a full
// undici Request with a stream and an abort signal, which costs more than the rest of a small form POST.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { BadRequestError, InvalidError, TooLargeError, UnsupportedMediaTypeError } from '../errors.js';
import { hasControlChars, withoutControlChars } from '../text/control-chars.js';

/**
 * Hono's body limit, answering from the declared Content-Length when there is one (Node's HTTP
 * parser never passes on more bytes than it declares); a body sent in chunks is counted as it
 * arrives, by hono's own middleware.
 */
export function bodySizeLimit(options: { maxSize: number; onError: (c: Context) => never }): MiddlewareHandler {
  const counted = bodyLimit(options);
  return (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    return Number.parseInt(declared, 10) > options.maxSize ? options.onError(c) : next();
  };
}

export type FormValue = string | File;
export type FormFields = Record<string, FormValue | FormValue[]>;

const mediaType = (c: Context) => c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();

const cleanValue = (value: FormValue): FormValue =>
  typeof value === 'string'
    ? withoutControlChars(value)
    : hasControlChars(value.name)
      ? new File([value], withoutControlChars(value.name), { type: value.type, lastModified: value.lastModified })
      : value;

function add(fields: FormFields, name: string, value: FormValue, all: boolean): void {
  if (!all && !name.endsWith('[]')) {
    fields[name] = value;
    return;
  }
  const present = fields[name];
  if (Array.isArray(present)) present.push(value);
  else if (present !== undefined) fields[name] = [present, value];
  else fields[name] = name.endsWith('[]') ? [value] : value;
}

/** Each request's multipart entries, parsed once though the CSRF guard and the route both read them. */
const parsedMultipart = new WeakMap<object, Promise<FormData>>();

/** A multipart body's entries, parsed from its bytes as parseBody does (not through the raw request's formData()). */
async function multipart(c: Context): Promise<FormData> {
  let parsed = parsedMultipart.get(c.req);
  if (!parsed) {
    parsed = c.req
      .arrayBuffer()
      .then((bytes) => new Response(bytes, { headers: { 'content-type': c.req.header('content-type') ?? '' } }).formData());
    parsedMultipart.set(c.req, parsed);
  }
  try {
    return await parsed;
  } catch {
    throw new BadRequestError('The form could not be read: its multipart body is broken or incomplete. Send it again.');
  }
}

/**
 * A form's fields, as `c.req.parseBody(options)` gives them: the last value of a repeated name
 * (every value with `all`), every value of a name ending in "[]". A form-encoded body (what
 * browsers send for a form) is parsed from its text; multipart goes to parseBody; any other body
 * has no fields. Throws BadRequest for a multipart body that cannot be parsed.
 */
export async function readForm(c: Context, options: { all?: boolean } = {}): Promise<FormFields> {
  refuseOversized(c);
  const all = options.all ?? false;
  const type = mediaType(c);
  const fields: FormFields = Object.create(null);
  let entries: Iterable<[string, FormValue]>;
  if (type === 'application/x-www-form-urlencoded') entries = new URLSearchParams(await c.req.text());
  else if (type === 'multipart/form-data') entries = await multipart(c);
  else return fields;
  for (const [name, value] of entries) add(fields, withoutControlChars(name), cleanValue(value), all);
  return fields;
}

/** A form field that must be text: absent, a file or a list of values reads as undefined. */
export const textField = (fields: FormFields, name: string): string | undefined => {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
};

/** Drops control characters from every string and object key of a parsed JSON value. */
function cleanJson(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return withoutControlChars(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some(hasControlChars)) return value;
  // fromEntries defines own properties: a "__proto__" key stays a plain key.
  return Object.fromEntries(keys.map((k) => [withoutControlChars(k), (value as Record<string, unknown>)[k]]));
}

/** Whether the request says its body is JSON (application/json, or a type ending in +json). */
export function declaresJson(c: Context): boolean {
  const type = mediaType(c);
  return type === 'application/json' || (type?.startsWith('application/') === true && type.endsWith('+json'));
}

/** Whether the request says its body is a form, as browsers send one. */
export function declaresForm(c: Context): boolean {
  const type = mediaType(c);
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
}

/**
 * A JSON body, control characters dropped. UnsupportedMediaTypeError (415) when the request does
 * not say it is JSON: a client sending JSON as text/plain learns so, rather than meeting empty
 * fields. InvalidError (422) when it says so but is not JSON.
 */
export async function readJson(c: Context): Promise<unknown> {
  refuseOversized(c);
  if (!declaresJson(c)) throw new UnsupportedMediaTypeError('The request body must be sent as JSON, with Content-Type: application/json.');
  const text = await c.req.text();
  try {
    return JSON.parse(text, cleanJson);
  } catch {
    throw new InvalidError('The request body must be JSON.');
  }
}

/** A text body (a CSV file, say), control characters dropped. */
export async function readText(c: Context): Promise<string> {
  refuseOversized(c);
  return withoutControlChars(await c.req.text());
}

/** Requests whose declared body is over the limit, let through for their route to answer (and the limit). */
const oversized = new WeakMap<object, number>();

/**
 * Like bodySizeLimit, but a body declared larger than the limit is not refused here: the request
 * goes on to its route, which asks `oversizedBody` and answers from the part that fits (the comment
 * form shows her words again). A body sent in chunks is counted and refused as bodySizeLimit does.
 */
export function bodySizeLimitLettingThrough(options: { maxSize: number; onError: (c: Context) => never }): MiddlewareHandler {
  const counted = bodyLimit(options);
  return (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number.parseInt(declared, 10) > options.maxSize) oversized.set(c.req, options.maxSize);
    return next();
  };
}

/** The limit this request's body is over, if it is (see bodySizeLimitLettingThrough). */
export const oversizedBody = (c: Context): number | undefined => oversized.get(c.req);

/** A body let through over its limit is never read whole: only readFormPrefix reads from it. */
function refuseOversized(c: Context): void {
  const limit = oversized.get(c.req);
  if (limit !== undefined) throw new TooLargeError(`The text you sent is larger than ${limit / 1024} KB.`);
}

/**
 * The fields of the first `maxBytes` of a form-encoded body, the rest left unread: what fits of a
 * form too large to take, so a page can show her words again. A field cut off midway keeps its
 * start; any other kind of body has no fields.
 */
export async function readFormPrefix(c: Context, maxBytes: number): Promise<FormFields> {
  const fields: FormFields = Object.create(null);
  const stream = c.req.raw.body;
  if (mediaType(c) !== 'application/x-www-form-urlencoded' || !stream) return fields;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, maxBytes);
  // Form encoding is ASCII; an escape cut in two is dropped, and so is a character cut in two.
  const text = bytes.toString('latin1').replace(/%[0-9a-fA-F]?$/, '');
  for (const [name, value] of new URLSearchParams(text)) {
    add(fields, withoutControlChars(name), withoutControlChars(value).replace(/\uFFFD+$/, ''), false);
  }
  return fields;
}
