// WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) -> ImportRecords, streamed. Elements are recognised
// by namespace, not prefix, so a file that rebinds `wp:` elsewhere cannot pass off foreign data.
// Unknown elements are ignored and missing optional fields take WordPress's own defaults.
import type { SaxesTagNS } from 'saxes';
import type { CommentStatus, PostKind, PostStatus } from '../db/tables.js';
import type { AuthorRecord, CommentRecord, ImportRecord, Parser, PostRecord, TextFormat } from './batch.js';
import { anyDate, decodeSlug, oldPath, plainEmail, plainText, siteKey, wpDate } from './source-text.js';
import { malformed, type Position, readXml, type XmlReader } from './xml-stream.js';

const WP_NS = /^https?:\/\/wordpress\.org\/export\/(\d+\.\d+)\/$/;
const EXCERPT_NS = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/excerpt\/$/;
const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';

const KINDS: Record<string, PostKind> = { post: 'post', page: 'page', hearth_program: 'program' };
const POST_STATUSES: Record<string, PostStatus> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
  'auto-draft': 'draft',
  trash: 'draft',
};
const COMMENT_STATUSES: Record<string, CommentStatus> = {
  '': 'published', // WordPress inserts a comment without the field as approved
  '1': 'published',
  approve: 'published',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'trash',
  'post-trashed': 'trash',
};
const MENTION_TYPES = new Set(['pingback', 'trackback', 'webmention']);
/** Posts per item held back at most before the post is written (comments come last in an item). */
const MAX_HELD_COMMENTS = 500;

type Fields = Record<string, string>;

interface ItemState {
  fields: Fields;
  meta: Fields;
  terms: { domain: string; slug: string; name: string }[];
  comments: CommentRecord[];
  /** WXR comment ids that a Hearth export replaced by its own ids. */
  commentIds: Map<string, string>;
  emitted: PostRecord | null;
  skipped: boolean;
  /** Comments read so far, for keying those without an id. */
  read: number;
}

/** What an element's name is prefixed with, by its namespace: the key it is read by is prefix + local name. */
function prefixOf(uri: string): string {
  if (!uri) return '';
  if (WP_NS.test(uri)) return 'wp:';
  if (uri === CONTENT_NS) return 'content:';
  if (uri === DC_NS) return 'dc:';
  if (EXCERPT_NS.test(uri)) return 'excerpt:';
  return '?:';
}

class WxrReader implements XmlReader<ImportRecord> {
  private out: ImportRecord[] = [];
  private channel: Fields = {};
  private wxrVersion: string | null = null;
  private namespaceVersion: string | null = null;
  private versionChecked = false;
  private siteSent = false;
  private author: Fields | null = null;
  private term: Fields | null = null;
  private item: ItemState | null = null;
  private comment: Fields | null = null;
  private commentMeta: Fields | null = null;
  private metaPair: Fields | null = null;
  private itemCount = 0;
  /** Prefixes of the namespaces met (a file uses a handful; a few dozen are kept at most). */
  private readonly prefixes = new Map<string, string>();

  constructor(
    private readonly position: () => Position,
    private readonly warn: (message: string) => void,
  ) {}

  private keyOf(tag: SaxesTagNS): string {
    let prefix = this.prefixes.get(tag.uri);
    if (prefix === undefined) {
      prefix = prefixOf(tag.uri);
      if (this.prefixes.size < 32) this.prefixes.set(tag.uri, prefix);
    }
    return prefix + tag.local;
  }

  take(): ImportRecord[] {
    const records = this.out;
    this.out = [];
    return records;
  }

  open(tag: SaxesTagNS, depth: number): void {
    if (depth === 1) {
      if (tag.local !== 'rss') throw malformed(this.position(), `not a WXR file: the document is <${tag.name}>, not a WordPress export`);
      for (const uri of Object.values(tag.ns ?? {})) {
        const m = WP_NS.exec(uri);
        if (m) this.namespaceVersion ??= m[1] ?? null;
      }
      return;
    }
    const key = this.keyOf(tag);
    if (key.startsWith('wp:') && this.namespaceVersion === null) this.namespaceVersion = WP_NS.exec(tag.uri)?.[1] ?? null;
    if (this.comment) {
      if (key === 'wp:commentmeta') this.commentMeta = {};
      return;
    }
    if (this.item) {
      if (key === 'wp:comment') this.comment = {};
      else if (key === 'wp:postmeta') this.metaPair = {};
      else if (key === 'category' && depth === 4) {
        this.item.terms.push({ domain: tag.attributes.domain?.value ?? 'category', slug: tag.attributes.nicename?.value ?? '', name: '' });
      }
      return;
    }
    if (depth !== 3) return;
    if (key === 'item') {
      this.checkVersion();
      this.itemCount++;
      this.item = { fields: {}, meta: {}, terms: [], comments: [], commentIds: new Map(), emitted: null, skipped: false, read: 0 };
    } else if (key === 'wp:author') this.author = {};
    else if (key === 'wp:category' || key === 'wp:tag' || key === 'wp:term') this.term = { kind: key };
  }

  close(tag: SaxesTagNS, text: string, depth: number): void {
    if (depth <= 2) return;
    const key = this.keyOf(tag);
    if (this.comment) {
      if (this.commentMeta) {
        if (key === 'wp:commentmeta') {
          if (this.commentMeta.key) this.comment[`meta:${this.commentMeta.key}`] = this.commentMeta.value ?? '';
          this.commentMeta = null;
        } else if (key === 'wp:meta_key') this.commentMeta.key = text.trim();
        else if (key === 'wp:meta_value') this.commentMeta.value = text;
        return;
      }
      if (key === 'wp:comment') {
        this.addComment(this.comment);
        this.comment = null;
      } else this.comment[key] = text;
      return;
    }
    if (this.item) {
      if (this.metaPair) {
        if (key === 'wp:postmeta') {
          if (this.metaPair.key?.startsWith('_hearth_')) this.item.meta[this.metaPair.key] = this.metaPair.value ?? '';
          this.metaPair = null;
        } else if (key === 'wp:meta_key') this.metaPair.key = text.trim();
        else if (key === 'wp:meta_value') this.metaPair.value = text;
        return;
      }
      if (key === 'item') {
        this.flushItem(this.item);
        this.item = null;
      } else if (key === 'category' && depth === 4) {
        const term = this.item.terms[this.item.terms.length - 1];
        if (term) term.name = plainText(text);
      } else if (depth === 4) this.item.fields[key] = text;
      return;
    }
    if (this.author) {
      if (key === 'wp:author') {
        this.addAuthor(this.author);
        this.author = null;
      } else this.author[key] = text.trim();
      return;
    }
    if (this.term) {
      if (depth === 3) {
        this.addTerm(this.term);
        this.term = null;
      } else this.term[key] = text.trim();
      return;
    }
    if (depth === 3) {
      if (key === 'wp:wxr_version') this.wxrVersion = text.trim();
      else this.channel[key] = text.trim();
    }
  }

  end(): void {
    this.checkVersion();
  }

  /**
   * WordPress refuses a file without a WXR version. The oldest exports (the 1.0 namespace) did not
   * always write one, so there the namespace stands for it; from 1.1 on it is always there.
   */
  private checkVersion(): void {
    if (this.versionChecked) return;
    this.versionChecked = true;
    const version = this.wxrVersion ?? (this.namespaceVersion === '1.0' ? '1.0' : null);
    if (version === null) throw malformed(this.position(), 'not a WXR file: the WXR version number (wp:wxr_version) is missing');
    if (!/^\d+\.\d+$/.test(version)) throw malformed(this.position(), `not a WXR file: invalid WXR version number "${version}"`);
    if (Number(version) > 1.2) this.warn(`WXR version ${version} is newer than 1.2; read as 1.2`);
  }

  private emit(record: ImportRecord, fallbackUrl?: string): void {
    this.checkVersion();
    if (!this.siteSent) {
      this.siteSent = true;
      const fallback = fallbackUrl && URL.canParse(fallbackUrl) ? new URL(fallbackUrl).origin : '';
      const url = this.channel['wp:base_blog_url'] || this.channel['wp:base_site_url'] || this.channel.link || fallback;
      // WordPress keeps its blog name and tagline as escaped text.
      const title = plainText(this.channel.title ?? '');
      this.out.push({
        type: 'site',
        source: `wordpress:${siteKey(url) ?? 'unknown'}`,
        title,
        identity: { title, tagline: plainText(this.channel.description ?? '') },
      });
    }
    this.out.push(record);
  }

  private addAuthor(f: Fields): void {
    const login = f['wp:author_login'] ?? '';
    if (!login) return;
    // Names, like titles, are HTML in a WXR (WordPress stores them escaped): Hearth keeps text.
    const full = [f['wp:author_first_name'], f['wp:author_last_name']]
      .map((n) => plainText(n ?? ''))
      .filter(Boolean)
      .join(' ');
    const display = plainText(f['wp:author_display_name'] ?? '');
    const record: AuthorRecord = {
      type: 'author',
      login,
      userId: f['wp:author_id'] || null,
      email: plainEmail(f['wp:author_email']?.toLowerCase() ?? '') || null,
      // WordPress fills the display name with the login when none was chosen: a real name reads better.
      name: (display && display !== login ? display : full) || login,
    };
    this.emit(record);
  }

  private addTerm(f: Fields): void {
    const kind = f.kind;
    const taxonomy = kind === 'wp:category' ? 'category' : kind === 'wp:tag' ? 'post_tag' : (f['wp:term_taxonomy'] ?? '');
    if (taxonomy !== 'category' && taxonomy !== 'post_tag') return;
    const slug = f['wp:category_nicename'] ?? f['wp:tag_slug'] ?? f['wp:term_slug'] ?? '';
    const name = plainText(f['wp:cat_name'] ?? f['wp:tag_name'] ?? f['wp:term_name'] ?? slug);
    if (slug && slug !== 'uncategorized') this.emit({ type: 'tag', slug: decodeSlug(slug), name: name || slug });
  }

  private postOf(item: ItemState): PostRecord | null {
    const f = item.fields;
    const type = f['wp:post_type'] || 'post';
    const kind = KINDS[type];
    if (!kind) return null;
    const wpId = f['wp:post_id']?.trim() || '';
    const meta = item.meta;
    const sourceId = meta._hearth_id || wpId || f.guid?.trim() || f.link?.trim() || `item-${this.itemCount}`;
    const rawStatus = (f['wp:status'] ?? '').trim();
    let status = POST_STATUSES[rawStatus] ?? 'draft';
    if (rawStatus && !POST_STATUSES[rawStatus]) this.warn(`post ${sourceId}: unknown status "${rawStatus}" imported as a draft`);
    if ((f['wp:post_password'] ?? '').trim() !== '' && status !== 'draft') {
      this.warn(`post ${sourceId} was password-protected: imported as a draft`);
      status = 'draft';
    }
    const gmt = wpDate(f['wp:post_date_gmt']);
    const local = wpDate(f['wp:post_date']) ?? anyDate(f.pubDate);
    const written = gmt ?? local;
    const paths = new Set<string>();
    const linkPath = f.link ? oldPath(f.link) : null;
    if (linkPath) paths.add(linkPath);
    if (/^\d+$/.test(wpId)) {
      paths.add(`/?p=${wpId}`);
      if (kind === 'page') paths.add(`/?page_id=${wpId}`);
    }
    const tags = new Map<string, string>();
    for (const term of item.terms) {
      if (term.domain !== 'category' && term.domain !== 'post_tag') continue;
      const slug = decodeSlug(term.slug || term.name);
      if (slug && slug !== 'uncategorized' && !tags.has(slug)) tags.set(slug, term.name || slug);
    }
    const hearthFormat = meta._hearth_format;
    const format: TextFormat = hearthFormat === 'markdown' || hearthFormat === 'html' ? hearthFormat : 'wordpress';
    return {
      type: 'post',
      sourceId,
      hearthId: meta._hearth_id || null,
      kind,
      title: plainText(f.title ?? ''),
      slug: decodeSlug(f['wp:post_name'] ?? ''),
      content: format === 'markdown' ? (meta._hearth_markdown ?? '') : (f['content:encoded'] ?? ''),
      format,
      excerpt: f['excerpt:encoded'] ?? '',
      status,
      publishedAt: status === 'draft' ? gmt : written,
      createdAt: written,
      updatedAt: wpDate(f['wp:post_modified_gmt']) ?? wpDate(f['wp:post_modified']),
      authorLogin: f['dc:creator']?.trim() || null,
      tags: [...tags].map(([slug, name]) => ({ slug, name })),
      sticky: (f['wp:is_sticky'] ?? '').trim() === '1',
      commentsOpen: (f['wp:comment_status'] ?? 'open').trim() !== 'closed',
      oldPaths: [...paths],
    };
  }

  /** Writes the item's post once its fields are known, then any comments held for it. */
  private flushItem(item: ItemState): void {
    if (!item.emitted && !item.skipped) {
      const post = this.postOf(item);
      if (post) {
        item.emitted = post;
        this.emit(post, item.fields.link);
      } else {
        item.skipped = true;
        this.emit({ type: 'skip', what: item.fields['wp:post_type'] || 'post' });
      }
    }
    for (const c of item.comments) {
      // Comment ids are keyed within their post: hand-made exports reuse them across posts.
      const post = item.emitted?.sourceId;
      if (post)
        this.emit({
          ...c,
          sourceId: `${post}:${c.sourceId}`,
          postSourceId: post,
          parentSourceId: c.parentSourceId && `${post}:${c.parentSourceId}`,
        });
      else this.emit({ type: 'skip', what: 'comment on a skipped item' });
    }
    item.comments = [];
  }

  private addComment(f: Fields): void {
    const item = this.item;
    if (!item) return;
    const wpId = (f['wp:comment_id'] ?? '').trim();
    item.read++;
    const sourceId = f['meta:_hearth_id'] || wpId || `n${item.read}`;
    if (wpId && sourceId !== wpId) item.commentIds.set(wpId, sourceId);
    const parent = (f['wp:comment_parent'] ?? '').trim();
    const approved = (f['wp:comment_approved'] ?? '').trim();
    let status = COMMENT_STATUSES[approved];
    if (!status) {
      this.warn(`comment ${sourceId}: unknown state "${approved}" imported as pending`);
      status = 'pending';
    }
    // A Hearth export keeps the real state beside WordPress's (a private comment is unapproved there).
    const hearthStatus = f['meta:_hearth_status'] as CommentStatus | undefined;
    if (hearthStatus && Object.values(COMMENT_STATUSES).includes(hearthStatus)) status = hearthStatus;
    const type = (f['wp:comment_type'] ?? '').trim();
    const hearthFormat = f['meta:_hearth_format'];
    const format: TextFormat = hearthFormat === 'markdown' || hearthFormat === 'html' ? hearthFormat : 'wordpress';
    const userId = (f['wp:comment_user_id'] ?? '').trim();
    item.comments.push({
      type: 'comment',
      sourceId,
      hearthId: f['meta:_hearth_id'] || null,
      postSourceId: '',
      parentSourceId: parent && parent !== '0' ? (item.commentIds.get(parent) ?? parent) : null,
      status,
      visibility: f['meta:_hearth_visibility'] === 'private' ? 'private' : 'public',
      kind: MENTION_TYPES.has(type) ? 'mention' : 'comment',
      authorName: plainText(f['wp:comment_author'] ?? ''),
      authorEmail: (f['wp:comment_author_email'] ?? '').trim().toLowerCase(),
      authorUrl: (f['wp:comment_author_url'] ?? '').trim() || null,
      authorUserId: userId && userId !== '0' ? userId : null,
      ip: (f['wp:comment_author_IP'] ?? '').trim() || null,
      userAgent: (f['wp:comment_agent'] ?? '').trim() || null,
      content: format === 'markdown' ? (f['meta:_hearth_markdown'] ?? '') : (f['wp:comment_content'] ?? ''),
      format,
      createdAt: wpDate(f['wp:comment_date_gmt']) ?? wpDate(f['wp:comment_date']),
    });
    // Comments come last in an item: past a handful, the post is complete and can go first.
    if (item.comments.length >= MAX_HELD_COMMENTS) this.flushItem(item);
  }
}

export const parseWordpress: Parser = (chunks, warn) => readXml(chunks, warn, (position) => new WxrReader(position, warn));
