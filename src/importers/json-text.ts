// Reading a JSON export that arrives in chunks: one document, or one document a line (Remark42's
// backup: a header line, then a comment a line). Remark42 and Isso exports are small next to a
// WordPress one, so the text is gathered whole; a malformed one is refused, naming the line.
import { InvalidError } from '../errors.js';

/** Every JSON document in the text: the whole of it, or each non-empty line. */
export async function jsonDocuments(chunks: AsyncIterable<string>, what: string): Promise<unknown[]> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  text = text.replace(/^\uFEFF/, '').trim();
  if (!text) throw new InvalidError(`the file is empty, not ${what}`);
  try {
    return [JSON.parse(text)];
  } catch {
    // One document a line, below.
  }
  const docs: unknown[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      docs.push(JSON.parse(line));
    } catch {
      throw new InvalidError(`line ${i + 1} is not JSON, so this is not ${what}`);
    }
  }
  return docs;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
