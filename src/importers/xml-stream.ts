// Runs text chunks through the repairer and saxes, a strict streaming parser, and hands each
// element's text to the importer when the element closes. Only the text of the element being read
// is held, never the file. A fault saxes cannot get past stops the import with its line and column.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { InvalidError } from '../errors.js';
import { XmlRepair } from './xml-repair.js';

export interface XmlReader<T> {
  open(tag: SaxesTagNS, depth: number): void;
  /** `text` is the element's own text (CDATA included), as the file holds it. */
  close(tag: SaxesTagNS, text: string, depth: number): void;
  /** Called once the document has ended without error. */
  end(): void;
  /** The records completed since the last call. */
  take(): T[];
}

export interface Position {
  line: number;
  column: number;
}

/** A file that cannot be read as the format: the line names where, the message what. */
export function malformed(at: Position, what: string): InvalidError {
  const line = `line ${at.line}, column ${at.column}: ${what}`;
  return new InvalidError(line, { file: line });
}

export async function* readXml<T>(
  chunks: AsyncIterable<string>,
  warn: (message: string) => void,
  makeReader: (position: () => Position) => XmlReader<T>,
): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const position = () => ({ line: parser.line, column: parser.column });
  const reader = makeReader(position);
  const repair = new XmlRepair(warn);
  let text = '';
  let depth = 0;
  parser.on('error', (err) => {
    throw malformed(position(), err.message.replace(/^\d+:\d+: /, ''));
  });
  parser.on('opentag', (tag) => {
    depth++;
    text = '';
    reader.open(tag, depth);
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    reader.close(tag as SaxesTagNS, text, depth);
    depth--;
    text = '';
  });

  for await (const chunk of chunks) {
    const repaired = repair.push(chunk);
    if (repaired) parser.write(repaired);
    const records = reader.take();
    if (records.length > 0) yield records;
  }
  const rest = repair.end();
  if (rest) parser.write(rest);
  parser.close();
  reader.end();
  const records = reader.take();
  if (records.length > 0) yield records;
}

/** Decodes byte chunks as UTF-8 across chunk boundaries (a BOM is dropped). */
export async function* utf8Chunks(input: AsyncIterable<Uint8Array | string>, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      onBytes?.(Buffer.byteLength(chunk));
      yield chunk;
      continue;
    }
    onBytes?.(chunk.byteLength);
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}
