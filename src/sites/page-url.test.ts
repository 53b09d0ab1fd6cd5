import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeOrigin, normalizePageUrl } from './page-url.js';

test('one page reached by many addresses is one canonical address', () => {
  const canonical = 'https://example.org/posts/hello/';
  for (const address of [
    'https://example.org/posts/hello/',
    'HTTPS://Example.ORG:443/posts/hello',
    'https://example.org/posts/hello/#comments',
    'https://example.org/posts/hello/?utm_source=feed&utm_medium=rss',
    'https://example.org/posts/hello/index.html',
    'https://example.org/posts/hello?fbclid=abc',
  ]) {
    assert.equal(normalizePageUrl(address), canonical, address);
  }
});

test('what tells pages apart is kept: other ports, real parameters (sorted), file names', () => {
  assert.equal(normalizePageUrl('http://localhost:8080/a'), 'http://localhost:8080/a/');
  assert.equal(normalizePageUrl('https://example.org/?p=12&lang=de'), 'https://example.org/?lang=de&p=12');
  assert.equal(normalizePageUrl('https://example.org/notes/page.html'), 'https://example.org/notes/page.html');
  assert.equal(normalizePageUrl('https://example.org'), 'https://example.org/');
});

test('only http and https addresses are pages', () => {
  assert.equal(normalizePageUrl('javascript:alert(1)'), null);
  assert.equal(normalizePageUrl('/relative/path'), null);
  assert.equal(normalizePageUrl('ftp://example.org/x'), null);
  assert.equal(normalizeOrigin('https://Blog.Example.org:443/some/page'), 'https://blog.example.org');
  assert.equal(normalizeOrigin('http://127.0.0.1:8081'), 'http://127.0.0.1:8081');
  assert.equal(normalizeOrigin('data:text/html,hi'), null);
});
