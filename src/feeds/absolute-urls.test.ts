import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absoluteUrls } from './absolute-urls.js';

const POST = 'https://blog.example/on-answering/';

describe('absoluteUrls', () => {
  it('resolves root-relative, relative and fragment links against the post address', () => {
    const html = '<p><a href="/about/">a</a> <a href="notes/">b</a> <a href="#fn1">c</a> <a href="../x/">d</a></p>';
    assert.equal(
      absoluteUrls(html, POST),
      '<p><a href="https://blog.example/about/">a</a> <a href="https://blog.example/on-answering/notes/">b</a> ' +
        '<a href="https://blog.example/on-answering/#fn1">c</a> <a href="https://blog.example/x/">d</a></p>',
    );
  });

  it('leaves absolute and mailto links as they are, and keeps escaped query strings escaped', () => {
    const html = '<a href="https://other.example/?a=1&amp;b=2">x</a><a href="mailto:rosa@blog.example">m</a><a href="/s?q=1&amp;r=2">s</a>';
    assert.equal(
      absoluteUrls(html, POST),
      '<a href="https://other.example/?a=1&amp;b=2">x</a><a href="mailto:rosa@blog.example">m</a><a href="https://blog.example/s?q=1&amp;r=2">s</a>',
    );
  });

  it('rewrites every candidate of a srcset and the src of images, sources and videos', () => {
    const html =
      '<picture><source srcset="/m/a.webp 480w, /m/b.webp 960w" /><img src="/m/a.jpg" alt="" /></picture><video src="/m/v.mp4" poster="/m/p.jpg"></video>';
    assert.equal(
      absoluteUrls(html, POST),
      '<picture><source srcset="https://blog.example/m/a.webp 480w, https://blog.example/m/b.webp 960w" /><img src="https://blog.example/m/a.jpg" alt="" /></picture>' +
        '<video src="https://blog.example/m/v.mp4" poster="https://blog.example/m/p.jpg"></video>',
    );
  });

  it('does not touch text that merely looks like an attribute', () => {
    const html = '<p>Write href="/x/" in your template.</p>';
    assert.equal(absoluteUrls(html, POST), html);
  });
});
