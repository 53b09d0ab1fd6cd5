// Endpoint discovery on pages the microformats parser refuses (W3C Webmention 3.1.2: a <link> in the
// head names the endpoint whatever the body holds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverEndpoint } from './source-reading.js';

describe('webmention endpoint discovery', () => {
  const page = 'http://blog.example/essay';

  it('finds the endpoint in the head of a page whose body is bare text', () => {
    const html = '<html><head><link rel="webmention" href="/wm"></head><body>An essay</body></html>';
    assert.equal(discoverEndpoint(page, undefined, html), 'http://blog.example/wm');
  });

  it('finds it on a page with elements, and none where none is named', () => {
    assert.equal(
      discoverEndpoint(page, undefined, '<html><head><link rel="webmention" href="/wm"></head><body><p>An essay</p></body></html>'),
      'http://blog.example/wm',
    );
    assert.equal(discoverEndpoint(page, undefined, '<html><head></head><body>An essay</body></html>'), null);
    assert.equal(discoverEndpoint(page, undefined, '<html><head><link rel="stylesheet" href="/s.css"></head><body>x</body></html>'), null);
  });
});
