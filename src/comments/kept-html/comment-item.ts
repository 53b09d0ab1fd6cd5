// One comment and its replies as HTML: the hot path of a post page (hundreds of comments per
// render), so it is written as strings pushed onto a list rather than JSX. The rule is JSX's:
// every value from a row goes through escapeHtml, except the comment's HTML, sanitized on write.

import { type Messages, messagesFor } from '../../i18n/messages.js';
import { SLOT, withSlot } from '../../i18n/slots.js';
import { avatarColor, initials } from '../avatar.js';
import { ANONYMOUS_NAME, type ShownComment } from '../comment-types.js';
import type { FormToken } from '../signing.js';
import type { ThreadNode } from '../thread.js';
import { escapeHtml, Html, h } from './html-template.js';

const ROLE_BADGE = { owner: 'comment.author', author: 'comment.author', moderator: 'comment.moderator' } as const;
const ENGLISH = messagesFor('en');

/** "March 1, 2026, 9:05 AM UTC": the exact time, in a comment time's tooltip. */
export function longDateTime(at: Date, m: Messages = ENGLISH): string {
  return m.dateTime(at.getTime());
}

/** A message with a name in it, the name (escaped) linked to `href`. */
const linkedName = (text: string, href: string, name: string) =>
  withSlot(escapeHtml(text), `<a href="${escapeHtml(href)}">${escapeHtml(name)}</a>`).join('');

export interface ItemContext {
  slug: string;
  /** Avatars already drawn in this render: the author answers many times on one page. */
  avatars?: Map<string, string>;
  /** Where the viewer may edit her own comments; absent for what every reader sees alike. */
  own?: OwnContext | undefined;
  /** Her comment just sent and held: what to tell her under it (never in kept, public HTML). */
  held?: { id: string; lines: string[] } | undefined;
  /** The conversation's language (the post's, or the site's); English when absent. */
  m?: Messages | undefined;
}

export interface OwnContext {
  /** The current page's address with extra query parameters (`key=value`, URL-safe). */
  here: (extra?: string) => string;
  token: FormToken;
  editId: string | undefined;
  editBody: string | undefined;
}

/** The name shown: an anonymized comment's stored signature ("A reader") in the page's language. */
const shownName = (name: string, m: Messages) => (name === ANONYMOUS_NAME ? m.t('comment.aReader') : name);

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

function editForm(slug: string, ctx: OwnContext, c: ShownComment, m: Messages): Html {
  const field = `edit-${c.id}`;
  return h`<form class="comment-edit" method="post" action="/${slug}/comments/${c.id}/edit"><input type="hidden" name="ts" value="${ctx.token.ts}"><input type="hidden" name="token" value="${ctx.token.token}"><label for="${field}">${m.t('comment.editLabel')}</label><textarea id="${field}" name="body" rows="6" required>${ctx.editBody ?? c.markdown ?? ''}</textarea><p class="form-actions"><button type="submit">${m.t('comment.save')}</button> <a href="${ctx.here()}#comment-${c.id}">${m.t('comment.cancel')}</a></p></form>`;
}

function ownActions(slug: string, ctx: OwnContext, c: ShownComment, m: Messages): Html {
  const yours = m.t('comment.yourComment');
  return h`<a class="edit-link" href="${ctx.here(`edit=${c.id}`)}#comment-${c.id}">${m.t('comment.edit')}<span class="visually-hidden"> ${yours}</span></a><form class="delete-form" method="post" action="/${slug}/comments/${c.id}/delete"><input type="hidden" name="ts" value="${ctx.token.ts}"><input type="hidden" name="token" value="${ctx.token.token}"><button type="submit" class="link-button">${m.t('comment.delete')}<span class="visually-hidden"> ${yours}</span></button></form>`;
}

/** Where the words came from, when not this site: by email, or linked to their place elsewhere. */
function origin(c: ShownComment, m: Messages): string {
  if (c.origin === 'site') return '';
  if (c.origin === 'email') return `<span class="comment-origin">${escapeHtml(m.t('comment.byEmail'))}</span>`;
  const url = c.origin_url && /^https?:\/\//i.test(c.origin_url) ? c.origin_url : null;
  const host = url ? new URL(url).host : '';
  const text = c.origin === 'fediverse' ? m.t('comment.fromFediverse') : m.t('comment.fromWeb', { site: host });
  const shown = url ? `<a href="${escapeHtml(url)}" rel="ugc nofollow noopener">${escapeHtml(text)}</a>` : escapeHtml(text);
  return `<span class="comment-origin">${shown}</span>`;
}

/** Pushes the HTML of a comment and its replies onto `out`. */
export function writeComment(node: ThreadNode<ShownComment>, ctx: ItemContext, out: string[]): void {
  const { comment: c, replies, answers } = node;
  const m = ctx.m ?? ENGLISH;
  const role = c.author_role;
  const own = c.editable_until !== null ? ctx.own : undefined;
  const editable = own !== undefined;
  const editing = own !== undefined && own.editId === c.id;
  const id = escapeHtml(c.id);
  const name = escapeHtml(shownName(c.author_name, m));
  // Only a web address becomes a link (an old import may have kept a script URL).
  const linked = c.author_url && /^https?:\/\//i.test(c.author_url);
  const author = linked ? `<a href="${escapeHtml(c.author_url as string)}" rel="ugc nofollow noopener">${name}</a>` : name;
  const at = new Date(c.created_at);
  out.push(
    `<li id="comment-${id}" class="${role ? 'comment comment-staff' : 'comment'}"${role ? ` data-author-role="${role}"` : ''}${
      editable ? ` data-own-until="${new Date(c.editable_until as number).toISOString()}"` : ''
    } data-depth="${node.depth}"><article class="comment-card"><header class="comment-meta">${avatar(ctx, c)}<span class="comment-author">${author}</span>${
      role ? `<span class="badge">${escapeHtml(m.t(ROLE_BADGE[role]))}</span>` : ''
    }${origin(c, m)}${
      answers
        ? `<span class="in-reply-to">${linkedName(m.t('comment.replyingTo', { name: SLOT }), `#comment-${answers.id}`, shownName(answers.author_name, m))}</span>`
        : ''
    }<a class="comment-permalink" href="#comment-${id}"><time datetime="${at.toISOString()}" title="${escapeHtml(m.dateTime(c.created_at))}">${escapeHtml(m.date(c.created_at))}</time></a>${
      c.edited_at ? `<span class="edited">${escapeHtml(m.t('comment.edited'))}</span>` : ''
    }${c.visibility === 'private' ? `<span class="note-private">${escapeHtml(m.t('comment.private'))}</span>` : ''}${
      c.mine && c.status !== 'published' ? `<span class="note-held">${escapeHtml(m.t('comment.held'))}</span>` : ''
    }</header>`,
  );
  if (ctx.held && ctx.held.id === c.id && c.mine && c.status !== 'published') {
    out.push('<div class="held-notice" role="status">');
    for (const line of ctx.held.lines) out.push(`<p>${escapeHtml(line)}</p>`);
    out.push('</div>');
  }
  if (editing) out.push(editForm(ctx.slug, own, c, m).value);
  // The comment's HTML passed the sanitizer when it was written (comments.html).
  else out.push('<div class="comment-body">', c.html, '</div>');
  out.push(
    // The same link on every page and in either order (the page finds where the comment is), so a
    // thread's HTML can be kept (src/comments/kept-html/thread-html.ts).
    `<p class="comment-actions"><a class="reply-link" href="/${escapeHtml(ctx.slug)}/?replyto=${id}#respond">${escapeHtml(m.t('comment.reply'))}<span class="visually-hidden"> ${escapeHtml(m.t('comment.replyTo', { name: shownName(c.author_name, m) }))}</span></a>${
      own !== undefined && !editing ? ownActions(ctx.slug, own, c, m).value : ''
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
