// Staff signed in to the workspace read the site as its writers do: the post page shows them the
// private comments they may moderate (src/comments/comment-routes.tsx asks for c.get('staff')).
// Only a request carrying the workspace session cookie costs a lookup; readers carry none.
import type { MiddlewareHandler } from 'hono';
import type { AuthService } from '../accounts/auth-service.js';
import type { AppEnv } from '../web/env.js';
import { sessionToken } from './workspace-auth.js';

export function staffViewer(auth: Pick<AuthService, 'session'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    const pagePath = c.req.method === 'GET' && path.endsWith('/') && !path.startsWith('/admin/') && !path.startsWith('/api/');
    const token = pagePath && !c.get('staff') ? sessionToken(c) : undefined;
    if (token) {
      const live = await auth.session(token);
      if (live) c.set('staff', live.staff);
    }
    await next();
  };
}
