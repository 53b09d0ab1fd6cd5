// The conversation under a post, with the HTML hooks of CONTRACT.md. Every action is a link or a
// form, so all of it works without scripts; public/comments.js only makes it quicker.
import type { Child } from 'hono/jsx';
import { type Messages, messagesFor } from '../i18n/messages.js';
import { SLOT, withSlot } from '../i18n/slots.js';
import { joinedParts, type PageParts } from '../web/page-parts.js';
import type { ThreadOrder } from './comment-store.js';
import type { Conversation, ShownComment } from './comment-types.js';
import { commentItem, type ItemContext, writeComment } from './kept-html/comment-item.js';
import { toJsx } from './kept-html/html-template.js';
import type { FormToken } from './signing.js';
import type { ThreadNode } from './thread.js';

export interface FormValues {
  name: string;
  email: string;
  website: string;
  body: string;
  notify: boolean;
  private: boolean;
  parent: string;
}

export const EMPTY_FORM: FormValues = { name: '', email: '', website: '', body: '', notify: false, private: false, parent: '' };

/** What the reader sent, and what is wrong with it, when the form comes back to her. */
export interface FormState {
  values: FormValues;
  errors: Record<string, string>;
  message?: string | undefined;
  /** Her edit of her own comment, kept when it could not be saved. */
  editing?: { id: string; body: string } | undefined;
}

export interface ConversationProps {
  post: { id: string; slug: string };
  conv: Conversation;
  token: FormToken;
  form?: FormState | undefined;
  replyTo?: ShownComment | undefined;
  editId?: string | undefined;
  /** Where a full page keeps its long parts; without it the list is one piece of HTML. */
  parts?: PageParts | undefined;
  /** Her name, email and website from her last comment here, for a form not sent yet. */
  known?: KnownWriter | undefined;
  /** Her comment just sent and held for moderation, and what to tell her about it. */
  held?: { id: string; lines: string[] } | undefined;
  /** The conversation's language: the post's, or the site's (English when absent). */
  m?: Messages | undefined;
  /** Shown where the form would be: another site's page built with the thread links to the form on Hearth (src/sites). */
  instead?: Child | undefined;
}

export interface KnownWriter {
  name: string;
  email: string;
  website: string;
}

function pageQuery(page: number, order: ThreadOrder): string {
  const params: string[] = [];
  if (page > 1) params.push(`page=${page}`);
  if (order === 'newest') params.push('sort=newest');
  return params.join('&');
}

export function pageHref(slug: string, page: number, order: ThreadOrder, extra = ''): string {
  const params = new URLSearchParams(pageQuery(page, order));
  for (const [k, v] of new URLSearchParams(extra)) params.set(k, v);
  const q = params.toString();
  return `/${slug}/${q ? `?${q}` : ''}`;
}

export function CommentThread(props: ConversationProps) {
  const { conv, post } = props;
  const m = props.m ?? messagesFor('en');
  // The page's own query, made once: every comment's reply link adds to it.
  const query = pageQuery(conv.page, conv.order);
  const here = (extra?: string) => {
    const q = extra ? (query ? `${query}&${extra}` : extra) : query;
    return `/${post.slug}/${q ? `?${q}` : ''}`;
  };
  const ctx: ItemContext = {
    slug: post.slug,
    avatars: new Map(),
    own: { here, token: props.token, editId: props.form?.editing?.id ?? props.editId, editBody: props.form?.editing?.body },
    held: props.held,
    m,
  };
  return (
    <section
      id="comments"
      class="comments"
      aria-labelledby="comments-heading"
      data-comment-count={conv.count}
      data-live={`/${post.slug}/comments/live`}
      data-max-depth={conv.maxDepth}
      data-words={scriptWords(m)}
    >
      <h2 id="comments-heading">{m.t('comments.heading', { count: conv.count })}</h2>
      {conv.threadCount > 1 || conv.pages > 1 ? <SortLinks slug={post.slug} order={conv.order} m={m} /> : null}
      <Pager slug={post.slug} conv={conv} where="top" m={m} />
      <CommentList conv={conv} ctx={ctx} parts={props.parts} />
      <Pager slug={post.slug} conv={conv} where="bottom" m={m} />
      {props.instead !== undefined ? (
        props.instead
      ) : conv.open ? (
        <CommentForm
          m={m}
          slug={post.slug}
          token={props.token}
          form={props.form}
          known={props.known}
          replyTo={props.replyTo}
          cancelHref={`${here()}#respond`}
        />
      ) : (
        <p class="comments-closed">{m.t('comments.closed')}</p>
      )}
    </section>
  );
}

const wordsKept = new Map<string, string>();
/** The words public/comments.js writes, in the conversation's language ({name}: SLOT), made once per language. */
function scriptWords(m: Messages): string {
  let words = wordsKept.get(m.locale);
  if (words === undefined) {
    words = JSON.stringify({
      leave: m.t('form.leave'),
      postComment: m.t('form.postComment'),
      postReply: m.t('form.postReply'),
      replyTo: m.t('form.replyTo', { name: SLOT }),
      replyingTo: m.t('form.replyingTo', { name: SLOT }),
      cancelReply: m.t('form.cancelReply'),
      preview: m.t('form.preview'),
      justNow: m.t('comments.justNow'),
      selfReplyLabel: m.t('form.selfReplyLabel'),
      selfReplyText: m.t('form.selfReplyText'),
      addToComment: m.t('form.addToComment'),
      postAsReply: m.t('form.postAsReply'),
    });
    wordsKept.set(m.locale, words);
  }
  return words;
}

function SortLinks(props: { slug: string; order: ThreadOrder; m: Messages }) {
  const { m } = props;
  return (
    <p class="comment-sort">
      {m.t('comments.sort')}{' '}
      {props.order === 'oldest' ? (
        <strong aria-current="true">{m.t('comments.oldest')}</strong>
      ) : (
        <a href={`/${props.slug}/#comments`}>{m.t('comments.oldest')}</a>
      )}
      {' · '}
      {props.order === 'newest' ? (
        <strong aria-current="true">{m.t('comments.newest')}</strong>
      ) : (
        <a href={`/${props.slug}/?sort=newest#comments`}>{m.t('comments.newest')}</a>
      )}
    </p>
  );
}

/**
 * The page numbers a pager shows: the first and last, and two on each side of the current one, with
 * a gap (null) where numbers are left out. A conversation of hundreds of pages gets a short list.
 */
export function pageWindow(current: number, pages: number): (number | null)[] {
  const shown: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    const near = p === 1 || p === pages || Math.abs(p - current) <= 2;
    // A gap of one number shows the number instead.
    const bridges = (p === 2 && current - 2 === 3) || (p === pages - 1 && current + 2 === pages - 2);
    if (near || bridges) shown.push(p);
    else if (shown[shown.length - 1] !== null) shown.push(null);
  }
  return shown;
}

// Two pagers, one above and one below the comments: each landmark gets its own name.
function Pager(props: { slug: string; conv: Conversation; where: 'top' | 'bottom'; m: Messages }) {
  const { conv, slug, m } = props;
  if (conv.pages <= 1) return null;
  return (
    <nav class="comment-pages" aria-label={m.t(props.where === 'top' ? 'comments.pagesTop' : 'comments.pagesBottom')}>
      {conv.page > 1 ? (
        <a href={`${pageHref(slug, conv.page - 1, conv.order)}#comments`} rel="prev">
          {m.t('comments.earlier')}
        </a>
      ) : null}
      <ol>
        {pageWindow(conv.page, conv.pages).map((p) => (
          <li>
            {p === null ? (
              <span class="gap">…</span>
            ) : p === conv.page ? (
              <span aria-current="page">{m.number(p)}</span>
            ) : (
              <a href={`${pageHref(slug, p, conv.order)}#comments`} aria-label={m.t('comments.pageN', { page: p })}>
                {m.number(p)}
              </a>
            )}
          </li>
        ))}
      </ol>
      {conv.page < conv.pages ? (
        <a href={`${pageHref(slug, conv.page + 1, conv.order)}#comments`} rel="next">
          {m.t('comments.next')}
        </a>
      ) : null}
    </nav>
  );
}

/** One comment and its replies (built by comment-item.ts, escaped as it is built). */
export function CommentItem(props: { node: ThreadNode<ShownComment>; ctx: ItemContext }) {
  return toJsx(commentItem(props.node, props.ctx));
}

/** The threads of a page: the hot path of a post page. Kept thread HTML goes in as it is. */
function CommentList(props: { conv: Conversation; ctx: ItemContext; parts: PageParts | undefined }) {
  const pieces = ['<ol class="comment-list">'];
  if (props.conv.threadHtml) pieces.push(...props.conv.threadHtml);
  else for (const thread of props.conv.threads) writeComment(thread, props.ctx, pieces);
  pieces.push('</ol>');
  return props.parts ? props.parts.slot(pieces) : joinedParts(pieces);
}

function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="field-error" id={props.id}>
      {props.message}
    </p>
  ) : null;
}

export function CommentForm(props: {
  slug: string;
  token: FormToken;
  form?: FormState | undefined;
  known?: KnownWriter | undefined;
  replyTo?: ShownComment | undefined;
  cancelHref: string;
  m?: Messages | undefined;
}) {
  const m = props.m ?? messagesFor('en');
  const v = props.form?.values ?? (props.known ? { ...EMPTY_FORM, ...props.known } : EMPTY_FORM);
  const e = props.form?.errors ?? {};
  const replyTo = props.replyTo;
  const described = (name: string, hint?: string) =>
    [e[name] ? `respond-${name}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <form
      data-comment-form
      id="respond"
      class="comment-form"
      method="post"
      action={`/${props.slug}/comments`}
      aria-labelledby="respond-heading"
    >
      <h3 id="respond-heading">{replyTo ? m.t('form.replyTo', { name: replyTo.author_name }) : m.t('form.leave')}</h3>
      {replyTo ? (
        <p class="replying-to">
          {withSlot(m.t('form.replyingTo', { name: SLOT }), <a href={`#comment-${replyTo.id}`}>{replyTo.author_name}</a>)} ·{' '}
          <a href={props.cancelHref}>{m.t('form.cancelReply')}</a>
        </p>
      ) : null}
      {props.form?.message ? (
        <div class="form-message" role="alert">
          <p>{props.form.message}</p>
          {Object.keys(e).length > 0 ? (
            <ul>
              {Object.entries(e).map(([field, message]) => (
                <li>
                  <a href={`#respond-${field}`}>{message}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <input type="hidden" name="parent" value={replyTo?.id ?? v.parent} />
      <input type="hidden" name="ts" value={props.token.ts} />
      <input type="hidden" name="token" value={props.token.token} />
      <div class="hp">
        <label for="respond-homepage">{m.t('form.honeypot')}</label>
        <input id="respond-homepage" name="homepage" type="text" tabindex={-1} autocomplete="off" value="" />
      </div>
      <p class="field">
        <label for="respond-body">{m.t('form.body')}</label>
        <textarea
          id="respond-body"
          name="body"
          rows={6}
          required
          aria-describedby={described('body', 'respond-body-hint')}
          aria-invalid={e.body ? 'true' : undefined}
        >
          {v.body}
        </textarea>
        <span class="hint" id="respond-body-hint">
          {m.t('form.bodyHint')}
        </span>
        <FieldError id="respond-body-error" message={e.body} />
      </p>
      <p class="field">
        <label for="respond-name">{m.t('form.name')}</label>
        <input
          id="respond-name"
          name="name"
          type="text"
          required
          maxlength={100}
          autocomplete="name"
          value={v.name}
          aria-describedby={described('name')}
          aria-invalid={e.name ? 'true' : undefined}
        />
        <FieldError id="respond-name-error" message={e.name} />
      </p>
      <p class="field">
        <label for="respond-email">{m.t('form.email')}</label>
        <input
          id="respond-email"
          name="email"
          type="email"
          required
          autocomplete="email"
          value={v.email}
          aria-describedby={described('email', 'respond-email-hint')}
          aria-invalid={e.email ? 'true' : undefined}
        />
        <span class="hint" id="respond-email-hint">
          {m.t('form.emailHint')}
        </span>
        <FieldError id="respond-email-error" message={e.email} />
      </p>
      <p class="field">
        <label for="respond-website">{m.t('form.website')}</label>
        <input
          id="respond-website"
          name="website"
          type="url"
          autocomplete="url"
          value={v.website}
          aria-describedby={described('website')}
          aria-invalid={e.website ? 'true' : undefined}
        />
        <FieldError id="respond-website-error" message={e.website} />
      </p>
      <p class="field-check">
        <input id="respond-notify" name="notify" type="checkbox" checked={v.notify} />
        <label for="respond-notify">{m.t('form.notify')}</label>
      </p>
      <p class="field-check">
        <input id="respond-private" name="private" type="checkbox" checked={v.private} />
        <label for="respond-private">{m.t('form.private')}</label>
      </p>
      <p class="form-actions">
        <button type="submit">{replyTo ? m.t('form.postReply') : m.t('form.postComment')}</button>
      </p>
    </form>
  );
}
