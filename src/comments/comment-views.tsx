// The conversation under a post, with the HTML hooks of CONTRACT.md.

import { dateTime, isoTime, plural } from '../web/format.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import type { ShownComment } from './comment-service.js';
import type { ThreadNode } from './thread.js';

const ROLE_BADGE = { owner: 'Author', author: 'Author', moderator: 'Moderator' } as const;

export function CommentThread(props: { count: number; thread: ThreadNode<ShownComment>[] }) {
  return (
    <section id="comments" class="comments" aria-labelledby="comments-heading" data-comment-count={props.count}>
      <h2 id="comments-heading">{props.count === 0 ? 'No comments yet' : plural(props.count, 'comment', 'comments')}</h2>
      <ol class="comment-list">
        {props.thread.map((node) => (
          <CommentItem node={node} />
        ))}
      </ol>
    </section>
  );
}

function CommentItem(props: { node: ThreadNode<ShownComment> }) {
  const { comment, replies, answers } = props.node;
  const role = comment.author_role;
  return (
    <li id={`comment-${comment.id}`} class={role ? 'comment comment-staff' : 'comment'} data-author-role={role ?? undefined}>
      <article>
        <header class="comment-meta">
          <span class="comment-author">
            {comment.author_url ? (
              <a href={comment.author_url} rel="ugc nofollow noopener">
                {comment.author_name}
              </a>
            ) : (
              comment.author_name
            )}
          </span>
          {role ? <span class="badge">{ROLE_BADGE[role]}</span> : null}
          {answers ? (
            <span class="in-reply-to">
              replying to <a href={`#comment-${answers.id}`}>{answers.author_name}</a>
            </span>
          ) : null}
          <a class="comment-permalink" href={`#comment-${comment.id}`}>
            <time datetime={isoTime(comment.created_at)}>{dateTime(comment.created_at)}</time>
          </a>
          {comment.edited_at ? <span class="edited">edited</span> : null}
        </header>
        <div class="comment-body">{sanitizedHtml(comment.html)}</div>
      </article>
      {replies.length > 0 ? (
        <ol class="comment-replies">
          {replies.map((child) => (
            <CommentItem node={child} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}
