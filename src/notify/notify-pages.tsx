// Pages readers reach from emails and forms: subscribe, confirm, unsubscribe, and their own data.
// Every action is a plain form; a link in an email only ever shows a page with a button, so mail
// scanners that open links change nothing.
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
  if (props.sent) {
    return (
      <Simple site={props.site} title="Check your inbox">
        <p>If the address is right, a message is on its way. Follow its link to confirm, and new posts will come to you by email.</p>
      </Simple>
    );
  }
  return (
    <Simple site={props.site} title="New posts by email">
      <p>
        Get each new post from {props.site.title} in your inbox. We ask you to confirm first, and every email has a one-click unsubscribe
        link.
      </p>
      <SubscribeForm email={props.email ?? ''} error={props.error} />
    </Simple>
  );
}

const scopeLabel = (scope: string) =>
  scope === 'newsletter'
    ? 'new posts by email'
    : scope.startsWith('thread:')
      ? 'emails about replies in this conversation'
      : scope === '*'
        ? 'every email from this site'
        : 'these emails';

export function ConfirmPage(props: Site & { token: string; scope: string }) {
  return (
    <Simple site={props.site} title="Confirm your subscription">
      <p>Press the button to confirm that you want {scopeLabel(props.scope)}.</p>
      <form method="post" action="/subscribe/confirm">
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">Confirm</button>
      </form>
    </Simple>
  );
}

export function ConfirmedPage(props: Site & { scope: string }) {
  return (
    <Simple site={props.site} title="Thank you, you are subscribed">
      <p>You will now receive {scopeLabel(props.scope)}. Each one has a link to stop them.</p>
      <p>
        <a href="/">Back to {props.site.title}</a>
      </p>
    </Simple>
  );
}

export function UnsubscribePage(props: Site & { token: string; scope: string }) {
  return (
    <Simple site={props.site} title="Unsubscribe">
      <p>Press the button to stop {scopeLabel(props.scope)}.</p>
      <form method="post" action={`/unsubscribe?token=${encodeURIComponent(props.token)}`}>
        <button type="submit">Unsubscribe</button>
      </form>
    </Simple>
  );
}

export function UnsubscribedPage(props: Site & { scope: string; allToken?: string | undefined }) {
  return (
    <Simple site={props.site} title="You are unsubscribed">
      <p>You will no longer receive {scopeLabel(props.scope)}.</p>
      {props.allToken ? (
        <form method="post" action={`/unsubscribe?token=${encodeURIComponent(props.allToken)}`}>
          <button type="submit">Stop every email from this site</button>
        </form>
      ) : null}
    </Simple>
  );
}

export function MyDataPage(props: Site & { sent?: boolean; email?: string; error?: string | undefined }) {
  if (props.sent) {
    return (
      <Simple site={props.site} title="Check your inbox">
        <p>If comments were written here under that address, a link to them is on its way. It works for 24 hours.</p>
      </Simple>
    );
  }
  return (
    <Simple site={props.site} title="Your comments and your data">
      <p>Give the address you used when commenting. We email you a link to download your comments or erase your personal data.</p>
      <form method="post" action="/my-data">
        <p class="field">
          <label for="my-data-email">Your email address</label>
          <input
            id="my-data-email"
            name="email"
            type="email"
            required
            autocomplete="email"
            value={props.email ?? ''}
            aria-invalid={props.error ? 'true' : undefined}
          />
          {props.error ? <span class="error">{props.error}</span> : null}
        </p>
        <div class="hp">
          <label for="my-data-website">Leave this field empty</label>
          <input id="my-data-website" name="website" type="text" tabindex={-1} autocomplete="off" value="" />
        </div>
        <p>
          <button type="submit">Email me a link</button>
        </p>
      </form>
    </Simple>
  );
}

export function ManageDataPage(props: Site & { token: string; count: number }) {
  const t = encodeURIComponent(props.token);
  return (
    <Simple site={props.site} title="Your comments and your data">
      <p>
        You wrote {props.count} comment{props.count === 1 ? '' : 's'} here.
      </p>
      <h2>Download</h2>
      <form method="get" action="/my-data/export">
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">Download my comments (JSON)</button>
      </form>
      <h2>Erase</h2>
      <form method="post" action={`/my-data/erase?token=${t}`}>
        <fieldset>
          <legend>What should happen to your comments?</legend>
          <p>
            <input type="radio" id="erase-anonymize" name="mode" value="anonymize" checked />
            <label for="erase-anonymize">Keep them, signed “A reader”, with my name, email and address removed</label>
          </p>
          <p>
            <input type="radio" id="erase-remove" name="mode" value="remove" />
            <label for="erase-remove">Remove them</label>
          </p>
        </fieldset>
        <p>
          <button type="submit">Erase my personal data</button>
        </p>
      </form>
    </Simple>
  );
}

export function ErasedPage(props: Site & { mode: 'anonymize' | 'remove'; count: number }) {
  return (
    <Simple site={props.site} title="Done">
      <p>
        {props.mode === 'remove'
          ? `Your ${props.count} comment${props.count === 1 ? ' was' : 's were'} removed.`
          : `Your ${props.count} comment${props.count === 1 ? ' is' : 's are'} now signed “A reader”, without your name, email or address.`}{' '}
        Your subscriptions were removed as well.
      </p>
    </Simple>
  );
}
