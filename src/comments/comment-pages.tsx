// Whole pages of the conversation that stand apart from the post: the choice offered when a reader
// answers her own comment, the "too long" page, and the writer's own view through a signed link.

import type { CommentRow } from '../db/tables.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { Layout } from '../web/layout.js';
import type { FullShownComment, ShownComment } from './comment-service.js';
import { CommentItem, type FormValues } from './comment-views.js';
import type { FormToken } from './signing.js';
import type { ThreadNode } from './thread.js';

interface PostRef {
  slug: string;
  title: string;
}

function Hidden(props: { values: FormValues; token: FormToken }) {
  const v = props.values;
  return (
    <>
      <input type="hidden" name="ts" value={props.token.ts} />
      <input type="hidden" name="token" value={props.token.token} />
      <input type="hidden" name="name" value={v.name} />
      <input type="hidden" name="email" value={v.email} />
      <input type="hidden" name="website" value={v.website} />
      <input type="hidden" name="parent" value={v.parent} />
      {v.notify ? <input type="hidden" name="notify" value="on" /> : null}
      {v.private ? <input type="hidden" name="private" value="on" /> : null}
    </>
  );
}

/** She answered her own comment while she could still edit it: add to it, or post a reply? */
export function SelfReplyChoicePage(props: {
  site: SiteSettings;
  post: PostRef;
  original: CommentRow;
  values: FormValues;
  token: FormToken;
}) {
  const { post, original, values } = props;
  return (
    <Layout site={props.site} meta={{ title: 'Add to your comment?', noindex: true }}>
      <h1>Add this to your comment?</h1>
      <p>
        You are answering your own comment on <a href={`/${post.slug}/#comment-${original.id}`}>{post.title}</a>, which you can still edit.
        You can add your new words to it, or post them as a separate reply.
      </p>
      <div class="choice-original">
        <h2>Your comment</h2>
        <blockquote>{original.markdown}</blockquote>
      </div>
      <form class="choice" method="post" action={`/${post.slug}/comments/${original.id}/edit`}>
        <input type="hidden" name="ts" value={props.token.ts} />
        <input type="hidden" name="token" value={props.token.token} />
        <input type="hidden" name="append" value="on" />
        <label for="choice-body">Your new words</label>
        <textarea id="choice-body" name="body" rows={5}>
          {values.body}
        </textarea>
        <p class="form-actions">
          <button type="submit">Add to my comment</button>
        </p>
      </form>
      <form class="choice" method="post" action={`/${post.slug}/comments`}>
        <Hidden values={values} token={props.token} />
        <input type="hidden" name="body" value={values.body} />
        <input type="hidden" name="choice" value="reply" />
        <p class="form-actions">
          <button type="submit">Post it as a reply instead</button>
        </p>
      </form>
    </Layout>
  );
}

/** Too long to take: says so, keeps every word, and lets her shorten it here. */
export function TooLongPage(props: {
  site: SiteSettings;
  post: PostRef;
  message: string;
  values: FormValues;
  token: FormToken;
  maxChars: number;
}) {
  const { post, values } = props;
  return (
    <Layout site={props.site} meta={{ title: 'Your comment is too long', noindex: true }}>
      <h1>Your comment is too long</h1>
      <p role="alert">{props.message}</p>
      <p>
        Shorten it below and send it again, or go back with your browser's Back button: your text is still there. The post is at{' '}
        <a href={`/${post.slug}/#respond`}>{post.title}</a>.
      </p>
      <form data-comment-form class="comment-form" method="post" action={`/${post.slug}/comments`}>
        <Hidden values={values} token={props.token} />
        <p class="field">
          <label for="too-long-body">Your comment</label>
          <textarea id="too-long-body" name="body" rows={12} aria-describedby="too-long-hint">
            {values.body}
          </textarea>
          <span class="hint" id="too-long-hint">
            At most {props.maxChars.toLocaleString('en-US')} characters.
          </span>
        </p>
        <div class="hp">
          <label for="too-long-homepage">Leave this field empty</label>
          <input id="too-long-homepage" name="homepage" type="text" tabindex={-1} autocomplete="off" value="" />
        </div>
        <p class="form-actions">
          <button type="submit">Send it again</button>
        </p>
      </form>
    </Layout>
  );
}

/** Her held or private comment and its answers, reached through the signed link in her email. */
export function WriterViewPage(props: {
  site: SiteSettings;
  post: PostRef;
  threads: ThreadNode<ShownComment>[];
  token: FormToken;
  consentHref: string | null;
}) {
  const ctx = {
    slug: props.post.slug,
    own: { here: () => `/${props.post.slug}/`, token: props.token, editId: undefined, editBody: undefined },
  };
  return (
    <Layout site={props.site} meta={{ title: `Your comment on ${props.post.title}`, noindex: true }}>
      <h1>Your comment</h1>
      <p>
        On <a href={`/${props.post.slug}/`}>{props.post.title}</a>.
      </p>
      <ol class="comment-list">
        {props.threads.map((node) => (
          <CommentItem node={node} ctx={ctx} />
        ))}
      </ol>
      {props.consentHref ? (
        <p>
          <a href={props.consentHref}>Let the author publish this conversation without your name</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** The writer's consent to publishing her private question without her name. */
export function ConsentPage(props: { site: SiteSettings; post: PostRef; comment: FullShownComment; key: string; done: boolean }) {
  const { post, comment } = props;
  return (
    <Layout site={props.site} meta={{ title: 'Publish your question without your name?', noindex: true }}>
      {props.done ? (
        <>
          <h1>Thank you</h1>
          <p>
            Your question is now public, signed "A reader". <a href={`/${post.slug}/comments/${comment.id}`}>See it on the page</a>.
          </p>
        </>
      ) : (
        <>
          <h1>Publish your question without your name?</h1>
          <p>
            The author of <a href={`/${post.slug}/`}>{post.title}</a> would like to share your private question and her answer with other
            readers. Your name, email and website will not be shown: it will be signed "A reader".
          </p>
          <blockquote>{comment.markdown}</blockquote>
          <form method="post" action={`/${post.slug}/comments/${comment.id}/consent`}>
            <input type="hidden" name="key" value={props.key} />
            <button type="submit">Yes, publish it without my name</button>
          </form>
          <p>If you would rather keep it private, there is nothing to do: it stays between you and the author.</p>
        </>
      )}
    </Layout>
  );
}
