// Reading back the .eml files the file transport wrote, for the admin API.
import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../errors.js';

export interface MailFileSummary {
  name: string;
  messageId: string;
  to: string;
  subject: string;
  date: string;
  bytes: number;
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=) in a header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([\w-]+)\?([BQbq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
              'latin1',
            );
      return new TextDecoder(charset.toLowerCase() === 'utf-8' ? 'utf-8' : 'latin1').decode(bytes);
    });
}

/** The header block of a raw message, unfolded, by lower-cased name. */
export function parseHeaders(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeHeader(line.slice(colon + 1).trim()));
  }
  return headers;
}

/** Every written message, newest first. */
export async function listMailFiles(dir: string): Promise<MailFileSummary[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.eml'));
  } catch {
    return [];
  }
  const items = await Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const raw = await fs.readFile(file, 'utf8');
      const h = parseHeaders(raw);
      // A dropped-in file may carry no Date or one nobody can read: its time on disk stands in.
      const stated = new Date(h.get('date') ?? Number.NaN);
      const date = Number.isNaN(stated.getTime()) ? (await fs.stat(file)).mtime : stated;
      return {
        name,
        messageId: h.get('message-id') ?? '',
        to: h.get('to') ?? '',
        subject: h.get('subject') ?? '',
        date: date.toISOString(),
        bytes: Buffer.byteLength(raw),
      };
    }),
  );
  return items.sort((a, b) => (a.name < b.name ? 1 : -1));
}

export async function readMailFile(dir: string, name: string): Promise<Buffer> {
  if (!/^[\w.-]+\.eml$/.test(name)) throw new NotFoundError('There is no such message.');
  try {
    return await fs.readFile(path.join(dir, name));
  } catch {
    throw new NotFoundError('There is no such message.');
  }
}
