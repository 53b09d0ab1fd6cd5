// The Hono environment every router shares.
import type { RequestIdVariables } from 'hono/request-id';
import type { Staff } from '../accounts/accounts-service.js';

export type AppEnv = {
  Variables: RequestIdVariables & {
    /** The signed-in staff member (API token or session), set by the auth middleware. */
    staff?: Staff;
  };
};
