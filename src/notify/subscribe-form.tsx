// The newsletter form, small enough to place anywhere (a post's foot, a page, the sidebar).
// A plain POST: it works without JavaScript. The "hp" field is a honeypot hidden by CSS.
import type { Messages } from '../i18n/messages.js';

export function SubscribeForm(props: { m: Messages; email?: string; error?: string | undefined; idPrefix?: string }) {
  const { m } = props;
  const id = props.idPrefix ?? 'subscribe';
  return (
    <form method="post" action="/subscribe" class="subscribe-form" data-subscribe-form>
      <p class="field">
        <label for={`${id}-email`}>{m.t('subscribe.email')}</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          required
          autocomplete="email"
          value={props.email ?? ''}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${id}-error` : undefined}
        />
        {props.error ? (
          <span class="error" id={`${id}-error`}>
            {props.error}
          </span>
        ) : null}
      </p>
      <div class="hp">
        <label for={`${id}-website`}>{m.t('form.honeypot')}</label>
        <input id={`${id}-website`} name="website" type="text" tabindex={-1} autocomplete="off" value="" />
      </div>
      <p>
        <button type="submit">{m.t('subscribe.button')}</button>
      </p>
    </form>
  );
}
