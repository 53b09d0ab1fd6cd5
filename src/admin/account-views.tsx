// The pages of signing in: sign-in, asking for a reset link, setting a password through a link.
import { MIN_PASSWORD_LENGTH } from '../accounts/accounts-service.js';
import { CsrfField, FormMessage } from './admin-layout.js';

export function SignInForm(props: {
  csrfToken: string;
  email?: string;
  next?: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}) {
  return (
    <>
      <h1>Sign in</h1>
      <FormMessage message={props.notice} kind="notice" />
      <FormMessage message={props.error} />
      <form method="post" action="/admin/sign-in" class="ws-form">
        <CsrfField token={props.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <div class="ws-field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ''} />
        </div>
        <div class="ws-field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href="/admin/reset">Forgot your password, or never set one?</a>
      </p>
    </>
  );
}

export function ResetRequestForm(props: { csrfToken: string; email?: string; sent?: boolean }) {
  return (
    <>
      <h1>Set a new password</h1>
      {props.sent ? (
        <FormMessage
          kind="notice"
          message="If this address belongs to an account here, a link to set a new password is on its way. It works once, for one hour."
        />
      ) : (
        <p>Enter the email of your account. We will send you a link to choose a new password.</p>
      )}
      <form method="post" action="/admin/reset" class="ws-form">
        <CsrfField token={props.csrfToken} />
        <div class="ws-field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ''} />
        </div>
        <button type="submit">Send the link</button>
      </form>
      <p>
        <a href="/admin/sign-in">Back to sign in</a>
      </p>
    </>
  );
}

export function SetPasswordForm(props: {
  csrfToken: string;
  action: string;
  name: string;
  invitation: boolean;
  error?: string | undefined;
}) {
  return (
    <>
      <h1>{props.invitation ? `Welcome, ${props.name}` : 'Choose a new password'}</h1>
      <p>
        {props.invitation
          ? 'Choose a password to accept your invitation. You will be signed in right away.'
          : 'Choose a new password. Every other place where you are signed in will be signed out.'}
      </p>
      <FormMessage message={props.error} />
      <form method="post" action={props.action} class="ws-form">
        <CsrfField token={props.csrfToken} />
        <div class={props.error ? 'ws-field ws-invalid' : 'ws-field'}>
          <label for="password">New password</label>
          <p class="ws-hint" id="password-hint">
            At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong one.
          </p>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minlength={MIN_PASSWORD_LENGTH}
            aria-describedby="password-hint"
            aria-invalid={props.error ? 'true' : undefined}
          />
        </div>
        <button type="submit">{props.invitation ? 'Accept and sign in' : 'Set the password'}</button>
      </form>
    </>
  );
}

export function LinkGone() {
  return (
    <>
      <h1>This link no longer works</h1>
      <p>It has expired or was already used. Links to set a password work once, for a limited time.</p>
      <p>
        <a href="/admin/reset">Ask for a new link</a>
      </p>
    </>
  );
}
