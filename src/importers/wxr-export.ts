// Hearth -> WXR 1.2, written as it is read, a page of posts at a time. WordPress imports it as it
// would its own export; Hearth imports it back with the same content, because `_hearth_*` meta
// (which WordPress keeps as hidden meta) carries what WXR has no field for: the Markdown source,
// the stored format, Hearth's ids and a private comment's real state.
// WordPress stores what it imports as it is and shows it as HTML, so nothing leaves unsafe: a post
// or comment goes as its sanitized HTML (never an imported item's source HTML, which may hold
// scripts), and titles and names, text in Hearth, go as escaped text, as WordPress stores them.
import type { Db } from '../db/connect.js';
import type { CommentRow, CommentStatus, PostKind, PostRow, PostStatus } from '../db/tables.js';
import * as store from './export-store.js';
import { ipAddress, plainEmail, webAddress } from './source-text.js';

export type Write = (chunk: string) => Promise<void>;

const STATUS: Record<PostStatus, string> = { published: 'publish', scheduled: 'future', draft: 'draft' };
const TYPE: Record<PostKind, string> = { post: 'post', page: 'page', program: 'hearth_program', external: 'hearth_external' };
const APPROVED: Record<CommentStatus, string> = { published: '1', pending: '0', spam: 'spam', trash: 'trash' };
const ZERO_DATE = '0000-00-00 00:00:00';
const PAGE = 200;

// Characters XML 1.0 cannot carry at all; dropped rather than making the file unreadable.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function cdata(text: string): string {
  return `<![CDATA[${text.replace(NOT_XML, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Text as WordPress keeps a title or name: its special characters escaped. */
function text(value: string): string {
  return cdata(esc(value));
}

function esc(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Epoch ms as WordPress writes dates: "2014-01-14 17:31:03", UTC. */
export function wpDateText(ms: number | null): string {
  if (ms === null) return ZERO_DATE;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function meta(tag: 'postmeta' | 'commentmeta', key: string, value: string): string {
  return `\t\t<wp:${tag}><wp:meta_key>${key}</wp:meta_key><wp:meta_value>${cdata(value)}</wp:meta_value></wp:${tag}>\n`;
}

export interface WxrExportResult {
  posts: number;
  comments: number;
}

export async function exportWordpress(
  db: Db,
  site: { baseUrl: string; title: string; description: string },
  write: Write,
): Promise<WxrExportResult> {
  const base = site.baseUrl.replace(/\/+$/, '');
  const users = await store.usersInOrder(db);
  const authorNumber = new Map(users.map((u, i) => [u.id, i + 1]));
  const authorLogin = new Map(users.map((u) => [u.id, u.slug]));
  await write(
    `<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="Hearth" -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>${text(site.title)}</title>
\t<link>${esc(base)}</link>
\t<description>${text(site.description)}</description>
\t<language>en</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${esc(base)}/</wp:base_site_url>
\t<wp:base_blog_url>${esc(base)}/</wp:base_blog_url>
`,
  );
  for (const u of users) {
    await write(
      `\t<wp:author><wp:author_id>${authorNumber.get(u.id)}</wp:author_id><wp:author_login>${cdata(u.slug)}</wp:author_login><wp:author_email>${cdata(plainEmail(u.email))}</wp:author_email><wp:author_display_name>${text(u.name)}</wp:author_display_name><wp:author_first_name>${cdata('')}</wp:author_first_name><wp:author_last_name>${cdata('')}</wp:author_last_name></wp:author>\n`,
    );
  }
  for (const [i, t] of (await store.tagsInOrder(db)).entries()) {
    await write(
      `\t<wp:tag><wp:term_id>${i + 1}</wp:term_id><wp:tag_slug>${cdata(t.slug)}</wp:tag_slug><wp:tag_name>${text(t.name)}</wp:tag_name></wp:tag>\n`,
    );
  }

  const counts: WxrExportResult = { posts: 0, comments: 0 };
  let after: string | null = null;
  for (;;) {
    const posts = await store.postsPage(db, after, PAGE);
    if (posts.length === 0) break;
    after = posts[posts.length - 1]?.id ?? null;
    const tags = await store.tagsOfPosts(
      db,
      posts.map((p) => p.id),
    );
    for (const post of posts) {
      counts.posts++;
      const comments = await store.commentsOfPost(db, post.id);
      await write(
        item(post, counts, {
          base,
          login: authorLogin.get(post.author_id) ?? '',
          tags: tags.filter((t) => t.post_id === post.id),
          comments,
          authorNumber,
        }),
      );
    }
  }
  await write('</channel>\n</rss>\n');
  return counts;
}

function item(
  post: PostRow,
  counts: WxrExportResult,
  x: { base: string; login: string; tags: { slug: string; name: string }[]; comments: CommentRow[]; authorNumber: Map<string, number> },
): string {
  const number = counts.posts;
  const isHtml = post.source_format === 'html';
  const shownAt = post.published_at ?? post.created_at;
  const lines = [
    '\t<item>',
    `\t\t<title>${text(post.title)}</title>`,
    `\t\t<link>${esc(`${x.base}/${post.slug}/`)}</link>`,
    `\t\t<pubDate>${new Date(shownAt).toUTCString().replace('GMT', '+0000')}</pubDate>`,
    `\t\t<dc:creator>${cdata(x.login)}</dc:creator>`,
    `\t\t<guid isPermaLink="false">${esc(`${x.base}/?p=${number}`)}</guid>`,
    '\t\t<description></description>',
    `\t\t<content:encoded>${cdata(post.html)}</content:encoded>`,
    `\t\t<excerpt:encoded>${text(post.custom_excerpt ? post.excerpt : '')}</excerpt:encoded>`,
    `\t\t<wp:post_id>${number}</wp:post_id>`,
    `\t\t<wp:post_date>${cdata(wpDateText(shownAt))}</wp:post_date>`,
    `\t\t<wp:post_date_gmt>${cdata(wpDateText(post.published_at))}</wp:post_date_gmt>`,
    `\t\t<wp:post_modified>${cdata(wpDateText(post.updated_at))}</wp:post_modified>`,
    `\t\t<wp:post_modified_gmt>${cdata(wpDateText(post.updated_at))}</wp:post_modified_gmt>`,
    `\t\t<wp:comment_status>${cdata(post.comments_mode === 'closed' ? 'closed' : 'open')}</wp:comment_status>`,
    `\t\t<wp:ping_status>${cdata('closed')}</wp:ping_status>`,
    `\t\t<wp:post_name>${cdata(post.slug)}</wp:post_name>`,
    `\t\t<wp:status>${cdata(STATUS[post.status])}</wp:status>`,
    '\t\t<wp:post_parent>0</wp:post_parent>',
    '\t\t<wp:menu_order>0</wp:menu_order>',
    `\t\t<wp:post_type>${cdata(TYPE[post.kind])}</wp:post_type>`,
    `\t\t<wp:post_password>${cdata('')}</wp:post_password>`,
    `\t\t<wp:is_sticky>${post.sticky ? 1 : 0}</wp:is_sticky>`,
  ];
  let out = `${lines.join('\n')}\n`;
  for (const t of x.tags) out += `\t\t<category domain="post_tag" nicename="${esc(t.slug)}">${text(t.name)}</category>\n`;
  out += meta('postmeta', '_hearth_id', post.id);
  out += meta('postmeta', '_hearth_format', isHtml ? 'html' : 'markdown');
  if (!isHtml) out += meta('postmeta', '_hearth_markdown', post.markdown);

  const numbers = new Map<string, number>();
  for (const c of x.comments) {
    counts.comments++;
    numbers.set(c.id, counts.comments);
    out += comment(c, counts.comments, c.parent_id ? (numbers.get(c.parent_id) ?? 0) : 0, x.authorNumber);
  }
  return `${out}\t</item>\n`;
}

function comment(c: CommentRow, number: number, parent: number, authorNumber: Map<string, number>): string {
  const isHtml = c.source_format === 'html';
  const isPrivate = c.visibility === 'private';
  // WordPress has no private comments: there a private one waits unapproved, seen by staff only.
  const approved = isPrivate && c.status === 'published' ? '0' : APPROVED[c.status];
  const lines = [
    '\t\t<wp:comment>',
    `\t\t\t<wp:comment_id>${number}</wp:comment_id>`,
    `\t\t\t<wp:comment_author>${text(c.author_name)}</wp:comment_author>`,
    `\t\t\t<wp:comment_author_email>${cdata(plainEmail(c.author_email))}</wp:comment_author_email>`,
    `\t\t\t<wp:comment_author_url>${cdata(webAddress(c.author_url) ?? '')}</wp:comment_author_url>`,
    `\t\t\t<wp:comment_author_IP>${cdata(ipAddress(c.ip) ?? '')}</wp:comment_author_IP>`,
    `\t\t\t<wp:comment_date>${cdata(wpDateText(c.created_at))}</wp:comment_date>`,
    `\t\t\t<wp:comment_date_gmt>${cdata(wpDateText(c.created_at))}</wp:comment_date_gmt>`,
    `\t\t\t<wp:comment_content>${cdata(c.html)}</wp:comment_content>`,
    `\t\t\t<wp:comment_approved>${cdata(approved)}</wp:comment_approved>`,
    `\t\t\t<wp:comment_type>${cdata(c.kind === 'mention' ? 'pingback' : 'comment')}</wp:comment_type>`,
    `\t\t\t<wp:comment_parent>${parent}</wp:comment_parent>`,
    `\t\t\t<wp:comment_user_id>${c.staff_user_id ? (authorNumber.get(c.staff_user_id) ?? 0) : 0}</wp:comment_user_id>`,
  ];
  let out = `${lines.join('\n')}\n`;
  const m = (key: string, value: string) => `\t${meta('commentmeta', key, value)}`;
  out += m('_hearth_id', c.id);
  out += m('_hearth_format', isHtml ? 'html' : 'markdown');
  if (!isHtml) out += m('_hearth_markdown', c.markdown);
  if (isPrivate) out += m('_hearth_visibility', 'private');
  if (approved !== APPROVED[c.status]) out += m('_hearth_status', c.status);
  return `${out}\t\t</wp:comment>\n`;
}
