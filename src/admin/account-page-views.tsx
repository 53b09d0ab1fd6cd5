// The Account page of the signed-in staff member: her API tokens (made, listed, revoked) and
// signing out everywhere. A new token's secret is shown on the page that made it, once.
import { type ApiTokenInfo, type CreatedToken, MAX_TOKEN_DAYS, type Staff } from '../accounts/accounts-service.js';
import { dateTime } from '../web/format.js';
import { CsrfField, describedBy, Field, FormMessage } from './admin-layout.js';

export interface TokenForm {
  label: string;
  expiresInDays: string;
}

export const EMPTY_TOKEN_FORM: TokenForm = { label: '', expiresInDays: '' };

function When(props: { at: number | null; none: string }) {
  if (props.at === null) return <>{props.none}</>;
  return <time datetime={new Date(props.at).toISOString()}>{dateTime(props.at)}</time>;
}

function NewToken(props: { created: CreatedToken }) {
  const { created } = props;
  return (
    <section class="ws-section ws-new-token" aria-labelledby="new-token-title" data-new-token>
      <h2 id="new-token-title">Your new token “{created.info.label}”</h2>
      <FormMessage kind="notice" message="Copy it now: it is shown only this once. Whoever holds it acts as you, with your role." />
      <div class="ws-field">
        <label for="new-token">Token</label>
        <input id="new-token" type="text" readonly value={created.token} autocomplete="off" spellcheck={false} />
      </div>
    </section>
  );
}

function TokenTable(props: { tokens: readonly ApiTokenInfo[]; csrf: string }) {
  if (props.tokens.length === 0) return <p>You have no API tokens.</p>;
  return (
    <table class="ws-table">
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">Expires</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.tokens.map((t) => (
          <tr data-token-id={t.id}>
            <td>{t.label}</td>
            <td>
              <When at={t.createdAt} none="" />
            </td>
            <td>
              <When at={t.lastUsedAt} none="Never" />
            </td>
            <td>
              {t.expired ? 'Expired ' : null}
              <When at={t.expiresAt} none="Never" />
            </td>
            <td>
              <form method="post" action={`/admin/account/tokens/${t.id}/revoke`}>
                <CsrfField token={props.csrf} />
                <button type="submit" class="secondary">
                  Revoke<span class="visually-hidden"> the token “{t.label}”</span>
                </button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CreateTokenForm(props: { csrf: string; form: TokenForm; errors: Record<string, string> }) {
  const { form, errors } = props;
  const labelHint = 'What the token is for, to recognise it here later.';
  const daysHint = `Optional: from 1 to ${MAX_TOKEN_DAYS}. Leave it empty for a token that works until you revoke it.`;
  return (
    <form method="post" action="/admin/account/tokens" class="ws-form">
      <CsrfField token={props.csrf} />
      <Field id="token-label" label="Label" error={errors.label} hint={labelHint}>
        <input
          id="token-label"
          name="label"
          required
          maxlength={100}
          value={form.label}
          aria-invalid={errors.label ? 'true' : undefined}
          aria-describedby={describedBy('token-label', { error: errors.label, hint: labelHint })}
        />
      </Field>
      <Field id="token-days" label="Expires after (days)" error={errors.expiresInDays} hint={daysHint}>
        <input
          id="token-days"
          name="expiresInDays"
          type="number"
          min={1}
          max={MAX_TOKEN_DAYS}
          step={1}
          value={form.expiresInDays}
          aria-invalid={errors.expiresInDays ? 'true' : undefined}
          aria-describedby={describedBy('token-days', { error: errors.expiresInDays, hint: daysHint })}
        />
      </Field>
      <button type="submit">Create a token</button>
    </form>
  );
}

export function AccountPage(props: {
  staff: Staff;
  tokens: readonly ApiTokenInfo[];
  csrf: string;
  form: TokenForm;
  errors: Record<string, string>;
  created?: CreatedToken | undefined;
  message?: string | undefined;
  notice?: string | undefined;
}) {
  return (
    <>
      <h1>Your account</h1>
      <p>
        {props.staff.name} · {props.staff.email} · {props.staff.role}
      </p>
      <FormMessage kind="notice" message={props.notice} />
      {props.created ? <NewToken created={props.created} /> : null}
      <section class="ws-section" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <p>
          A token lets a script use the JSON API as you, with your role. Revoke one you no longer use; a revoked or expired token is refused
          at once.
        </p>
        <TokenTable tokens={props.tokens} csrf={props.csrf} />
        <h3 id="new-token-form-title">Create a token</h3>
        <FormMessage message={props.message} />
        <CreateTokenForm csrf={props.csrf} form={props.form} errors={props.errors} />
      </section>
      <section class="ws-section" aria-labelledby="everywhere-title">
        <h2 id="everywhere-title">Sign out everywhere</h2>
        <p>
          Lost a device, or signed in on a shared computer? Sign out everywhere ends every session of yours, this one included, and revokes
          all your API tokens.
        </p>
        <form method="post" action="/admin/sign-out-everywhere">
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Sign out everywhere
          </button>
        </form>
      </section>
    </>
  );
}
