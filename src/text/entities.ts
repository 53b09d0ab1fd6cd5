// HTML character references as the characters they stand for, for text read out of sanitized HTML.
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes named (the few sanitized HTML holds) and numeric references; an impossible code point reads as a space. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#?\w+);/g, (m, name: string) => {
    if (!name.startsWith('#')) return NAMED[name] ?? m;
    const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  });
}
