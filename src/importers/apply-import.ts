// The one writer every importer feeds: applies an ImportBatch inside the caller's transaction,
// keyed by (source, source id), so importing the same file again adds nothing and a newer export
// adds only what is new. Records stream through in file order; comments are written in chunks,
// and only bounded lookups are kept in memory (posts and threads by id, a cache of recent
// comments), so memory stays flat as files grow.
import type { Db } from '../db/connect.js';
import type { PostStatus, UserRow } from '../db/tables.js';
import { newId } from '../ids.js';
import { RESERVED_SLUGS } from '../posts/post-service.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { sanitizeAuthorHtml, sanitizeReaderHtml } from '../render/sanitize.js';
import { adoptSiteIdentity } from '../settings/settings-service.js';
import { ensurePage } from '../sites/external-pages.js';
import { normalizePageUrl } from '../sites/page-url.js';
import { deriveExcerpt, htmlToText } from '../text/excerpt.js';
import { slugify, uniqueSlug } from '../text/slug.js';
import {
  type AuthorRecord,
  addWarning,
  type CommentRecord,
  type ImportBatch,
  type ImportSummary,
  type PostRecord,
  type ThreadRecord,
} from './batch.js';
import * as store from './import-store.js';
import { ipAddress, oldPath, plainEmail, plainText, webAddress, wordpressAuthorPaths } from './source-text.js';
import { hasBlocks, wpautop } from './wpautop.js';

const COMMENT_CHUNK = 500;
/** Comments remembered by source id before the cache starts over (the database answers misses). */
const MAX_KNOWN_COMMENTS = 10_000;

export interface ApplyContext {
  /** A transaction: the caller commits or rolls back the whole import. */
  db: Db;
  now: number;
  /** Reader words written before this await no answer after the import (null: all may). */
  leaveOutBefore?: number | null;
  markdown: MarkdownRenderer;
  summary: ImportSummary;
  onRecords?: (posts: number, comments: number) => void;
}

type Known = store.KnownComment;

export async function applyImport(ctx: ApplyContext, batch: ImportBatch): Promise<void> {
  const writer = new ImportWriter(ctx, await store.allUsers(ctx.db));
  for await (const records of batch) {
    for (const r of records) {
      switch (r.type) {
        case 'site':
          writer.setSource(r.source);
          if (r.identity) await writer.adoptIdentity(r.identity);
          break;
        case 'author':
          await writer.addAuthor(r);
          break;
        case 'tag':
          await writer.tagId(r.slug, r.name);
          break;
        case 'post':
          await writer.addPost(r);
          break;
        case 'thread':
          writer.addThread(r);
          break;
        case 'comment':
          await writer.addComment(r);
          break;
        case 'skip':
          ctx.summary.posts.skipped[r.what] = (ctx.summary.posts.skipped[r.what] ?? 0) + 1;
          break;
      }
    }
    ctx.onRecords?.(ctx.summary.posts.total, ctx.summary.comments.total);
  }
  await writer.finish();
}

class ImportWriter {
  private source = '';
  private readonly db: Db;
  private readonly summary: ImportSummary;
  private readonly usersByEmail = new Map<string, UserRow>();
  private readonly authorByLogin = new Map<string, string>();
  private readonly authorByUserId = new Map<string, string>();
  private fallbackAuthor: string | null = null;
  private readonly tags = new Map<string, string>();
  private readonly posts = new Map<string, string>();
  private readonly threads = new Map<string, ThreadRecord>();
  private readonly threadPosts = new Map<string, { postId: string; deleted: boolean }>();
  private known = new Map<string, Known>();
  /** Replies met before the comment they answer, by that comment's source id. */
  private readonly waiting = new Map<string, CommentRecord[]>();
  private buffer: CommentRecord[] = [];
  /** Posts given comments since their conversation was last brought up to date. */
  private readonly touched = new Set<string>();
  /** Posts given comments in the chunk being written. */
  private touchedNow = new Set<string>();
  /** Posts brought up to date early, while their rows were fresh: any later comment waits for the end. */
  private readonly refreshedEarly = new Set<string>();

  constructor(
    private readonly ctx: ApplyContext,
    private readonly users: UserRow[],
  ) {
    this.db = ctx.db;
    this.summary = ctx.summary;
    for (const u of users) this.usersByEmail.set(u.email.toLowerCase(), u);
  }

  setSource(source: string): void {
    this.source = source;
    this.summary.source = source;
  }

  /** The site moving in names the site, where it has no name of its own yet (feeds and emails use it). */
  async adoptIdentity(identity: { title: string; tagline: string }): Promise<void> {
    const adopted = await adoptSiteIdentity(this.db, { title: identity.title, description: identity.tagline }, this.ctx.now);
    this.summary.site = { title: adopted.title, tagline: adopted.description };
  }

  private warn(message: string): void {
    addWarning(this.summary, message);
  }

  // --- people -------------------------------------------------------------------------------

  async addAuthor(r: AuthorRecord): Promise<string> {
    const bySource = this.users.find((u) => u.source === this.source && u.source_id === r.login);
    let user = (r.email ? this.usersByEmail.get(r.email) : undefined) ?? bySource;
    if (user) {
      this.summary.users.matched++;
    } else {
      const email = r.email ?? `wordpress-${slugify(r.login, 60) || 'author'}@invalid`;
      user = this.usersByEmail.get(email);
      if (user) this.summary.users.matched++;
      else user = await this.createUser(email, r.name, r.login);
    }
    this.authorByLogin.set(r.login, user.id);
    if (r.userId) this.authorByUserId.set(r.userId, user.id);
    // The old site's author pages lead to the author's page here.
    const to = `/author/${user.slug}/`;
    for (const from of wordpressAuthorPaths(r.login)) {
      if (from !== to && (await store.insertRedirect(this.db, from, to))) this.summary.redirects.added++;
    }
    return user.id;
  }

  /** A staff account for an imported author: role author, no password until invited. */
  private async createUser(email: string, name: string, login: string): Promise<UserRow> {
    const now = this.ctx.now;
    const row: UserRow = {
      id: newId(now),
      email,
      name: name.trim() || login,
      slug: await uniqueSlug(slugify(name) || slugify(login) || 'author', (s) => store.userSlugTaken(this.db, s)),
      role: 'author',
      password_hash: null,
      bio: '',
      source: this.source,
      source_id: login,
      created_at: now,
      updated_at: now,
    };
    await store.insertUser(this.db, row);
    this.users.push(row);
    this.usersByEmail.set(email, row);
    this.summary.users.added++;
    return row;
  }

  private async authorFor(login: string | null): Promise<string> {
    if (login) {
      const known = this.authorByLogin.get(login);
      if (known) return known;
      return this.addAuthor({ type: 'author', login, userId: null, email: null, name: login });
    }
    return this.defaultAuthor();
  }

  /** Who owns what names no author: the site owner, else the first staff member, else a new one. */
  private async defaultAuthor(): Promise<string> {
    if (this.fallbackAuthor) return this.fallbackAuthor;
    const owner = this.users.find((u) => u.role === 'owner') ?? this.users[0];
    this.fallbackAuthor = owner ? owner.id : (await this.createUser('imported@invalid', 'Imported', 'imported')).id;
    return this.fallbackAuthor;
  }

  // --- posts --------------------------------------------------------------------------------

  async tagId(rawSlug: string, name: string): Promise<string | null> {
    const slug = slugify(rawSlug) || slugify(name);
    if (!slug) return null;
    const cached = this.tags.get(slug);
    if (cached) return cached;
    let id = await store.tagIdBySlug(this.db, slug);
    if (!id) {
      id = newId(this.ctx.now);
      await store.insertTag(this.db, { id, slug, name: name.trim() || slug });
      this.summary.tags.added++;
    }
    this.tags.set(slug, id);
    return id;
  }

  private slugFree = async (slug: string) => RESERVED_SLUGS.has(slug) || store.postSlugTaken(this.db, slug);

  async addPost(r: PostRecord): Promise<void> {
    const s = this.summary.posts;
    s.total++;
    s.byStatus[r.status]++;
    s.byKind[r.kind]++;
    // A post from a Hearth export is the same post wherever it goes: found, and made, by its id.
    const existing =
      (r.hearthId ? await store.findPostById(this.db, r.hearthId) : undefined) ??
      (await store.findPostBySource(this.db, this.source, r.sourceId));
    if (existing) {
      this.posts.set(r.sourceId, existing.id);
      s.existing++;
      return;
    }
    const { text, html, format } = this.renderPost(r.content, r.format);
    // An excerpt is HTML in a WXR (a Hearth export writes its text escaped): Hearth keeps text.
    const excerpt = r.excerpt.trim() ? (r.format === 'wordpress' ? plainText(r.excerpt).replace(/\s+/g, ' ') : plainText(r.excerpt)) : '';
    const created = r.createdAt ?? r.publishedAt ?? this.ctx.now;
    const publishedAt = r.publishedAt ?? (r.status === 'draft' ? null : created);
    const id = await this.insertPost({
      id: r.hearthId,
      sourceId: r.sourceId,
      title: r.title || 'Untitled',
      slugBase: slugify(r.slug) || slugify(r.title) || `post-${slugify(r.sourceId, 40) || 'imported'}`,
      kind: r.kind,
      text,
      html,
      format,
      excerpt,
      status: r.status,
      publishedAt,
      createdAt: created,
      updatedAt: r.updatedAt ?? created,
      authorId: await this.authorFor(r.authorLogin),
      sticky: r.sticky,
      commentsOpen: r.commentsOpen,
      oldPaths: r.oldPaths,
      tags: r.tags,
    });
    this.posts.set(r.sourceId, id);
    s.added++;
  }

  private renderPost(content: string, format: PostRecord['format']): { text: string; html: string; format: 'markdown' | 'html' } {
    if (format === 'markdown') return { text: content, html: this.ctx.markdown.post(content), format: 'markdown' };
    // Block-editor content carries its own markup; WordPress shows it without paragraph logic.
    const text = format === 'wordpress' && !hasBlocks(content) ? wpautop(content) : content;
    return { text, html: sanitizeAuthorHtml(text), format: 'html' };
  }

  private async insertPost(p: {
    id?: string | null;
    sourceId: string;
    title: string;
    slugBase: string;
    kind: PostRecord['kind'];
    text: string;
    html: string;
    format: 'markdown' | 'html';
    excerpt: string;
    status: PostStatus;
    publishedAt: number | null;
    createdAt: number;
    updatedAt: number;
    authorId: string;
    sticky: boolean;
    commentsOpen: boolean;
    oldPaths: string[];
    tags: { slug: string; name: string }[];
  }): Promise<string> {
    const id = p.id ?? newId(Math.max(0, p.createdAt));
    const slug = await uniqueSlug(p.slugBase, this.slugFree);
    const excerpt = p.excerpt || deriveExcerpt(p.html);
    await store.insertPost(this.db, {
      id,
      kind: p.kind,
      slug,
      title: p.title,
      markdown: p.text,
      html: p.html,
      excerpt,
      custom_excerpt: p.excerpt ? 1 : 0,
      status: p.status,
      published_at: p.publishedAt,
      author_id: p.authorId,
      comments_mode: p.commentsOpen ? 'open' : 'closed',
      comments_close_days: null,
      comment_count: 0,
      public_thread_count: 0,
      cover_image: null,
      meta_title: null,
      meta_description: null,
      sticky: p.sticky ? 1 : 0,
      source: this.source,
      source_id: p.sourceId,
      source_format: p.format,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    });
    const tagIds: string[] = [];
    for (const tag of p.tags) {
      const tagId = await this.tagId(tag.slug, tag.name);
      if (tagId && !tagIds.includes(tagId)) tagIds.push(tagId);
    }
    await store.linkPostTags(this.db, id, tagIds);
    await store.indexPostForSearch(
      this.db,
      { id, title: p.title, excerpt, body: p.format === 'markdown' ? p.text : htmlToText(p.html) },
      true,
    );
    const to = `/${slug}/`;
    for (const from of p.oldPaths) {
      if (from !== to && from !== '/' && (await store.insertRedirect(this.db, from, to))) this.summary.redirects.added++;
    }
    return id;
  }

  // --- conversations that find their post by address (Disqus) ------------------------------

  addThread(r: ThreadRecord): void {
    this.threads.set(r.sourceId, r);
  }

  private async postForThread(threadId: string): Promise<{ postId: string; deleted: boolean }> {
    const cached = this.threadPosts.get(threadId);
    if (cached) return cached;
    const thread = this.threads.get(threadId);
    const draftKey = `thread:${threadId}`;
    const postId =
      (await store.findPostBySource(this.db, this.source, draftKey))?.id ??
      (thread ? await this.externalPage(thread) : undefined) ??
      (thread ? await this.matchPost(thread) : undefined) ??
      (await this.draftForThread(threadId, thread));
    const found = { postId, deleted: thread?.deleted ?? false };
    this.threadPosts.set(threadId, found);
    return found;
  }

  /**
   * The conversation of another site's page (src/sites): for Remark42 and Isso always (their site
   * registered if it was not), for Disqus when its page is on a site the owner registered.
   */
  private async externalPage(t: ThreadRecord): Promise<string | undefined> {
    const url = normalizePageUrl(t.link);
    if (!url) return undefined;
    const page = await ensurePage(this.db, {
      url,
      title: t.title,
      now: this.ctx.now,
      registerSite: t.external === true,
      source: { source: this.source, sourceId: `page:${url}` },
      authorId: await this.defaultAuthor(),
    });
    if (!page) return undefined;
    this.summary.posts.total++;
    this.summary.posts.byKind.external++;
    this.summary.posts.byStatus.published++;
    if (page.created) this.summary.posts.added++;
    else this.summary.posts.existing++;
    return page.post.id;
  }

  /** The post a thread's page was: by its old address (redirects, then slug), or by its identifier. */
  private async matchPost(t: ThreadRecord): Promise<string | undefined> {
    const paths = new Set<string>();
    for (const address of [t.link, t.identifier]) {
      const id = /^(\d+)\s/.exec(address)?.[1];
      if (id) paths.add(`/?p=${id}`);
      if (/^(https?:\/\/|\/)/.test(address)) {
        const path = oldPath(address.split(/\s/)[0] ?? '');
        if (path) paths.add(path);
      }
    }
    if (paths.size === 0) return undefined;
    const redirect = await store.findRedirect(this.db, [...paths]);
    const candidates = redirect ? [redirect.to_path] : [...paths];
    for (const path of candidates) {
      const slug = /^\/([^/?]+)\/?$/.exec(path)?.[1];
      const post = slug ? await store.findPostBySlug(this.db, slug) : undefined;
      if (post) return post.id;
    }
    return undefined;
  }

  /** A thread that matches no post keeps its comments in a draft post, title and address kept. */
  private async draftForThread(threadId: string, t: ThreadRecord | undefined): Promise<string> {
    const link = t?.link ?? '';
    const title = t?.title.trim() || link || `Disqus thread ${threadId}`;
    const text = link
      ? `<p>Comments brought over from Disqus for <a href="${escapeAttr(link)}">${escapeText(link)}</a>.</p>`
      : `<p>Comments brought over from Disqus for a thread the export does not describe (${escapeText(threadId)}).</p>`;
    const html = sanitizeAuthorHtml(text);
    const created = t?.createdAt ?? this.ctx.now;
    const path = link ? oldPath(link) : null;
    this.summary.posts.drafts++;
    if (!t) this.warn(`comments of Disqus thread ${threadId}, which the export does not list, are kept in a draft post`);
    return this.insertPost({
      sourceId: `thread:${threadId}`,
      title,
      slugBase: slugify(title) || `disqus-thread-${slugify(threadId) || 'unknown'}`,
      kind: 'post',
      text,
      html,
      format: 'html',
      excerpt: '',
      status: 'draft',
      publishedAt: null,
      createdAt: created,
      updatedAt: created,
      authorId: await this.defaultAuthor(),
      sticky: false,
      commentsOpen: true,
      oldPaths: path && path !== '/' ? [path] : [],
      tags: [],
    });
  }

  // --- comments -----------------------------------------------------------------------------

  async addComment(r: CommentRecord): Promise<void> {
    this.buffer.push(r);
    if (this.buffer.length >= COMMENT_CHUNK) await this.flushComments();
  }

  private remember(sourceId: string, known: Known): void {
    if (this.known.size >= MAX_KNOWN_COMMENTS) this.known = new Map();
    this.known.set(sourceId, known);
  }

  private async flushComments(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    // One query tells which comments are already here and where the parents not at hand are.
    const wanted = new Set<string>();
    for (const c of batch) {
      wanted.add(c.sourceId);
      if (c.parentSourceId && !this.known.has(c.parentSourceId)) wanted.add(c.parentSourceId);
    }
    for (const k of await store.commentsBySource(this.db, this.source, [...wanted])) {
      if (k.source_id) this.remember(k.source_id, k);
    }
    const hearthIds = new Map(batch.filter((c) => c.hearthId).map((c) => [c.hearthId as string, c.sourceId]));
    for (const k of await store.commentsByIds(this.db, [...hearthIds.keys()])) {
      const sourceId = hearthIds.get(k.id);
      if (sourceId) this.remember(sourceId, k);
    }
    const rows: store.ImportedComment[] = [];
    for (const c of batch) {
      if (this.known.has(c.sourceId)) {
        this.count(c, this.threadDeleted(c));
        this.summary.comments.existing++;
        continue;
      }
      await this.place(c, rows);
    }
    await store.insertComments(this.db, rows);
    await this.refreshSettled();
  }

  /**
   * Brings up to date the conversations of posts this chunk did not add to, while their rows are
   * still in the database's cache (an export lists a post's comments together): reading them back
   * at the end, when they have long left it, took as long as writing them. A post given comments
   * again later is brought up to date once more at the end, so the result is the same either way.
   */
  private async refreshConversation(postId: string): Promise<void> {
    const leftOut = await store.refreshPostConversation(this.db, postId, this.ctx.leaveOutBefore ?? null);
    if (leftOut === 0) return;
    this.summary.inbox.leftOut += leftOut;
    this.summary.inbox.before = this.ctx.leaveOutBefore ?? null;
  }

  private async refreshSettled(): Promise<void> {
    for (const postId of this.touched) {
      if (this.touchedNow.has(postId) || this.refreshedEarly.has(postId)) continue;
      await this.refreshConversation(postId);
      this.touched.delete(postId);
      this.refreshedEarly.add(postId);
    }
    this.touchedNow = new Set();
  }

  private threadDeleted(c: CommentRecord): boolean {
    return this.summary.format === 'disqus' && this.threads.get(c.postSourceId)?.deleted === true;
  }

  private count(c: CommentRecord, threadDeleted: boolean): CommentRecord['status'] {
    // Comments of a thread deleted at the source go to the trash with it, unless they are spam.
    const status = threadDeleted && c.status !== 'spam' ? 'trash' : c.status;
    this.summary.comments.total++;
    this.summary.comments.byStatus[status]++;
    return status;
  }

  private async place(c: CommentRecord, rows: store.ImportedComment[]): Promise<void> {
    // A file that lists one comment twice (a hand-joined export): the first one placed is kept.
    if (this.known.has(c.sourceId)) {
      this.warn(`comment ${c.sourceId} appears more than once in the file: the first kept`);
      return;
    }
    // Disqus, Remark42 and Isso name the page a comment belongs to: a thread record.
    const byThread = this.threads.has(c.postSourceId) || this.summary.format === 'disqus';
    let postId: string | undefined;
    let threadDeleted = false;
    if (byThread) {
      const found = await this.postForThread(c.postSourceId);
      postId = found.postId;
      threadDeleted = found.deleted;
    } else postId = this.posts.get(c.postSourceId);
    if (!postId) {
      this.warn(`comment ${c.sourceId} belongs to no imported post: skipped`);
      this.summary.posts.skipped['comment without a post'] = (this.summary.posts.skipped['comment without a post'] ?? 0) + 1;
      return;
    }
    let parent: Known | undefined;
    if (c.parentSourceId) {
      parent = this.known.get(c.parentSourceId);
      if (!parent) {
        // Its parent comes later in the file: it waits for it.
        const list = this.waiting.get(c.parentSourceId);
        if (list) list.push(c);
        else this.waiting.set(c.parentSourceId, [c]);
        return;
      }
      if (parent.post_id !== postId) {
        this.warn(`comment ${c.sourceId} answers a comment on another post: kept at the top level`);
        parent = undefined;
      }
    }
    const status = this.count(c, threadDeleted);
    const staffId = byThread
      ? (this.usersByEmail.get(c.authorEmail)?.id ?? null)
      : c.authorUserId
        ? (this.authorByUserId.get(c.authorUserId) ?? null)
        : null;
    const created = c.createdAt ?? this.threads.get(c.postSourceId)?.createdAt ?? this.ctx.now;
    const id = c.hearthId ?? newId(Math.max(0, created));
    const known: Known = {
      id,
      source_id: c.sourceId,
      root_id: parent?.root_id ?? id,
      depth: parent ? parent.depth + 1 : 0,
      post_id: postId,
    };
    const { text, html, format } = this.renderComment(c, staffId !== null);
    const row: store.ImportedComment = {
      id,
      post_id: postId,
      parent_id: parent?.id ?? null,
      root_id: known.root_id,
      depth: known.depth,
      status,
      visibility: c.visibility,
      author_name: c.authorName || 'Anonymous',
      // An address with markup in it is no address; a website is a link only over http(s).
      author_email: plainEmail(c.authorEmail),
      author_url: webAddress(c.authorUrl),
      staff_user_id: staffId,
      markdown: text,
      html,
      edit_token_hash: null,
      notify: 0,
      ip: ipAddress(c.ip),
      user_agent: c.userAgent,
      kind: c.kind,
      source: this.source,
      source_id: c.sourceId,
      source_format: format,
      created_at: created,
      edited_at: null,
      // Written on the site it came from: shown as the site's own.
      origin: 'site',
      origin_url: null,
    };
    rows.push(row);
    this.remember(c.sourceId, known);
    this.touched.add(postId);
    this.touchedNow.add(postId);
    const s = this.summary.comments;
    s.added++;
    if (c.kind === 'mention') s.mentions++;
    if (parent) s.replies++;
    if (staffId) s.staff++;
    const children = this.waiting.get(c.sourceId);
    if (children) {
      this.waiting.delete(c.sourceId);
      for (const child of children) await this.place(child, rows);
    }
  }

  private renderComment(c: CommentRecord, staff: boolean): { text: string; html: string; format: 'markdown' | 'html' } {
    if (c.format === 'markdown') {
      return {
        text: c.content,
        html: staff ? this.ctx.markdown.post(c.content) : this.ctx.markdown.comment(c.content),
        format: 'markdown',
      };
    }
    // WordPress text gets WordPress's paragraphs; HTML without any paragraph gets them too.
    const text = c.format === 'wordpress' || !/<p[\s>]/i.test(c.content) ? wpautop(c.content) : c.content;
    // Most comments are plain words: paragraphs made from text with no markup, entity or quote are
    // already what the sanitizer would return, and skipping it doubles the import's speed.
    const plain = !/[<>&"]/.test(c.content);
    return { text, html: plain ? text : sanitizeReaderHtml(text), format: 'html' };
  }

  async finish(): Promise<void> {
    await this.flushComments();
    // Replies whose parent never came: kept, at the top level, so no words are lost.
    while (this.waiting.size > 0) {
      const rows: store.ImportedComment[] = [];
      const [parentId, children] = this.waiting.entries().next().value as [string, CommentRecord[]];
      this.waiting.delete(parentId);
      for (const child of children) {
        this.warn(`comment ${child.sourceId} answers ${parentId}, which the file does not hold: kept at the top level`);
        await this.place({ ...child, parentSourceId: null }, rows);
      }
      await store.insertComments(this.db, rows);
    }
    for (const postId of this.touched) await this.refreshConversation(postId);
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
