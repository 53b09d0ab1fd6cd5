// One comment and its replies as HTML: the hot path of a post page, so it is built with the
// escaping template of html-template.ts rather than JSX.
import { isoTime } from '../web/format.js';
import { avatarColor, initials } from './avatar.js';
import { ANONYMOUS_NAME, type ShownComment } from './comment-service.js';
import { type Html, h, sanitizedOnWrite } from './html-template.js';
import type { FormToken } from './signing.js';
import type { ThreadNode } from './thread.js';

const ROLE_BADGE = { owner: 'Author', author: 'Author', moderator: 'Moderator' } as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mar 1, 2026, 9:05 AM UTC", without the cost of Intl for every comment. */
export function shortDateTime(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const minutes = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'AM' : 'PM'} UTC`;
}

export interface ItemContext {
  slug: string;
  /** The current page's address with extra query parameters. */
  here: (extra?: string) => string;
  token: FormToken;
  editId: string | undefined;
  editBody: string | undefined;
}

function avatar(c: ShownComment): Html {
  const seed = c.staff_user_id ?? (c.author_name === ANONYMOUS_NAME ? c.id : c.author_email);
  return h`<svg class="avatar" viewBox="0 0 40 40" aria-hidden="true" focusable="false"><circle cx="20" cy="20" r="20" fill="${avatarColor(seed)}"/><text x="20" y="25">${initials(c.author_name)}</text></svg>`;
}

function editForm(ctx: ItemContext, c: ShownComment): Html {
  const field = `edit-${c.id}`;
  return h`<form class="comment-edit" method="post" action="/${ctx.slug}/comments/${c.id}/edit"><input type="hidden" name="ts" value="${ctx.token.ts}"><input type="hidden" name="token" value="${ctx.token.token}"><label for="${field}">Edit your comment</label><textarea id="${field}" name="body" rows="6" required>${ctx.editBody ?? c.markdown}</textarea><p class="form-actions"><button type="submit">Save changes</button> <a href="${ctx.here()}#comment-${c.id}">Cancel</a></p></form>`;
}

function ownActions(ctx: ItemContext, c: ShownComment): Html {
  return h`<a class="edit-link" href="${ctx.here(`edit=${c.id}`)}#comment-${c.id}">Edit<span class="visually-hidden"> your comment</span></a><form class="delete-form" method="post" action="/${ctx.slug}/comments/${c.id}/delete"><input type="hidden" name="ts" value="${ctx.token.ts}"><input type="hidden" name="token" value="${ctx.token.token}"><button type="submit" class="link-button">Delete<span class="visually-hidden"> your comment</span></button></form>`;
}

export function commentItem(node: ThreadNode<ShownComment>, ctx: ItemContext): Html {
  const { comment: c, replies, answers } = node;
  const role = c.author_role;
  const editable = c.editable_until !== null;
  const editing = editable && ctx.editId === c.id;
  const author = c.author_url ? h`<a href="${c.author_url}" rel="ugc nofollow noopener">${c.author_name}</a>` : c.author_name;
  return h`<li id="comment-${c.id}" class="${role ? 'comment comment-staff' : 'comment'}"${role ? h` data-author-role="${role}"` : ''}${
    editable ? h` data-own-until="${isoTime(c.editable_until as number)}"` : ''
  } data-depth="${node.depth}"><article class="comment-card"><header class="comment-meta">${avatar(c)}<span class="comment-author">${author}</span>${
    role ? h`<span class="badge">${ROLE_BADGE[role]}</span>` : ''
  }${answers ? h`<span class="in-reply-to">replying to <a href="#comment-${answers.id}">${answers.author_name}</a></span>` : ''}<a class="comment-permalink" href="#comment-${c.id}"><time datetime="${isoTime(c.created_at)}">${shortDateTime(c.created_at)}</time></a>${
    c.edited_at ? h`<span class="edited">edited</span>` : ''
  }${c.visibility === 'private' ? h`<span class="note-private">Private: only the author and you can see this</span>` : ''}${
    c.mine && c.status !== 'published' ? h`<span class="note-held">Awaiting moderation: only you can see it for now</span>` : ''
  }</header>${editing ? editForm(ctx, c) : h`<div class="comment-body">${sanitizedOnWrite(c.html)}</div>`}<p class="comment-actions"><a class="reply-link" href="${ctx.here(`replyto=${c.id}`)}#respond">Reply<span class="visually-hidden"> to ${c.author_name}</span></a>${
    editable && !editing ? ownActions(ctx, c) : ''
  }</p></article>${replies.length > 0 ? h`<ol class="comment-replies">${replies.map((r) => commentItem(r, ctx))}</ol>` : ''}</li>`;
}
