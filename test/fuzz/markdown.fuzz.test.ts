// The Markdown renderer on generated input: it never throws, and nothing it returns could run,
// for a post's rich Markdown (raw HTML allowed, then sanitized) and for a reader's comment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createMarkdownRenderer } from '../../src/render/markdown.js';
import { dangers } from '../kits/html.js';
import { fuzzParameters, hostileText } from './fuzz-runs.js';

const markdown = createMarkdownRenderer();

describe('the Markdown renderer, fuzzed', () => {
  it('renders any reader comment without throwing, and nothing in it runs', () => {
    fc.assert(
      fc.property(hostileText(400), (text) => {
        const html = markdown.comment(text);
        assert.equal(typeof html, 'string');
        assert.deepEqual(dangers(html), [], `from ${JSON.stringify(text)}`);
      }),
      fuzzParameters(1500),
    );
  });

  it('renders any post without throwing, and nothing in it runs, even with raw HTML', () => {
    fc.assert(
      fc.property(hostileText(400), (text) => {
        const html = markdown.post(text);
        assert.deepEqual(dangers(html), [], `from ${JSON.stringify(text)}`);
      }),
      fuzzParameters(1500),
    );
  });

  it('renders any Unicode at all without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        assert.deepEqual(dangers(markdown.comment(text)), []);
        assert.deepEqual(dangers(markdown.post(text)), []);
      }),
      fuzzParameters(1000),
    );
  });
});
