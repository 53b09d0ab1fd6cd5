// The newsletter form, small enough to place anywhere (a post's foot, a page, the sidebar).
// A plain POST: it works without JavaScript. The "hp" field is a honeypot hidden by CSS.

export function SubscribeForm(props: { email?: string; error?: string | undefined; idPrefix?: string }) {
  const id = props.idPrefix ?? 'subscribe';
  return (
    <form method="post" action="/subscribe" class="subscribe-form" data-subscribe-form>
      <p class="field">
        <label for={`${id}-email`}>Your email address</label>
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
        <label for={`${id}-website`}>Leave this field empty</label>
        <input id={`${id}-website`} name="website" type="text" tabindex={-1} autocomplete="off" value="" />
      </div>
      <p>
        <button type="submit">Subscribe</button>
      </p>
    </form>
  );
}
