// Whole pages of the conversation that stand apart from the post: the choice offered when a reader
// answers her own comment, the "too long" page, and the writer's own view through a signed link.

import type { CommentRow } from '../db/tables.js';
import { type Messages, messagesFor } from '../i18n/messages.js';
import { SLOT, withSlot } from '../i18n/slots.js';
import { postLocale } from '../posts/post-views.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { Layout } from '../web/layout.js';
import type { FullShownComment, ShownComment } from './comment-service.js';
import { CommentItem, type FormValues } from './comment-views.js';
import type { FormToken } from './signing.js';
import type { ThreadNode } from './thread.js';

interface PostRef {
  slug: string;
  title: string;
  /** The post's own language, if it has one: these pages speak the conversation's language. */
  language?: string | null;
}

const wordsFor = (site: SiteSettings, post: PostRef): Messages => messagesFor(postLocale(post, site));

/** A message with a link to the post in it (`{post}`), the translation deciding where it goes. */
const linkedPost = (m: Messages, key: Parameters<Messages['t']>[0], href: string, title: string) =>
  withSlot(m.t(key, { post: SLOT }), <a href={href}>{title}</a>);

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
  const m = wordsFor(props.site, post);
  return (
    <Layout site={props.site} meta={{ title: m.t('pages.choiceTitle'), noindex: true, locale: m.locale }}>
      <h1>{m.t('pages.choiceHeading')}</h1>
      <p>{linkedPost(m, 'pages.choiceText', `/${post.slug}/#comment-${original.id}`, post.title)}</p>
      <div class="choice-original">
        <h2>{m.t('pages.yourComment')}</h2>
        <blockquote>{original.markdown}</blockquote>
      </div>
      <form class="choice" method="post" action={`/${post.slug}/comments/${original.id}/edit`}>
        <input type="hidden" name="ts" value={props.token.ts} />
        <input type="hidden" name="token" value={props.token.token} />
        <input type="hidden" name="append" value="on" />
        <label for="choice-body">{m.t('pages.newWords')}</label>
        <textarea id="choice-body" name="body" rows={5}>
          {values.body}
        </textarea>
        <p class="form-actions">
          <button type="submit">{m.t('form.addToComment')}</button>
        </p>
      </form>
      <form class="choice" method="post" action={`/${post.slug}/comments`}>
        <Hidden values={values} token={props.token} />
        <input type="hidden" name="body" value={values.body} />
        <input type="hidden" name="choice" value="reply" />
        <p class="form-actions">
          <button type="submit">{m.t('pages.asReply')}</button>
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
  const m = wordsFor(props.site, post);
  return (
    <Layout site={props.site} meta={{ title: m.t('pages.tooLongTitle'), noindex: true, locale: m.locale }}>
      <h1>{m.t('pages.tooLongTitle')}</h1>
      <p role="alert">{props.message}</p>
      <p>{linkedPost(m, 'pages.tooLongText', `/${post.slug}/#respond`, post.title)}</p>
      <form data-comment-form class="comment-form" method="post" action={`/${post.slug}/comments`}>
        <Hidden values={values} token={props.token} />
        <p class="field">
          <label for="too-long-body">{m.t('form.body')}</label>
          <textarea id="too-long-body" name="body" rows={12} aria-describedby="too-long-hint">
            {values.body}
          </textarea>
          <span class="hint" id="too-long-hint">
            {m.t('pages.tooLongLimit', { max: props.maxChars })}
          </span>
        </p>
        <div class="hp">
          <label for="too-long-homepage">{m.t('form.honeypot')}</label>
          <input id="too-long-homepage" name="homepage" type="text" tabindex={-1} autocomplete="off" value="" />
        </div>
        <p class="form-actions">
          <button type="submit">{m.t('pages.sendAgain')}</button>
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
  const m = wordsFor(props.site, props.post);
  const ctx = {
    slug: props.post.slug,
    own: { here: () => `/${props.post.slug}/`, token: props.token, editId: undefined, editBody: undefined },
    m,
  };
  return (
    <Layout site={props.site} meta={{ title: m.t('pages.writerTitle', { title: props.post.title }), noindex: true, locale: m.locale }}>
      <h1>{m.t('pages.yourComment')}</h1>
      <p>{linkedPost(m, 'pages.writerOn', `/${props.post.slug}/`, props.post.title)}</p>
      <ol class="comment-list">
        {props.threads.map((node) => (
          <CommentItem node={node} ctx={ctx} />
        ))}
      </ol>
      {props.consentHref ? (
        <p>
          <a href={props.consentHref}>{m.t('pages.consentLink')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** The writer's consent to publishing her private question without her name. */
export function ConsentPage(props: { site: SiteSettings; post: PostRef; comment: FullShownComment; key: string; done: boolean }) {
  const { post, comment } = props;
  const m = wordsFor(props.site, post);
  return (
    <Layout site={props.site} meta={{ title: m.t('pages.consentTitle'), noindex: true, locale: m.locale }}>
      {props.done ? (
        <>
          <h1>{m.t('pages.consentThanks')}</h1>
          <p>
            {withSlot(
              m.t('pages.consentDone', { link: SLOT }),
              <a href={`/${post.slug}/comments/${comment.id}`}>{m.t('pages.consentSee')}</a>,
            )}
          </p>
        </>
      ) : (
        <>
          <h1>{m.t('pages.consentTitle')}</h1>
          <p>{linkedPost(m, 'pages.consentText', `/${post.slug}/`, post.title)}</p>
          <blockquote>{comment.markdown}</blockquote>
          <form method="post" action={`/${post.slug}/comments/${comment.id}/consent`}>
            <input type="hidden" name="key" value={props.key} />
            <button type="submit">{m.t('pages.consentYes')}</button>
          </form>
          <p>{m.t('pages.consentNo')}</p>
        </>
      )}
    </Layout>
  );
}
