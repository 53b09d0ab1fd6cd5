// Repairs, on the fly, the small faults that real WordPress and Disqus exports carry and that their
// own importers accept, so a strict streaming parser can read the rest:
//   - characters before the first tag (a stray byte, a blank line before <?xml ...?>);
//   - a bare `&` that starts no entity (`?a=1&b=2` in a URL), and HTML entities such as &nbsp;;
//   - an unquoted attribute value (`<thread dsq:id=123/>`);
//   - `]]>` inside a CDATA section that does not end it (WordPress reads the whole element text
//     between the tags, so `<![CDATA[a ]]> b]]>` holds `a ]]> b`).
// Everything else (a tag left open, a mismatched end tag) is left for the parser to refuse.
// Line breaks are never added or removed, so the parser's line numbers stay the file's.

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// The HTML entities that turn up in exported titles and excerpts, as code points.
const HTML_ENTITIES: Record<string, number> = {
  nbsp: 160,
  copy: 169,
  reg: 174,
  trade: 8482,
  hellip: 8230,
  mdash: 8212,
  ndash: 8211,
  lsquo: 8216,
  rsquo: 8217,
  ldquo: 8220,
  rdquo: 8221,
  laquo: 171,
  raquo: 187,
  bull: 8226,
  middot: 183,
  deg: 176,
  euro: 8364,
  pound: 163,
  times: 215,
};

const ENTITY = /^&(?:#[0-9]+|#x[0-9a-fA-F]+|([A-Za-z_][\w.-]*));/;
const ENTITY_PREFIX = /^&(?:#[0-9]*|#x[0-9a-fA-F]*|[A-Za-z_][\w.-]*)?$/;
const MAX_ENTITY = 40;
const TEXT_SPECIAL = /[<&]|\]\]>/g;
/** After a `<`: a start or end tag with nothing to repair (no attribute value, quote or `&`), to its `>`. */
const PLAIN_TAG = /[^"'<>=&!?][^"'<>=&]*>/y;
const TAG_NAME = /[^\s/>]*/y;

type State = 'start' | 'text' | 'cdata' | 'comment' | 'pi' | 'doctype';

export class XmlRepair {
  private state: State = 'start';
  private carry = '';
  private readonly open: string[] = [];
  /** The element whose text the current CDATA section is. */
  private cdataOf = '';
  /** CDATA text after a `]]>` that may or may not have ended the section. */
  private held: string | null = null;
  private line = 1;

  constructor(private readonly warn: (message: string) => void) {}

  /** Repairs the next chunk; returns what is safe to hand to the parser now. */
  push(chunk: string): string {
    return this.run(this.carry + chunk, false);
  }

  /** The rest, once the input has ended. */
  end(): string {
    return this.run(this.carry, true);
  }

  private note(what: string, input: string, at: number): void {
    this.warn(`line ${this.line + countNewlines(input, 0, at)}: ${what}`);
  }

  private run(input: string, final: boolean): string {
    const out: string[] = [];
    let s = input;
    let i = 0;
    this.carry = '';
    const stop = (at: number) => {
      this.carry = s.slice(at);
      i = s.length;
    };
    for (;;) {
      if (i >= s.length) {
        // Only a resolved CDATA section hands input back during the last run: go on with it.
        if (!final || this.carry === '') break;
        s = this.carry;
        this.carry = '';
        i = 0;
      }
      switch (this.state) {
        case 'start': {
          const lt = s.indexOf('<', i);
          if (lt < 0) {
            if (s.trim() !== '') this.note(`ignored ${s.length} characters before the first tag`, s, 0);
            i = s.length;
            break;
          }
          if (s.slice(i, lt).trim() !== '') this.note(`ignored ${lt - i} characters before the first tag`, s, i);
          // The characters dropped hold no line break that matters: count them, emit nothing.
          this.line += countNewlines(s, i, lt);
          s = s.slice(lt);
          i = 0;
          this.state = 'text';
          break;
        }
        case 'text':
          i = this.text(s, i, out, final, stop);
          break;
        case 'cdata':
          i = this.cdata(s, i, out, final, stop);
          break;
        case 'comment':
        case 'pi':
        case 'doctype': {
          const end = this.state === 'comment' ? '-->' : this.state === 'pi' ? '?>' : '>';
          const at = s.indexOf(end, i);
          if (at < 0) {
            const keep = final ? s.length : Math.max(i, s.length - end.length + 1);
            out.push(s.slice(i, keep));
            if (!final) stop(keep);
            else i = s.length;
            break;
          }
          out.push(s.slice(i, at + end.length));
          i = at + end.length;
          this.state = 'text';
          break;
        }
      }
    }
    const emitted = out.join('');
    this.line += countNewlines(emitted, 0, emitted.length);
    if (final && this.held !== null) {
      // The input ended inside a section: the last `]]>` was its end after all.
      const rest = `]]>${this.held}`;
      this.held = null;
      return emitted + rest;
    }
    return emitted;
  }

  private text(s: string, from: number, out: string[], final: boolean, stop: (at: number) => void): number {
    // Text and plain tags go on as they are, in one piece: only what may need repair stops the run.
    const copied = from;
    let i = from;
    for (;;) {
      TEXT_SPECIAL.lastIndex = i;
      const m = TEXT_SPECIAL.exec(s);
      if (!m) {
        // A `]` or `]]` at the very end may begin a `]]>`: keep it for the next chunk.
        const keep = final ? s.length : Math.max(i, s.length - 2);
        out.push(s.slice(copied, keep));
        if (!final) stop(keep);
        return s.length;
      }
      const at = m.index;
      if (m[0] === '<') {
        PLAIN_TAG.lastIndex = at + 1;
        if (PLAIN_TAG.test(s)) {
          const end = PLAIN_TAG.lastIndex - 1;
          this.plainTag(s, at, end);
          i = end + 1;
          continue;
        }
      }
      out.push(s.slice(copied, at));
      if (m[0] === ']]>') {
        this.note('"]]>" in text escaped', s, at);
        out.push(']]&gt;');
        return at + 3;
      }
      if (m[0] === '&') {
        const r = this.entity(s, at, final);
        if (r === null) {
          stop(at);
          return s.length;
        }
        out.push(r.text);
        return at + r.length;
      }
      return this.markup(s, at, out, final, stop);
    }
  }

  /** Keeps count of open elements for a tag between `at` and `end` that needs no repair. */
  private plainTag(s: string, at: number, end: number): void {
    if (s.charCodeAt(at + 1) === 47) {
      // `</name>`
      if (this.open[this.open.length - 1] === s.slice(at + 2, end).trim()) this.open.pop();
      return;
    }
    if (s.charCodeAt(end - 1) === 47) return; // `<name/>`
    TAG_NAME.lastIndex = at + 1;
    this.open.push(TAG_NAME.exec(s)?.[0] ?? '');
  }

  /** An entity reference at `at`, repaired; null when the chunk ends before it can be told. */
  private entity(s: string, at: number, final: boolean): { text: string; length: number } | null {
    const head = s.slice(at, at + MAX_ENTITY);
    const m = ENTITY.exec(head);
    if (m) {
      const name = m[1];
      if (name === undefined || XML_ENTITIES.has(name)) return { text: m[0], length: m[0].length };
      const code = HTML_ENTITIES[name];
      if (code !== undefined) return { text: `&#${code};`, length: m[0].length };
      this.note(`unknown entity &${name}; kept as text`, s, at);
      return { text: `&amp;${name};`, length: m[0].length };
    }
    if (!final && at + MAX_ENTITY > s.length && ENTITY_PREFIX.test(head)) return null;
    this.note('bare "&" escaped', s, at);
    return { text: '&amp;', length: 1 };
  }

  private markup(s: string, at: number, out: string[], final: boolean, stop: (at: number) => void): number {
    // Enough of the input to tell what starts here.
    if (!final && s.length - at < 9) {
      stop(at);
      return s.length;
    }
    if (s.startsWith('<![CDATA[', at)) {
      this.state = 'cdata';
      this.cdataOf = this.open[this.open.length - 1] ?? '';
      out.push('<![CDATA[');
      return at + 9;
    }
    if (s.startsWith('<!--', at)) {
      this.state = 'comment';
      out.push('<!--');
      return at + 4;
    }
    if (s.startsWith('<?', at)) {
      this.state = 'pi';
      out.push('<?');
      return at + 2;
    }
    if (s.startsWith('<!', at)) {
      this.state = 'doctype';
      out.push('<!');
      return at + 2;
    }
    const end = tagEnd(s, at + 1);
    if (end < 0) {
      if (!final) {
        stop(at);
        return s.length;
      }
      out.push(s.slice(at));
      return s.length;
    }
    const tag = s.slice(at, end + 1);
    if (!tag.endsWith('>')) {
      out.push(tag);
      return end + 1;
    }
    if (tag.startsWith('</')) {
      const name = tag.slice(2, -1).trim();
      if (this.open[this.open.length - 1] === name) this.open.pop();
      out.push(tag);
      return end + 1;
    }
    const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
    if (!tag.endsWith('/>')) this.open.push(name);
    out.push(/=\s*[^\s"']|&/.test(tag) ? this.repairAttributes(tag, s, at) : tag);
    return end + 1;
  }

  /** Quotes unquoted attribute values and escapes bare `&` in values. */
  private repairAttributes(tag: string, s: string, at: number): string {
    return tag.replace(/(=\s*)("[^"]*"|'[^']*'|[^\s"'>]+?)(?=\s|\/?>$)/g, (_m, eq: string, value: string) => {
      let v = value;
      if (!(v.startsWith('"') || v.startsWith("'"))) {
        this.note('unquoted attribute value quoted', s, at);
        v = `"${v.replaceAll('"', '&quot;')}"`;
      }
      return (
        eq +
        v.replace(/&(?![#\w][\w.-]*;)/g, () => {
          this.note('bare "&" escaped', s, at);
          return '&amp;';
        })
      );
    });
  }

  private cdata(s: string, from: number, out: string[], final: boolean, stop: (at: number) => void): number {
    const endTag = `</${this.cdataOf}`;
    const close = s.indexOf(']]>', from);
    const elementEnd = this.held === null ? -1 : findEndTag(s, from, endTag);
    if (this.held !== null && elementEnd >= 0 && (close < 0 || elementEnd < close)) {
      // The element ends before any other `]]>`: the held one closed the section.
      out.push(']]>');
      const rest = this.held + s.slice(from);
      this.held = null;
      this.state = 'text';
      stop(0);
      this.carry = rest;
      return s.length;
    }
    if (close < 0) {
      const keep = final ? s.length : Math.max(from, s.length - Math.max(2, endTag.length + 1));
      this.keepCdata(s.slice(from, keep), out);
      if (!final) stop(keep);
      return s.length;
    }
    let next = close + 3;
    while (next < s.length && isSpace(s.charCodeAt(next))) next++;
    const need = Math.max(9, endTag.length + 1);
    const after = s.slice(next, next + need);
    if (!final && after.length < need) {
      this.keepCdata(s.slice(from, close), out);
      stop(close);
      return s.length;
    }
    this.keepCdata(s.slice(from, close), out);
    const ends =
      after === '' ||
      after.startsWith('<![CDATA[') ||
      (after.startsWith(endTag) && (after[endTag.length] === '>' || isSpace(after.charCodeAt(endTag.length))));
    if (ends) {
      if (this.held !== null) {
        this.note('"]]>" inside a CDATA section kept as text', s, close);
        out.push(`]]]]><![CDATA[>${this.held}`);
        this.held = null;
      }
      out.push(']]>');
      this.state = 'text';
      return close + 3;
    }
    if (this.held !== null) {
      this.note('"]]>" inside a CDATA section kept as text', s, close);
      out.push(`]]]]><![CDATA[>${this.held}`);
    }
    // Whether this one ends the section is known only once the element ends or another comes.
    this.held = '';
    return close + 3;
  }

  private keepCdata(text: string, out: string[]): void {
    if (this.held === null) out.push(text);
    else this.held += text;
  }
}

/** The index of the `>` that ends the tag starting before `from`, outside quotes; -1 if not here. */
function tagEnd(s: string, from: number): number {
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      // A quote counts only where a value starts (after `=`): `<a b=c'd>` is not quoted.
      if (/=\s*$/.test(s.slice(Math.max(from, i - 8), i))) quote = c;
    } else if (c === '>') return i;
    // A `<` before the `>`: the tag is broken; hand it over as it is for the parser to refuse.
    else if (c === '<') return i - 1;
  }
  return -1;
}

function findEndTag(s: string, from: number, endTag: string): number {
  let at = s.indexOf(endTag, from);
  while (at >= 0) {
    const next = s[at + endTag.length];
    if (next === '>' || next === ' ' || next === '\t' || next === '\n' || next === '\r') return at;
    at = s.indexOf(endTag, at + 1);
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let at = s.indexOf('\n', from); at >= 0 && at < to; at = s.indexOf('\n', at + 1)) n++;
  return n;
}
