// The moderation queue and a commenter's page. Every action is a plain form (CSRF, redirect back),
// so all of it works without scripts; public/admin-moderation.js adds the keys and inline actions.
import type { Child } from 'hono/jsx';
import type { Staff } from '../accounts/accounts-service.js';
import { transition } from '../comments/comment-states.js';
import { countWords } from '../comments/count-cap.js';
import type { EditMark } from '../comments/edit-mark.js';
import type { CommentRow } from '../db/tables.js';
import { dateTime } from '../web/format.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import { CsrfField, FormMessage } from './admin-layout.js';
import type { Commenter, QueueItem } from './moderation-service.js';
import type { QueueTab } from './moderation-store.js';

export const TAB_LABELS: Record<QueueTab, string> = {
  pending: 'Pending',
  private: 'Private',
  spam: 'Spam',
  trash: 'Trash',
  all: 'All',
};

const ROLE_BADGE = { owner: 'Author', author: 'Author', moderator: 'Moderator' } as const;
const ACTIONS = [
  { action: 'approve', label: 'Approve', key: 'a' },
  { action: 'spam', label: 'Spam', key: 's' },
  { action: 'trash', label: 'Trash', key: 't' },
  { action: 'restore', label: 'Restore', key: '' },
] as const;

/** The first words of a comment, for the context line of its answer. */
export function excerptOf(markdown: string, max = 160): string {
  const plain = markdown.replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

export function StatusTag(props: { comment: Pick<CommentRow, 'status' | 'visibility'> }) {
  const { status, visibility } = props.comment;
  return (
    <>
      {status !== 'published' ? <span class={`ws-tag ws-tag-${status}`}>{status === 'pending' ? 'Held' : status}</span> : null}
      {visibility === 'private' ? <span class="ws-tag ws-tag-private">Private</span> : null}
    </>
  );
}

const ORIGIN_TAG = { email: 'By email', fediverse: 'Fediverse', web: 'Web' } as const;

/** Where the words came from when not this site; linked to their place elsewhere when they have one. */
export function OriginTag(props: { comment: Pick<CommentRow, 'origin' | 'origin_url'> }) {
  const { origin, origin_url: url } = props.comment;
  if (!origin || origin === 'site') return null;
  const label = ORIGIN_TAG[origin];
  const linked = url && /^https?:\/\//i.test(url);
  return (
    <span class={`ws-tag ws-tag-origin ws-tag-${origin}`}>
      {linked ? (
        <a href={url} rel="nofollow noopener">
          {label}
        </a>
      ) : (
        label
      )}
    </span>
  );
}

/** Who last changed the words and when: staff always see it, whoever wrote the comment. */
export function EditedNote(props: { edit: EditMark | null }) {
  const { edit } = props;
  if (!edit) return null;
  return (
    <span class="ws-edited">
      {edit.by ? `edited by ${edit.by}` : 'edited'} <time datetime={new Date(edit.at).toISOString()}>{dateTime(edit.at)}</time>
    </span>
  );
}

/** One comment in the queue: who, where, what it answers, the words, and what can be done. */
export function QueueEntry(props: { item: QueueItem; csrf: string; back: string; selectable: boolean }) {
  const { comment: sc, parent, post } = props.item;
  const c = sc.comment;
  const who = c.staff_user_id ? c.author_name : <a href={`/admin/commenters/${c.id}`}>{c.author_name}</a>;
  return (
    <li class="mq-item" id={`mq-${c.id}`} data-comment-id={c.id} data-status={c.status} tabindex={-1}>
      {props.selectable ? (
        <p class="mq-select">
          <input type="checkbox" name="ids" value={c.id} id={`select-${c.id}`} form="mq-bulk" />
          <label for={`select-${c.id}`}>
            Select<span class="visually-hidden"> the comment by {c.author_name}</span>
          </label>
        </p>
      ) : null}
      <p class="mq-meta">
        <strong>{who}</strong>
        {sc.role ? <span class="ws-tag">{ROLE_BADGE[sc.role]}</span> : <span class="ws-hint"> {c.author_email}</span>} on{' '}
        <a href={`/${post.slug}/#comment-${c.id}`}>{post.title}</a> ·{' '}
        <time datetime={new Date(c.created_at).toISOString()}>{dateTime(c.created_at)}</time> <StatusTag comment={c} />{' '}
        <OriginTag comment={c} /> <EditedNote edit={sc.edit} />
      </p>
      {parent ? (
        <blockquote class="mq-context">
          <p>
            In reply to <strong>{parent.author_name}</strong>: {excerptOf(parent.markdown)}
          </p>
        </blockquote>
      ) : null}
      <div class="mq-body">{sanitizedHtml(c.html)}</div>
      <div class="ws-actions mq-actions">
        {ACTIONS.filter((a) => transition(c.status, a.action).kind === 'move').map((a) => (
          <form method="post" action={`/admin/comments/${c.id}/${a.action}`} data-action={a.action}>
            <CsrfField token={props.csrf} />
            <input type="hidden" name="back" value={props.back} />
            <button type="submit" class={a.action === 'approve' || a.action === 'restore' ? '' : 'secondary'}>
              {a.label}
              <span class="visually-hidden"> the comment by {c.author_name}</span>
            </button>
          </form>
        ))}
        {props.item.editable ? (
          <a href={`/admin/comments/${c.id}/edit?back=${encodeURIComponent(props.back)}`}>
            Edit<span class="visually-hidden"> the comment by {c.author_name}</span>
          </a>
        ) : null}
      </div>
      {c.status === 'spam' || c.status === 'trash' ? null : <ReplyBox id={c.id} name={c.author_name} csrf={props.csrf} back={props.back} />}
    </li>
  );
}

export function ReplyBox(props: {
  id: string;
  name: string;
  csrf: string;
  back: string;
  open?: boolean;
  value?: string;
  error?: string | undefined;
}) {
  const field = `reply-${props.id}`;
  return (
    <details class="mq-reply" open={props.open}>
      <summary>Reply to {props.name}</summary>
      <form method="post" action={`/admin/comments/${props.id}/reply`} class="ws-form" data-reply-form>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="back" value={props.back} />
        <div class={props.error ? 'ws-field ws-invalid' : 'ws-field'}>
          <label for={field}>Your reply (Markdown)</label>
          <textarea id={field} name="markdown" rows={4} aria-describedby={props.error ? `${field}-error` : undefined}>
            {props.value ?? ''}
          </textarea>
          {props.error ? (
            <p class="ws-field-error" id={`${field}-error`}>
              {props.error}
            </p>
          ) : null}
        </div>
        <p>
          <button type="submit">Publish reply</button>
        </p>
      </form>
    </details>
  );
}

export function QueueTabs(props: { tab: QueueTab; tabs: readonly QueueTab[] }) {
  return (
    <nav class="ws-subnav" aria-label="Comment states">
      <ul>
        {props.tabs.map((t) => (
          <li>
            <a href={`/admin/comments?tab=${t}`} aria-current={t === props.tab ? 'page' : undefined}>
              {TAB_LABELS[t]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function BulkForm(props: { csrf: string; back: string }) {
  return (
    <form id="mq-bulk" method="post" action="/admin/comments/bulk" class="ws-inline-form mq-bulk">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="back" value={props.back} />
      <label for="bulk-action">With the selected comments</label>
      <select id="bulk-action" name="action">
        <option value="approve">Approve</option>
        <option value="spam">Mark as spam</option>
        <option value="trash">Move to the trash</option>
        <option value="restore">Restore</option>
      </select>
      <button type="submit" class="secondary">
        Apply
      </button>
    </form>
  );
}

export function QueuePage(props: {
  tab: QueueTab;
  tabs: readonly QueueTab[];
  items: QueueItem[];
  total: number;
  next: string | null;
  csrf: string;
  back: string;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      <h1>Comments</h1>
      <QueueTabs tab={props.tab} tabs={props.tabs} />
      <FormMessage kind="notice" message={props.notice} />
      <FormMessage message={props.error} />
      <p class="ws-hint mq-help" id="mq-help">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>a</kbd> approve, <kbd>s</kbd> spam, <kbd>t</kbd> trash, <kbd>r</kbd> reply,{' '}
        <kbd>x</kbd> select.
      </p>
      <p class="ws-count" aria-live="polite" id="mq-status">
        {props.total === 1 ? '1 comment' : `${countWords(props.total)} comments`} in {TAB_LABELS[props.tab].toLowerCase()}.
      </p>
      {props.items.length === 0 ? (
        <p>Nothing here.</p>
      ) : (
        <>
          <BulkForm csrf={props.csrf} back={props.back} />
          <ol class="mq-list" data-moderation-queue data-tab={props.tab} aria-describedby="mq-help">
            {props.items.map((item) => (
              <QueueEntry item={item} csrf={props.csrf} back={props.back} selectable />
            ))}
          </ol>
        </>
      )}
      {props.next ? (
        <p>
          <a href={`/admin/comments?tab=${props.tab}&before=${props.next}`}>Older comments</a>
        </p>
      ) : null}
    </>
  );
}

const MARK_TEXT = {
  trusted: 'Trusted: her comments are never held.',
  blocked: 'Blocked: her comments go to spam.',
  none: 'Her comments follow the site’s hold rules.',
} as const;

export function CommenterPage(props: {
  commenter: Commenter;
  commentId: string;
  me: Staff;
  canBlock: boolean;
  csrf: string;
  notice?: string | undefined;
}) {
  const { commenter: who } = props;
  const back = `/admin/commenters/${props.commentId}`;
  const markForm = (mark: 'trusted' | 'blocked' | 'none', label: Child, kind = 'secondary') => (
    <form method="post" action={`${back}/mark`}>
      <CsrfField token={props.csrf} />
      <input type="hidden" name="mark" value={mark} />
      <button type="submit" class={kind}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      <h1>{who.name}</h1>
      <FormMessage kind="notice" message={props.notice} />
      <p>
        {who.email} · {who.items.length === 1 ? '1 comment' : `${who.items.length} comments`} you can see.
      </p>
      <p id="commenter-mark">{MARK_TEXT[who.mark]}</p>
      <div class="ws-actions">
        {who.mark !== 'trusted' && !(who.mark === 'blocked' && !props.canBlock)
          ? markForm('trusted', 'Trust: never hold her again', '')
          : null}
        {who.mark !== 'blocked' && props.canBlock ? markForm('blocked', 'Block: her comments go to spam', 'danger') : null}
        {who.mark !== 'none' && (who.mark !== 'blocked' || props.canBlock) ? markForm('none', 'Clear the mark') : null}
      </div>
      <h2>Her comments</h2>
      <ol class="mq-list" data-moderation-queue data-tab="all">
        {who.items.map((item) => (
          <QueueEntry item={item} csrf={props.csrf} back={back} selectable={false} />
        ))}
      </ol>
    </>
  );
}

export function EditPage(props: { comment: CommentRow; csrf: string; back: string; value: string; error?: string | undefined }) {
  const c = props.comment;
  return (
    <>
      <h1>Edit the comment by {c.author_name}</h1>
      <FormMessage message={props.error ? 'Some fields need attention.' : undefined} />
      <form method="post" action={`/admin/comments/${c.id}/edit`} class="ws-form">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="back" value={props.back} />
        <div class={props.error ? 'ws-field ws-invalid' : 'ws-field'}>
          <label for="edit-markdown">Text (Markdown)</label>
          <textarea
            id="edit-markdown"
            name="markdown"
            rows={10}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? 'edit-markdown-error' : undefined}
          >
            {props.value}
          </textarea>
          {props.error ? (
            <p class="ws-field-error" id="edit-markdown-error">
              {props.error}
            </p>
          ) : null}
        </div>
        <p class="ws-actions">
          <button type="submit">Save changes</button>
          <a href={props.back}>Cancel</a>
        </p>
      </form>
    </>
  );
}
