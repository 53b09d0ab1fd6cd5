// A staff reply that could not be sent (empty): the comment it answers and the reply box again,
// the words kept. Shared by the queue and the inbox, which both answer through the same route.
import type { CommentRow } from '../db/tables.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import { FormMessage } from './admin-layout.js';
import { ReplyBox } from './moderation-views.js';

export function ReplyPage(props: { comment: CommentRow; csrf: string; back: string; value: string; error?: string | undefined }) {
  const c = props.comment;
  return (
    <>
      <h1>Reply to {c.author_name}</h1>
      <FormMessage message="Your reply could not be published yet." />
      <div class="mq-body">{sanitizedHtml(c.html)}</div>
      <ReplyBox id={c.id} name={c.author_name} csrf={props.csrf} back={props.back} open value={props.value} error={props.error} />
      <p>
        <a href={props.back}>Back</a>
      </p>
    </>
  );
}
