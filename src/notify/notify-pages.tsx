// Pages readers reach from emails and forms: subscribe, confirm, unsubscribe, and their own data.
// Every action is a plain form; a link in an email only ever shows a page with a button, so mail
// scanners that open links change nothing.
import { type Messages, messagesFor } from '../i18n/messages.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { Layout } from '../web/layout.js';
import { SubscribeForm } from './subscribe-form.js';

type Site = { site: SiteSettings };

function Simple(props: Site & { title: string; children?: unknown }) {
  return (
    <Layout site={props.site} meta={{ title: props.title }}>
      <article class="notice-page">
        <h1>{props.title}</h1>
        {props.children as never}
      </article>
    </Layout>
  );
}

export function SubscribePage(props: Site & { sent?: boolean; email?: string; error?: string | undefined }) {
  const m = messagesFor(props.site.language);
  if (props.sent) {
    return (
      <Simple site={props.site} title={m.t('subscribe.sentTitle')}>
        <p>{m.t('subscribe.sentText')}</p>
      </Simple>
    );
  }
  return (
    <Simple site={props.site} title={m.t('subscribe.title')}>
      <p>{m.t('subscribe.intro', { site: props.site.title })}</p>
      <SubscribeForm m={m} email={props.email ?? ''} error={props.error} />
    </Simple>
  );
}

/** What a subscription brings, in words that fit in the pages' sentences. */
const scopeLabel = (m: Messages, scope: string) =>
  m.t(
    scope === 'newsletter'
      ? 'notice.scopeNewsletter'
      : scope.startsWith('thread:')
        ? 'notice.scopeThread'
        : scope === '*'
          ? 'notice.scopeAll'
          : 'notice.scopeOther',
  );

export function ConfirmPage(props: Site & { token: string; scope: string }) {
  const m = messagesFor(props.site.language);
  return (
    <Simple site={props.site} title={m.t('notice.confirmTitle')}>
      <p>{m.t('notice.confirmText', { what: scopeLabel(m, props.scope) })}</p>
      <form method="post" action="/subscribe/confirm">
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{m.t('notice.confirmButton')}</button>
      </form>
    </Simple>
  );
}

export function ConfirmedPage(props: Site & { scope: string }) {
  const m = messagesFor(props.site.language);
  return (
    <Simple site={props.site} title={m.t('notice.confirmedTitle')}>
      <p>{m.t('notice.confirmedText', { what: scopeLabel(m, props.scope) })}</p>
      <p>
        <a href="/">{m.t('notice.back', { site: props.site.title })}</a>
      </p>
    </Simple>
  );
}

export function UnsubscribePage(props: Site & { token: string; scope: string }) {
  const m = messagesFor(props.site.language);
  return (
    <Simple site={props.site} title={m.t('notice.unsubscribeTitle')}>
      <p>{m.t('notice.unsubscribeText', { what: scopeLabel(m, props.scope) })}</p>
      <form method="post" action={`/unsubscribe?token=${encodeURIComponent(props.token)}`}>
        <button type="submit">{m.t('notice.unsubscribeButton')}</button>
      </form>
    </Simple>
  );
}

export function UnsubscribedPage(props: Site & { scope: string; allToken?: string | undefined }) {
  const m = messagesFor(props.site.language);
  return (
    <Simple site={props.site} title={m.t('notice.unsubscribedTitle')}>
      <p>{m.t('notice.unsubscribedText', { what: scopeLabel(m, props.scope) })}</p>
      {props.allToken ? (
        <form method="post" action={`/unsubscribe?token=${encodeURIComponent(props.allToken)}`}>
          <button type="submit">{m.t('notice.stopAll')}</button>
        </form>
      ) : null}
    </Simple>
  );
}

export function MyDataPage(props: Site & { sent?: boolean; email?: string; error?: string | undefined }) {
  const m = messagesFor(props.site.language);
  if (props.sent) {
    return (
      <Simple site={props.site} title={m.t('subscribe.sentTitle')}>
        <p>{m.t('data.sentText')}</p>
      </Simple>
    );
  }
  return (
    <Simple site={props.site} title={m.t('data.title')}>
      <p>{m.t('data.intro')}</p>
      <form method="post" action="/my-data">
        <p class="field">
          <label for="my-data-email">{m.t('subscribe.email')}</label>
          <input
            id="my-data-email"
            name="email"
            type="email"
            required
            autocomplete="email"
            value={props.email ?? ''}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? 'my-data-error' : undefined}
          />
          {props.error ? (
            <span class="error" id="my-data-error">
              {props.error}
            </span>
          ) : null}
        </p>
        <div class="hp">
          <label for="my-data-website">{m.t('form.honeypot')}</label>
          <input id="my-data-website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
        </div>
        <p>
          <button type="submit">{m.t('data.sendLink')}</button>
        </p>
      </form>
    </Simple>
  );
}

export function ManageDataPage(props: Site & { token: string; count: number }) {
  const m = messagesFor(props.site.language);
  const t = encodeURIComponent(props.token);
  return (
    <Simple site={props.site} title={m.t('data.title')}>
      <p>{m.t('data.count', { count: props.count })}</p>
      <h2>{m.t('data.download')}</h2>
      <form method="get" action="/my-data/export">
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{m.t('data.downloadButton')}</button>
      </form>
      <h2>{m.t('data.erase')}</h2>
      <form method="post" action={`/my-data/erase?token=${t}`}>
        <fieldset>
          <legend>{m.t('data.eraseQuestion')}</legend>
          <p>
            <input type="radio" id="erase-anonymize" name="mode" value="anonymize" checked />
            <label for="erase-anonymize">{m.t('data.keep')}</label>
          </p>
          <p>
            <input type="radio" id="erase-remove" name="mode" value="remove" />
            <label for="erase-remove">{m.t('data.remove')}</label>
          </p>
        </fieldset>
        <p>
          <button type="submit">{m.t('data.eraseButton')}</button>
        </p>
      </form>
    </Simple>
  );
}

export function ErasedPage(props: Site & { mode: 'anonymize' | 'remove'; count: number }) {
  const m = messagesFor(props.site.language);
  return (
    <Simple site={props.site} title={m.t('data.doneTitle')}>
      <p>
        {m.t(props.mode === 'remove' ? 'data.removed' : 'data.anonymized', { count: props.count })} {m.t('data.subscriptionsGone')}
      </p>
    </Simple>
  );
}
