// One comment and its replies as HTML: the hot path of a post page (hundreds of comments per
// render), so it is written as strings pushed onto a list rather than JSX. The rule is JSX's:
// every value from a row goes through escapeHtml, except the comment's HTML, sanitized on write.

import { longDate } from '../web/format.js';
import { avatarColor, initials } from './avatar.js';
import { ANONYMOUS_NAME, type ShownComment } from './comment-service.js';
import { escapeHtml, Html, h } from './html-template.js';
import type { FormToken } from './signing.js';
import type { ThreadNode } from './thread.js';

const ROLE_BADGE = { owner: 'Author', author: 'Author', moderator: 'Moderator' } as const;
const clock = (d: Date) =>
  `${d.getUTCHours() % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'} UTC`;

/** "March 1, 2026, 9:05 AM UTC": the exact time, in a comment time's tooltip. */
export function longDateTime(at: Date): string {
  return `${longDate(at.getTime())}, ${clock(at)}`;
}

export interface ItemContext {
  slug: string;
  /** Avatars already drawn in this render: the author answers many times on one page. */
  avatars?: Map<string, string>;
  /** Where the viewer may edit her own comments; absent for what every reader sees alike. */
  own?: OwnContext | undefined;
  /** Her comment just sent and held: what to tell her under it (never in kept, public HTML). */
  held?: { id: string; lines: string[] } | undefined;
}

export interface OwnContext {
  /** The current page's address with extra query parameters (`key=value`, URL-safe). */
  here: (extra?: string) => string;
  token: FormToken;
  editId: string | undefined;
  editBody: string | undefined;
}

function avatar(ctx: ItemContext, c: ShownComment): string {
  const seed = c.staff_user_id ?? (c.author_name === ANONYMOUS_NAME ? c.id : c.author_email);
  const key = `${seed}\n${c.author_name}`;
  let svg = ctx.avatars?.get(key);
  if (svg === undefined) {
    svg = `<svg class="avatar" viewBox="0 0 40 40" aria-hidden="true" focusable="false"><circle cx="20" cy="20" r="20" fill="${escapeHtml(avatarColor(seed))}"/><text x="20" y="25">${escapeHtml(initials(c.author_name))}</text></svg>`;
    ctx.avatars?.set(key, svg);
  }
  return svg;
}

function editForm(slug: string, ctx: OwnContext, c: ShownComment): Html {
  const field = `edit-${c.id}`;
  return h`<form class="comment-edit" method="post" action="/${slug}/comments/${c.id}/edit"><input type="hidden" name="ts" value="${ctx.token.ts}"><input type="hidden" name="token" value="${ctx.token.token}"><label for="${field}">Edit your comment</label><textarea id="${field}" name="body" rows="6" required>${ctx.editBody ?? c.markdown ?? ''}</textarea><p class="form-actions"><button type="submit">Save changes</button> <a href="${ctx.here()}#comment-${c.id}">Cancel</a></p></form>`;
}

function ownActions(slug: string, ctx: OwnContext, c: ShownComment): Html {
  return h`<a class="edit-link" href="${ctx.here(`edit=${c.id}`)}#comment-${c.id}">Edit<span class="visually-hidden"> your comment</span></a><form class="delete-form" method="post" action="/${slug}/comments/${c.id}/delete"><input type="hidden" name="ts" value="${ctx.token.ts}"><input type="hidden" name="token" value="${ctx.token.token}"><button type="submit" class="link-button">Delete<span class="visually-hidden"> your comment</span></button></form>`;
}

/** Pushes the HTML of a comment and its replies onto `out`. */
export function writeComment(node: ThreadNode<ShownComment>, ctx: ItemContext, out: string[]): void {
  const { comment: c, replies, answers } = node;
  const role = c.author_role;
  const own = c.editable_until !== null ? ctx.own : undefined;
  const editable = own !== undefined;
  const editing = own !== undefined && own.editId === c.id;
  const id = escapeHtml(c.id);
  const name = escapeHtml(c.author_name);
  // Only a web address becomes a link (an old import may have kept a script URL).
  const linked = c.author_url && /^https?:\/\//i.test(c.author_url);
  const author = linked ? `<a href="${escapeHtml(c.author_url as string)}" rel="ugc nofollow noopener">${name}</a>` : name;
  const at = new Date(c.created_at);
  out.push(
    `<li id="comment-${id}" class="${role ? 'comment comment-staff' : 'comment'}"${role ? ` data-author-role="${role}"` : ''}${
      editable ? ` data-own-until="${new Date(c.editable_until as number).toISOString()}"` : ''
    } data-depth="${node.depth}"><article class="comment-card"><header class="comment-meta">${avatar(ctx, c)}<span class="comment-author">${author}</span>${
      role ? `<span class="badge">${ROLE_BADGE[role]}</span>` : ''
    }${
      answers
        ? `<span class="in-reply-to">replying to <a href="#comment-${escapeHtml(answers.id)}">${escapeHtml(answers.author_name)}</a></span>`
        : ''
    }<a class="comment-permalink" href="#comment-${id}"><time datetime="${at.toISOString()}" title="${longDateTime(at)}">${longDate(c.created_at)}</time></a>${
      c.edited_at ? '<span class="edited">edited</span>' : ''
    }${c.visibility === 'private' ? '<span class="note-private">Private: only the author and you can see this</span>' : ''}${
      c.mine && c.status !== 'published' ? '<span class="note-held">Awaiting moderation: only you can see it for now</span>' : ''
    }</header>`,
  );
  if (ctx.held && ctx.held.id === c.id && c.mine && c.status !== 'published') {
    out.push('<div class="held-notice" role="status">');
    for (const line of ctx.held.lines) out.push(`<p>${escapeHtml(line)}</p>`);
    out.push('</div>');
  }
  if (editing) out.push(editForm(ctx.slug, own, c).value);
  // The comment's HTML passed the sanitizer when it was written (comments.html).
  else out.push('<div class="comment-body">', c.html, '</div>');
  out.push(
    // The same link on every page and in either order (the page finds where the comment is), so a
    // thread's HTML can be kept (src/comments/thread-html.ts).
    `<p class="comment-actions"><a class="reply-link" href="/${escapeHtml(ctx.slug)}/?replyto=${id}#respond">Reply<span class="visually-hidden"> to ${name}</span></a>${
      own !== undefined && !editing ? ownActions(ctx.slug, own, c).value : ''
    }</p></article>`,
  );
  if (replies.length > 0) {
    out.push('<ol class="comment-replies">');
    for (const reply of replies) writeComment(reply, ctx, out);
    out.push('</ol>');
  }
  out.push('</li>');
}

/** One comment and its replies as one piece of HTML (a live update, a single thread). */
export function commentItem(node: ThreadNode<ShownComment>, ctx: ItemContext): Html {
  const out: string[] = [];
  writeComment(node, ctx, out);
  return new Html(out.join(''));
}
