// CSV for spreadsheets (RFC 4180): every field quoted when it must be, quotes doubled, CRLF rows.
// A field a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe,
// so a reader's name like `=HYPERLINK(...)` stays text when the author opens the file.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: a byte-order mark so spreadsheets read UTF-8, a header row, then the rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
