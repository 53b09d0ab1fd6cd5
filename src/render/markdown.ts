// Markdown to safe HTML. Authors get CommonMark + GFM; readers get Markdown-lite without raw HTML.
// Both outputs pass the sanitizer on write, so stored HTML is safe to show as is.
import MarkdownIt from 'markdown-it';
import { sanitizeAuthorHtml, sanitizeReaderHtml } from './sanitize.js';

export interface MarkdownRenderer {
  /** A post or page: rich formatting, author HTML allowed and sanitized. */
  post(markdown: string): string;
  /** A reader's comment: paragraphs and line breaks as typed, no raw HTML. */
  comment(markdown: string): string;
}

export function createMarkdownRenderer(): MarkdownRenderer {
  const author = new MarkdownIt({ html: true, linkify: true, typographer: false });
  const reader = new MarkdownIt('zero', { breaks: true, linkify: true }).enable([
    'paragraph',
    'newline',
    'emphasis',
    'link',
    'linkify',
    'blockquote',
    'list',
    'backticks',
    'escape',
    'autolink',
    'strikethrough',
    'fence',
    'code',
  ]);
  return {
    post: (markdown) => sanitizeAuthorHtml(author.render(markdown)),
    comment: (markdown) => sanitizeReaderHtml(reader.render(markdown)),
  };
}
