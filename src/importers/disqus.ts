// Disqus XML export -> ImportRecords, streamed. A Disqus export lists its threads (one per page
// that had a comment box) and then its posts (the comments), each naming its thread and parent by
// `dsq:id`. Threads become `thread` records: the writer finds the post each belongs to.
import { createHash } from 'node:crypto';
import type { SaxesTagNS } from 'saxes';
import { slugify } from '../text/slug.js';
import type { CommentRecord, ImportRecord, Parser } from './batch.js';
import { anyDate } from './source-text.js';
import { malformed, type Position, readXml, type XmlReader } from './xml-stream.js';

const DSQ_NS = 'http://disqus.com/disqus-internals';

type Fields = Record<string, string>;

function dsqId(tag: SaxesTagNS): string {
  for (const attr of Object.values(tag.attributes)) {
    if (attr.local === 'id' && (attr.uri === DSQ_NS || attr.prefix === 'dsq')) return attr.value.trim();
  }
  return '';
}

/** A stable stand-in address for a commenter Disqus gave no email for; never shown to anyone. */
export function placeholderEmail(username: string, name: string): string {
  const who = slugify(username, 60) || slugify(name, 60) || 'anonymous';
  return `disqus-${who}@invalid`;
}

class DisqusReader implements XmlReader<ImportRecord> {
  private out: ImportRecord[] = [];
  private forum = '';
  private siteSent = false;
  private thread: Fields | null = null;
  private post: Fields | null = null;
  private author: Fields | null = null;
  private postAuthor: Fields | null = null;

  constructor(
    private readonly position: () => Position,
    private readonly warn: (message: string) => void,
  ) {}

  take(): ImportRecord[] {
    const records = this.out;
    this.out = [];
    return records;
  }

  open(tag: SaxesTagNS, depth: number): void {
    if (depth === 1) {
      if (tag.local !== 'disqus') throw malformed(this.position(), `not a Disqus export: the document is <${tag.name}>, not <disqus>`);
      return;
    }
    if (depth === 2) {
      if (tag.local === 'thread') this.thread = { dsqId: dsqId(tag) };
      else if (tag.local === 'post') this.post = { dsqId: dsqId(tag) };
      return;
    }
    if (this.post) {
      if (depth === 3 && tag.local === 'thread') this.post.thread = dsqId(tag);
      else if (depth === 3 && tag.local === 'parent') this.post.parent = dsqId(tag);
      else if (depth === 3 && tag.local === 'author') this.author = {};
    } else if (this.thread && depth === 3 && tag.local === 'author') this.author = {};
  }

  close(tag: SaxesTagNS, text: string, depth: number): void {
    const name = tag.local;
    if (this.author && depth === 4) {
      this.author[name] = text.trim();
      return;
    }
    if (depth === 3) {
      if (name === 'forum' && !this.forum) this.forum = text.trim();
      if (name === 'author') {
        if (this.post) this.postAuthor = this.author;
        this.author = null;
        return;
      }
      const target = this.post ?? this.thread;
      if (target && name !== 'thread' && name !== 'parent') target[name] = name === 'message' ? text : text.trim();
      return;
    }
    if (depth !== 2) return;
    if (name === 'thread' && this.thread) {
      this.emit({
        type: 'thread',
        sourceId: this.thread.dsqId || this.thread.id || this.thread.link || '',
        title: this.thread.title ?? '',
        link: this.thread.link ?? '',
        identifier: this.thread.id ?? '',
        deleted: this.thread.isDeleted === 'true',
        createdAt: anyDate(this.thread.createdAt),
      });
      this.thread = null;
    } else if (name === 'post' && this.post) {
      this.addPost(this.post, this.postAuthor ?? {});
      this.post = null;
      this.postAuthor = null;
    }
  }

  end(): void {}

  private emit(record: ImportRecord): void {
    if (!this.siteSent) {
      this.siteSent = true;
      this.out.push({ type: 'site', source: `disqus:${this.forum || 'unknown'}`, title: this.forum });
    }
    this.out.push(record);
  }

  private addPost(f: Fields, author: Fields): void {
    const name = author.name || author.username || 'Anonymous';
    const message = f.message ?? '';
    // A post without a dsq:id still gets a key that stays the same on the next import.
    const sourceId =
      f.dsqId ||
      (f.id
        ? `id:${f.id}`
        : `hash:${createHash('sha1').update(`${f.thread}\n${f.createdAt}\n${name}\n${message}`).digest('hex').slice(0, 20)}`);
    if (!f.thread) {
      this.warn(`comment ${sourceId} names no thread: skipped`);
      this.emit({ type: 'skip', what: 'comment without a thread' });
      return;
    }
    const createdAt = anyDate(f.createdAt);
    const spam = f.isSpam === 'true';
    const deleted = f.isDeleted === 'true';
    let status: CommentRecord['status'] = spam ? 'spam' : deleted ? 'trash' : 'published';
    if (createdAt === null) {
      // Unreadable dates mark a damaged record: kept, but held for a person to look at.
      this.warn(`comment ${sourceId} has an unreadable date "${f.createdAt ?? ''}": held for moderation`);
      if (status === 'published') status = 'pending';
    }
    if (f.isSpam && f.isSpam !== 'true' && f.isSpam !== 'false') this.warn(`comment ${sourceId}: isSpam "${f.isSpam}" read as false`);
    const email = (author.email ?? '').toLowerCase();
    this.emit({
      type: 'comment',
      sourceId,
      hearthId: null,
      postSourceId: f.thread,
      parentSourceId: f.parent || null,
      status,
      visibility: 'public',
      kind: 'comment',
      authorName: name,
      authorEmail: email || placeholderEmail(author.username ?? '', name),
      authorUrl: null,
      authorUserId: null,
      ip: f.ipAddress || null,
      userAgent: null,
      content: message.trim(),
      format: 'html',
      createdAt,
    });
  }
}

export const parseDisqus: Parser = (chunks, warn) => readXml(chunks, warn, (position) => new DisqusReader(position, warn));
