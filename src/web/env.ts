// The Hono environment every router shares.
import type { RequestIdVariables } from 'hono/request-id';
import type { Staff } from '../accounts/accounts-service.js';
import type { PageTag } from '../cache/page-cache.js';
import type { HearthError } from '../errors.js';
import type { PageParts } from './page-parts.js';

export type AppEnv = {
  Variables: RequestIdVariables & {
    /** The signed-in staff member (API token or session), set by the auth middleware. */
    staff?: Staff;
    /** Set by a public route whose response the page cache may keep: what the page shows. */
    pageCache?: PageTag;
    /** Long parts of the page being rendered, written in place by htmlPage (page-parts.ts). */
    pageParts?: PageParts;
    /**
     * Set by a route that handles a form: the form shown again with what the person wrote, for an
     * error she can fix. The error renderer (errors.tsx) asks it first; undefined leaves the error page.
     */
    formAgain?: (err: HearthError) => Response | Promise<Response> | undefined;
  };
};
