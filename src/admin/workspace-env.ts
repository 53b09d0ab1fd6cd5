// What every workspace route can read from the context, set by the group's middleware.
import type { AppEnv } from '../web/env.js';
import type { NavItem } from './admin-nav.js';

export type WorkspaceEnv = {
  Variables: AppEnv['Variables'] & {
    /** The token every form of this page carries in `_csrf` (and scripts in `X-CSRF-Token`). */
    csrfToken: string;
    /** The hash id of the signed-in session, when there is one. */
    sessionId?: string;
    /** The navigation, already filtered to what the signed-in role may use. */
    workspaceNav: readonly NavItem[];
    /**
     * The navigation's counts by href (the inbox's waiting threads), asked for as the request
     * begins so that they are read beside the page's own reads; awaited when the page renders.
     */
    workspaceBadges: Promise<ReadonlyMap<string, number>>;
  };
};
