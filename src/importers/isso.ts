// Isso -> ImportRecords, from its JSON import format (`isso import --type generic`): a list of
// threads, each `{id: path, title, comments: [{id, author, email, website, remote_addr, created,
// text, parent?}]}`. Isso knows pages by path only, so the import names the site they are on
// (`--site https://blog.example.org`); each page becomes a thread keyed by its address (src/sites).
import { InvalidError } from '../errors.js';
import type { ImportRecord, Parser } from './batch.js';
import { isObject, jsonDocuments, str } from './json-text.js';
import { wpDate } from './source-text.js';

/** Isso's generic export writes titles form-encoded ("Nat+%26+Miguel"). */
function titleOf(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function issoParser(siteOrigin: string | undefined): Parser {
  return async function* (chunks, warn) {
    const [doc] = await jsonDocuments(chunks, 'an Isso export');
    if (!Array.isArray(doc)) throw new InvalidError('an Isso export is a JSON list of threads');
    const out: ImportRecord[] = [{ type: 'site', source: `isso:${siteOrigin ?? ''}`, title: siteOrigin ?? 'isso' }];
    for (const t of doc) {
      if (!isObject(t) || !str(t.id)) {
        warn('a thread without an id was skipped');
        continue;
      }
      const path = str(t.id);
      const link = /^https?:\/\//.test(path) ? path : siteOrigin ? new URL(path, `${siteOrigin}/`).href : '';
      if (!link) throw new InvalidError(`Isso names pages by path ("${path}"): give the site they are on with --site`);
      const comments = Array.isArray(t.comments) ? t.comments.filter(isObject) : [];
      out.push({
        type: 'thread',
        sourceId: link,
        title: titleOf(str(t.title)),
        link,
        identifier: path,
        deleted: false,
        createdAt: wpDate(str(comments[0]?.created)),
        external: true,
      });
      for (const c of comments) {
        // Ids count from 0 in each thread of a generic export: the page makes them unique.
        const key = (id: unknown) => `${link}#${str(id)}`;
        const createdAt = wpDate(str(c.created));
        out.push({
          type: 'comment',
          sourceId: key(c.id),
          hearthId: null,
          postSourceId: link,
          parentSourceId: c.parent === null || c.parent === undefined ? null : key(c.parent),
          // Isso's mode 2 is held for moderation, 4 deleted; a generic export has none: published.
          status: c.mode === 2 ? 'pending' : c.mode === 4 ? 'trash' : 'published',
          visibility: 'public',
          kind: 'comment',
          authorName: str(c.author).trim() || 'Anonymous',
          authorEmail: str(c.email),
          authorUrl: str(c.website) || null,
          authorUserId: null,
          ip: str(c.remote_addr) || null,
          userAgent: null,
          content: str(c.text),
          format: 'markdown',
          createdAt,
        });
      }
    }
    yield out;
  };
}
