// No address on this site holds a NUL character, and PostgreSQL refuses one in any text a query
// compares (a slug, an id, a search), so `%00` anywhere in a path or query is answered here, once.
import type { MiddlewareHandler } from 'hono';
import { BadRequestError } from '../errors.js';

export const refuseNulInAddress: MiddlewareHandler = async (c, next) => {
  if (/%00/i.test(c.req.url)) throw new BadRequestError('This address holds a NUL character (%00), which no page here has.');
  await next();
};
