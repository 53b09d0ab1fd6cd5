// "Awaiting your reply": each waiting thread with how long the reader has waited, her words in their
// thread (earlier comments collapsed), a reply box, "no reply needed", and reading to share beside
// the box. Insert buttons appear only with public/admin-inbox.js; without it each link is listed
// with its address to copy.
import { countWords } from '../comments/count-cap.js';
import { editMarkOf } from '../comments/edit-mark.js';
import type { CommentRow } from '../db/tables.js';
import type { InboxEntry } from '../inbox/inbox-service.js';
import { markdownLink, programDirective } from '../inbox/reading-to-share.js';
import { waitedFor } from '../inbox/waiting.js';
import { dateTime } from '../web/format.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import { CsrfField, FormMessage } from './admin-layout.js';
import { EditedNote, OriginTag, StatusTag } from './moderation-views.js';

function Words(props: { comments: CommentRow[]; editors: ReadonlyMap<string, string> }) {
  return (
    <ol class="ib-thread">
      {props.comments.map((c) => (
        <li class={c.staff_user_id ? 'ib-comment ib-staff' : 'ib-comment'} id={`ib-comment-${c.id}`}>
          <p class="mq-meta">
            <strong>{c.author_name}</strong>
            {c.staff_user_id ? <span class="ws-tag">Staff</span> : null} ·{' '}
            <time datetime={new Date(c.created_at).toISOString()}>{dateTime(c.created_at)}</time> <StatusTag comment={c} />{' '}
            <OriginTag comment={c} /> <EditedNote edit={editMarkOf(c, props.editors)} />
          </p>
          <div class="mq-body">{sanitizedHtml(c.html)}</div>
        </li>
      ))}
    </ol>
  );
}

function ReadingToShare(props: { entry: InboxEntry; baseUrl: string; target: string; headingId: string }) {
  const { suggestions, programs } = props.entry;
  if (suggestions.length === 0 && programs.length === 0) return null;
  const url = (slug: string) => `${props.baseUrl}/${slug}/`;
  return (
    <aside class="ib-share" aria-labelledby={props.headingId}>
      <h3 id={props.headingId}>Reading to share</h3>
      <ul class="ib-share-list">
        {suggestions.map((p) => (
          <li>
            <a href={url(p.slug)}>{p.title}</a>
            <code class="ib-url">{url(p.slug)}</code>
            <button
              type="button"
              class="secondary ib-insert"
              data-insert={markdownLink(p.title, url(p.slug))}
              data-target={props.target}
              hidden
            >
              Insert link<span class="visually-hidden"> to {p.title}</span>
            </button>
          </li>
        ))}
        {programs.map((p) => (
          <li class="ib-program">
            <span class="ws-tag">Program</span> <a href={url(p.slug)}>{p.title}</a>
            <code class="ib-url">{programDirective(p.slug)}</code>
            <button
              type="button"
              class="secondary ib-insert"
              data-insert={programDirective(p.slug)}
              data-block="true"
              data-target={props.target}
              hidden
            >
              Insert program card<span class="visually-hidden"> for {p.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}

export function InboxEntryView(props: { entry: InboxEntry; csrf: string; now: number; baseUrl: string }) {
  const { entry } = props;
  const { item, replyTo } = entry;
  const root = replyTo.root_id;
  const textId = `ib-reply-${root}`;
  const privateThread = replyTo.visibility === 'private';
  // A first-time reader's question waits while it is held: answering it publishes both.
  const held = replyTo.status === 'pending';
  return (
    <li class="ib-entry" id={`ib-${root}`} data-root={root}>
      <article aria-labelledby={`ib-title-${root}`}>
        <h2 id={`ib-title-${root}`} class="ib-title">
          {item.comment.comment.author_name} on <a href={`/${item.post.slug}/`}>{item.post.title}</a>
        </h2>
        <p class="ib-wait">
          <strong>Waiting {waitedFor(item.waitingSince, props.now)}</strong> (since{' '}
          <time datetime={new Date(item.waitingSince).toISOString()}>{dateTime(item.waitingSince)}</time>)
        </p>
        {entry.earlier.length > 0 ? (
          <details class="ib-earlier">
            <summary>Earlier in this thread ({entry.earlier.length})</summary>
            <Words comments={entry.earlier} editors={entry.editors} />
          </details>
        ) : null}
        <Words comments={entry.waiting} editors={entry.editors} />
        <div class="ib-answer">
          <form method="post" action={`/admin/comments/${replyTo.id}/reply`} class="ws-form ib-reply" data-reply-form>
            <CsrfField token={props.csrf} />
            <input type="hidden" name="back" value="/admin/inbox" />
            <div class="ws-field">
              <label for={textId}>Your reply to {replyTo.author_name}</label>
              <p class="ws-hint" id={`${textId}-hint`}>
                {held ? `${replyTo.author_name} writes here for the first time and is held for you: replying approves her comment. ` : ''}
                {privateThread
                  ? `Private: only ${replyTo.author_name} and the post’s author see it.`
                  : 'Published at once, with your Author badge.'}
              </p>
              <textarea id={textId} name="markdown" rows={5} aria-describedby={`${textId}-hint`} />
            </div>
            <p>
              <button type="submit">{held ? 'Approve and reply' : 'Publish reply'}</button>
            </p>
          </form>
          <ReadingToShare entry={entry} baseUrl={props.baseUrl} target={textId} headingId={`ib-share-${root}`} />
        </div>
        <form method="post" action={`/admin/inbox/${replyTo.id}/dismiss`} class="ib-dismiss">
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            No reply needed<span class="visually-hidden"> for {replyTo.author_name}</span>
          </button>
        </form>
      </article>
    </li>
  );
}

export function InboxPage(props: {
  entries: InboxEntry[];
  total: number;
  next: string | null;
  csrf: string;
  now: number;
  baseUrl: string;
  digest: boolean;
  notice?: string | undefined;
}) {
  return (
    <>
      <h1>Awaiting your reply</h1>
      <FormMessage kind="notice" message={props.notice} />
      {props.entries.length === 0 ? (
        <p class="ib-empty">Nobody is waiting for your reply.</p>
      ) : (
        <>
          <p class="ws-count">
            {props.total === 1 ? '1 reader is' : `${countWords(props.total)} readers are`} waiting, the longest wait first.
          </p>
          <ol class="ib-list">
            {props.entries.map((entry) => (
              <InboxEntryView entry={entry} csrf={props.csrf} now={props.now} baseUrl={props.baseUrl} />
            ))}
          </ol>
        </>
      )}
      {props.next ? (
        <p>
          <a href={`/admin/inbox?after=${props.next}`}>More waiting readers</a>
        </p>
      ) : null}
      <section class="ws-section" aria-labelledby="digest-title">
        <h2 id="digest-title">Daily digest</h2>
        <form method="post" action="/admin/inbox/digest" class="ws-form">
          <CsrfField token={props.csrf} />
          <p class="ws-check">
            <input type="checkbox" id="digest" name="digest" value="on" checked={props.digest} />
            <label for="digest">Email me once a day the threads still awaiting my reply</label>
          </p>
          <p>
            <button type="submit" class="secondary">
              Save
            </button>
          </p>
        </form>
      </section>
    </>
  );
}
