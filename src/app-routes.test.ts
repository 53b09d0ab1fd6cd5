// No address of the app is answered by two routes, so the order in which routers are mounted
// decides nothing. A post's address (`/:slug`, `/:slug/comments/:id/edit`...) never matches a
// reserved word (POST_SLUG_PATTERN in src/text/slug.ts), so it never meets Hearth's own pages
// (`/admin/comments/:id/edit`, `/search`) either: no allowance is needed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestApp, testApp } from '../test/harness.js';
import { RESERVED_SLUGS } from './text/slug.js';

const SAMPLES = ['a-sample-slug', '0190a0b0-c0d0-7e0f-8a0b-0c0d0e0f1a2b', '2026', '05', 'feed.xml', 'photo.webp', 'x'];

/** A concrete address for a route path: each parameter gets a value its pattern accepts. */
function sampleAddress(routePath: string): string {
  return routePath
    .split('/')
    .map((segment) => {
      if (segment === '*') return 'anything';
      const m = /^:\w+(?:\{(.+)\})?$/.exec(segment);
      if (!m) return segment;
      if (!m[1]) return SAMPLES[0];
      const re = new RegExp(`^(?:${m[1]})$`);
      return SAMPLES.find((s) => re.test(s)) ?? m[1].split('|')[0];
    })
    .join('/');
}

describe('the app’s routes', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  it('answer each address with one route, whatever the mount order', () => {
    // Middleware (`use`, and handlers that take `next`) wraps routes; endpoints answer them.
    const isEndpoint = (r: { method: string; handler: { length: number } }) => r.method !== 'ALL' && r.handler.length < 2;
    const endpoints = t.app.routes.filter(isEndpoint);
    assert.ok(endpoints.length > 100);
    const problems: string[] = [];
    const keys = endpoints.map((r) => `${r.method} ${r.path}`);
    for (const key of new Set(keys)) if (keys.indexOf(key) !== keys.lastIndexOf(key)) problems.push(`${key} is declared twice`);
    for (const route of endpoints) {
      const address = sampleAddress(route.path);
      const [matched] = t.app.router.match(route.method, address);
      const others = matched
        .map(([[, r]]) => r)
        .filter(isEndpoint)
        .filter((r) => r.path !== route.path || r.method !== route.method);
      for (const other of others) problems.push(`${route.method} ${address}: ${route.path} and ${other.path}`);
    }
    assert.deepEqual(problems, []);
  });

  it('never take a reserved word for a post’s address, in any route that starts with one', () => {
    const postRoutes = t.app.routes.filter((r) => r.path.startsWith('/:slug'));
    assert.ok(postRoutes.length > 10);
    for (const route of postRoutes) {
      const sample = sampleAddress(route.path);
      assert.ok(
        t.app.router.match(route.method, sample)[0].some(([[, r]]) => r.path === route.path),
        `${route.path} answers ${sample}`,
      );
      for (const word of RESERVED_SLUGS) {
        const address = sample.replace(/^\/[^/]+/, `/${word}`);
        const hits = t.app.router.match(route.method, address)[0].filter(([[, r]]) => r.path === route.path);
        assert.equal(hits.length, 0, `${route.path} answers ${address}`);
      }
      // A reserved word is excluded whole: a longer slug that starts with one is a post's.
      const longer = sample.replace(/^\/[^/]+/, '/administration');
      assert.ok(
        t.app.router.match(route.method, longer)[0].some(([[, r]]) => r.path === route.path),
        `${route.path} answers ${longer}`,
      );
    }
  });
});
