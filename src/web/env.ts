// The Hono environment every router shares.
import type { RequestIdVariables } from 'hono/request-id';
import type { Staff } from '../accounts/accounts-service.js';
import type { PageTag } from '../cache/page-cache.js';
import type { PageParts } from './page-parts.js';

export type AppEnv = {
  Variables: RequestIdVariables & {
    /** The signed-in staff member (API token or session), set by the auth middleware. */
    staff?: Staff;
    /** Set by a public route whose response the page cache may keep: what the page shows. */
    pageCache?: PageTag;
    /** Long parts of the page being rendered, written in place by htmlPage (page-parts.ts). */
    pageParts?: PageParts;
  };
};
