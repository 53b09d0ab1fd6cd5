// Reading request bodies without building a web Request. On Node, @hono/node-server hands the app a
// light request that reads its body straight from the socket (text(), arrayBuffer()); asking for
// `raw.body` (as hono's body limit does) or `formData()` (as parseBody does) builds a full undici
// Request with a stream and an abort signal, which costs more than the rest of a small form POST.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

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

export type FormFields = Record<string, string | File | (string | File)[]>;

/**
 * A form's fields, as `c.req.parseBody()` gives them: the last value of a repeated name, every
 * value of a name ending in "[]". A form-encoded body (what browsers send for a form) is parsed
 * from its text; anything else (multipart) goes to parseBody.
 */
export async function readForm(c: Context): Promise<FormFields> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return c.req.parseBody();
  const fields: FormFields = Object.create(null);
  for (const [name, value] of new URLSearchParams(await c.req.text())) {
    if (!name.endsWith('[]')) fields[name] = value;
    else {
      const list = fields[name];
      if (Array.isArray(list)) list.push(value);
      else fields[name] = [value];
    }
  }
  return fields;
}
