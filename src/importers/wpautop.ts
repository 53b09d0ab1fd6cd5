// WordPress's paragraph logic: how WordPress shows stored post and comment text. A blank line
// starts a paragraph, a single line break becomes <br />, and block-level HTML is left alone.
// Pure, written after the behaviour of WordPress's wpautop() so imported text looks as it did.

const BLOCKS =
  '(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)';

const OPEN_BLOCK = new RegExp(`(<${BLOCKS}[\\s/>])`, 'g');
const CLOSE_BLOCK = new RegExp(`(</${BLOCKS}>)`, 'g');
const P_AROUND_BLOCK = new RegExp(`<p>\\s*(</?${BLOCKS}[^>]*>)\\s*</p>`, 'g');
const P_BEFORE_BLOCK = new RegExp(`<p>\\s*(</?${BLOCKS}[^>]*>)`, 'g');
const P_AFTER_BLOCK = new RegExp(`(</?${BLOCKS}[^>]*>)\\s*</p>`, 'g');
const BR_AFTER_BLOCK = new RegExp(`(</?${BLOCKS}[^>]*>)\\s*<br />`, 'g');

// Private-use characters stand in for line breaks that must survive (inside tags, scripts):
// unlike WordPress's HTML-comment placeholders they can never be mistaken for markup.
const TAG_NEWLINE = '\uE000';
const KEPT_NEWLINE = '\uE001';

const trimNewlines = (s: string) => s.replace(/^\n+|\n+$/g, '');

/** Plain text (no tags) takes a short path with the same result: the common case for comments. */
function autopPlainText(text: string): string {
  const paragraphs = text
    .replace(/\r\n|\r/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => trimNewlines(p))
    .filter((p) => p.trim() !== '');
  return paragraphs.map((p) => `<p>${p.replace(/\s*\n/g, '<br />\n')}</p>\n`).join('');
}

// Inline elements none of whose names starts with a block's name (the block patterns below match
// a block name followed by anything), so text holding only these gets the plain text's result.
const INLINE_ONLY = /<\/?(?:a|abbr|b|cite|code|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|u|var)(?:[ \t][^<>\n\r]*)?>/g;

/** Text whose only markup is inline elements, each tag on one line: no paragraph logic applies to its tags. */
function inlineOnly(text: string): boolean {
  let tags = 0;
  for (let at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) tags++;
  const inline = text.match(INLINE_ONLY)?.length ?? 0;
  // Lines of nothing but spaces are where the two paths part: those take the whole logic.
  // (XML parsers have already turned \r\n into \n: text with a \r is rare enough to go the long way.)
  return inline === tags && !text.includes('\r') && !/(?:^|\n)[^\S\n]+(?:\n|$)/.test(text) && !/^\s*?\n\s*\n/.test(text);
}

export function wpautop(input: string, lineBreaks = true): string {
  if (input.trim() === '') return '';
  if (!input.includes('<')) return autopPlainText(input);
  // Most comments with markup hold a link or an emphasis and nothing else.
  if (lineBreaks && inlineOnly(input)) return autopPlainText(input);
  return wpautopFully(input, lineBreaks);
}

/** The whole of WordPress's logic, without the shortcuts (wpautop.test.ts compares the two). */
export function wpautopFully(input: string, lineBreaks = true): string {
  if (input.trim() === '') return '';
  let text = `${input}\n`;

  // Preformatted blocks keep their line breaks untouched: set them aside.
  const pres: string[] = [];
  if (text.includes('<pre')) {
    text = text.replace(/<pre[\s\S]*?<\/pre>/g, (block) => {
      pres.push(block);
      return `<pre wp-pre-tag-${pres.length - 1}></pre>`;
    });
  }

  text = text.replace(/<br\s*\/?>\s*<br\s*\/?>/g, '\n\n');
  text = text.replace(OPEN_BLOCK, '\n\n$1');
  text = text.replace(CLOSE_BLOCK, '$1\n\n');
  text = text.replace(/(<hr\s*?\/?>)/g, '$1\n\n');
  text = text.replace(/\r\n|\r/g, '\n');
  // A line break inside a tag or an HTML comment is not a paragraph break.
  text = text.replace(/<!--[\s\S]*?-->|<[^>]*>/g, (tag) => (tag.includes('\n') ? tag.replaceAll('\n', TAG_NEWLINE) : tag));

  if (text.includes('<option')) {
    text = text.replace(/\s*<option/g, '<option').replace(/<\/option>\s*/g, '</option>');
  }
  if (text.includes('</object>')) {
    text = text
      .replace(/(<object[^>]*>)\s*/g, '$1')
      .replace(/\s*<\/object>/g, '</object>')
      .replace(/\s*(<\/?(?:param|embed)[^>]*>)\s*/g, '$1');
  }
  if (text.includes('<source') || text.includes('<track')) {
    text = text
      .replace(/([<[](?:audio|video)[^>\]]*[>\]])\s*/g, '$1')
      .replace(/\s*([<[]\/(?:audio|video)[>\]])/g, '$1')
      .replace(/\s*(<(?:source|track)[^>]*>)\s*/g, '$1');
  }
  if (text.includes('<figcaption')) {
    text = text.replace(/\s*(<figcaption[^>]*>)/g, '$1').replace(/<\/figcaption>\s*/g, '</figcaption>');
  }

  text = text.replace(/\n\n+/g, '\n\n');
  text = text
    .split(/\n\s*\n/)
    .filter((block) => block !== '')
    .map((block) => `<p>${trimNewlines(block)}</p>\n`)
    .join('');

  text = text.replace(/<p>\s*<\/p>/g, '');
  text = text.replace(/<p>([^<]+)<\/(div|address|form)>/g, '<p>$1</p></$2>');
  text = text.replace(P_AROUND_BLOCK, '$1');
  text = text.replace(/<p>(<li.+?)<\/p>/g, '$1');
  text = text.replace(/<p><blockquote([^>]*)>/gi, '<blockquote$1><p>');
  text = text.replace(/<\/blockquote><\/p>/g, '</p></blockquote>');
  text = text.replace(P_BEFORE_BLOCK, '$1');
  text = text.replace(P_AFTER_BLOCK, '$1');

  if (lineBreaks) {
    text = text.replace(/<(script|style|svg|math)[\s\S]*?<\/\1>/g, (m) => m.replaceAll('\n', KEPT_NEWLINE));
    text = text.replace(/<br>|<br\/>/g, '<br />');
    text = text.replace(/(?<!<br \/>)\s*\n/g, '<br />\n');
    text = text.replaceAll(KEPT_NEWLINE, '\n');
  }

  text = text.replace(BR_AFTER_BLOCK, '$1');
  text = text.replace(/<br \/>(\s*<\/?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)/g, '$1');
  text = text.replace(/\n<\/p>$/, '</p>');

  if (pres.length > 0) text = text.replace(/<pre wp-pre-tag-(\d+)><\/pre>/g, (_m, n: string) => pres[Number(n)] ?? '');
  return text.replaceAll(TAG_NEWLINE, '\n');
}

/** WordPress skips its paragraph logic for block-editor content, which carries its own markup. */
export function hasBlocks(html: string): boolean {
  return html.includes('<!-- wp:');
}
