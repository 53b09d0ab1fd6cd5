// Control characters nobody types: NUL first, which PostgreSQL's text columns refuse outright, and
// the rest of C0 that only a program sends. Tab, newline and carriage return are kept.

// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it removes
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

export const hasControlChars = (text: string): boolean => CONTROL.test(text);

/** The text without C0 control characters other than tab, newline and carriage return. */
export const withoutControlChars = (text: string): string => (CONTROL.test(text) ? text.replace(CONTROLS, '') : text);
