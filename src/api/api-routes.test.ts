// The admin group: the token, then the role its area grants, before any feature runs; areas
// that could answer for one another are refused when the app is built.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import pino from 'pino';
import { makeStaff } from '../../test/factories.js';
import { type TestApp, testApp } from '../../test/harness.js';
import type { AppEnv } from '../web/env.js';
import { renderError } from '../web/errors.js';
import { adminApiRoutes } from './api-routes.js';

describe('the admin API group', () => {
  let t: TestApp;
  let ownerToken: string;
  let authorToken: string;
  before(async () => {
    t = await testApp();
    ownerToken = (await t.services.accounts.createToken((await makeStaff(t, 'owner', 'Olive Owner')).email)).token;
    authorToken = (await t.services.accounts.createToken((await makeStaff(t, 'author', 'Ada Author')).email)).token;
  });
  after(() => t.close());

  /** A group of two areas whose routes count what reached them. */
  function groupApp() {
    const reached: string[] = [];
    const area = (name: string) =>
      new Hono<AppEnv>().get('/', (c) => {
        reached.push(name);
        return c.json({ name });
      });
    const app = new Hono<AppEnv>();
    app.route(
      '/admin',
      adminApiRoutes(t.services.accounts, [
        { path: '/open', roles: ['owner', 'author', 'moderator'], routes: area('open') },
        { path: '/kept', roles: ['owner'], routes: area('kept') },
      ]),
    );
    app.onError((err, c) => renderError(err, c, pino({ level: 'silent' })));
    const call = (path: string, token?: string) =>
      app.request(`http://hearth.test${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { reached, call };
  }

  it('answers 401 before any route runs, and 403 to a role the area does not name', async () => {
    const { reached, call } = groupApp();
    assert.equal((await call('/admin/open')).status, 401);
    assert.equal((await call('/admin/kept', 'hth_nonsense')).status, 401);
    assert.equal((await call('/admin/kept', authorToken)).status, 403);
    assert.deepEqual(reached, [], 'no feature saw a refused request');
    assert.equal((await call('/admin/open', authorToken)).status, 200);
    assert.equal((await call('/admin/kept', ownerToken)).status, 200);
    assert.deepEqual(reached, ['open', 'kept']);
  });

  it('refuses, when the app is built, an area inside another or one with a parameter', () => {
    const routes = new Hono<AppEnv>();
    assert.throws(
      () =>
        adminApiRoutes(t.services.accounts, [
          { path: '/posts', roles: ['owner'], routes },
          { path: '/posts/drafts', roles: ['owner'], routes },
        ]),
      /lies inside/,
    );
    assert.throws(() => adminApiRoutes(t.services.accounts, [{ path: '/posts/:id', roles: ['owner'], routes }]), /fixed prefix/);
    assert.throws(
      () =>
        adminApiRoutes(t.services.accounts, [
          { path: '/mail', roles: ['owner'], routes },
          { path: '/mail', roles: ['author'], routes },
        ]),
      /lies inside|share/,
    );
  });
});
