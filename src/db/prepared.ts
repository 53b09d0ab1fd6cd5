// PostgreSQL named (prepared) statements for the SQL that runs on every request. A statement is
// parsed once per connection and, once PostgreSQL finds that one plan serves every value (after
// five runs), planned once too: for the small statements of a comment write, parsing and planning
// cost more than running. An unnamed statement is parsed and planned on every call. Only
// statements built once (compiled-statement.ts) are named: their text never varies, so each
// connection keeps a few dozen, never one per list length or ad-hoc query.
const names = new Map<string, string>();

/** Marks this SQL text as worth preparing on every connection that runs it. */
export function prepareOnEachConnection(text: string): void {
  if (!names.has(text)) names.set(text, `hearth_${names.size + 1}`);
}

/** The statement name of SQL marked for preparing, or undefined: run it unnamed. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
