// Remark42 -> ImportRecords. Reads its backup (`remark42 backup`: a header line with the posts'
// titles, then one comment a line), a JSON list of its comments, or its nested tree
// (`{comment, replies}`). Each comment names its page by `locator.url`: the page becomes a thread
// keyed by that address (src/sites), its site registered if it was not.
import { slugify } from '../text/slug.js';
import type { CommentRecord, ImportRecord, Parser, ThreadRecord } from './batch.js';
import { isObject, jsonDocuments, str } from './json-text.js';
import { anyDate } from './source-text.js';

type Obj = Record<string, unknown>;

/** Comments found anywhere in the documents: lists, trees, `{comments: [...]}`, single lines. */
function collect(value: unknown, out: Obj[], titles: Map<string, string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, titles);
    return;
  }
  if (!isObject(value)) return;
  if (isObject(value.comment)) {
    collect(value.comment, out, titles);
    collect(value.replies, out, titles);
    return;
  }
  if (isObject(value.locator) && 'id' in value) {
    out.push(value);
    return;
  }
  // The backup's header: the posts' titles (and users, which comments repeat).
  if (Array.isArray(value.posts)) {
    for (const p of value.posts) if (isObject(p) && str(p.url) && str(p.title)) titles.set(str(p.url), str(p.title));
  }
  if (Array.isArray(value.comments)) collect(value.comments, out, titles);
}

export const parseRemark42: Parser = async function* (chunks, warn) {
  const docs = await jsonDocuments(chunks, 'a Remark42 backup');
  const comments: Obj[] = [];
  const titles = new Map<string, string>();
  for (const doc of docs) collect(doc, comments, titles);
  if (comments.length === 0) warn('the file holds no Remark42 comments');
  const site = str((comments[0]?.locator as Obj | undefined)?.site) || 'remark';
  const out: ImportRecord[] = [{ type: 'site', source: `remark42:${site}`, title: site }];
  const threads = new Map<string, ThreadRecord>();
  for (const c of comments) {
    const url = str((c.locator as Obj).url);
    const id = str(c.id);
    if (!url || !id) {
      warn(`a comment without ${id ? 'a page address' : 'an id'} was skipped`);
      out.push({ type: 'skip', what: 'comment without a page' });
      continue;
    }
    const createdAt = anyDate(str(c.time));
    if (!threads.has(url)) {
      const thread: ThreadRecord = {
        type: 'thread',
        sourceId: url,
        title: titles.get(url) ?? str(c.title),
        link: url,
        identifier: url,
        deleted: false,
        createdAt,
        external: true,
      };
      threads.set(url, thread);
      out.push(thread);
    }
    const user = isObject(c.user) ? c.user : {};
    const name = str(user.name).trim() || 'Anonymous';
    const deleted = c.delete === true || c.deleted === true;
    const record: CommentRecord = {
      type: 'comment',
      sourceId: id,
      hearthId: null,
      postSourceId: url,
      parentSourceId: str(c.pid) || null,
      status: deleted ? 'trash' : 'published',
      visibility: 'public',
      kind: 'comment',
      authorName: name,
      // Remark42 keeps no email: a stable stand-in, never written to.
      authorEmail: str(user.email) || `remark42-${slugify(str(user.id), 60) || slugify(name, 60) || 'anonymous'}@invalid`,
      authorUrl: null,
      authorUserId: null,
      ip: str(user.ip) || null,
      userAgent: null,
      content: str(c.text),
      format: 'html',
      createdAt,
    };
    out.push(record);
  }
  yield out;
};
