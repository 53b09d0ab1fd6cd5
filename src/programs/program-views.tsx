// The reader's pages of a program: the program itself with its sign-up form, and the thank-you
// page. The form works without scripts; its honeypot is hidden by the stylesheet.
import type { PostRow } from '../db/tables.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import { type Messages, messagesFor } from '../i18n/messages.js';
import { SLOT, withSlot } from '../i18n/slots.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { Layout } from '../web/layout.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import type { SignupValues } from './program-form.js';
import type { FormToken } from './program-service.js';

export interface SignupFormState {
  values: SignupValues;
  errors: Record<string, string>;
  message?: string | undefined;
}

/** A program speaks its own language, or the site's, as a post does. */
export const programLocale = (program: Pick<PostRow, 'language'>, site: SiteSettings): Locale =>
  isLocale(program.language) ? program.language : site.language;

const EMPTY: SignupValues = { name: '', email: '', message: '' };

function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="field-error" id={props.id}>
      {props.message}
    </p>
  ) : null;
}

export function SignupForm(props: {
  m: Messages;
  program: Pick<PostRow, 'slug' | 'title'>;
  token: FormToken;
  from: string;
  form?: SignupFormState | undefined;
}) {
  const { m } = props;
  const v = props.form?.values ?? EMPTY;
  const e = props.form?.errors ?? {};
  const described = (name: string, hint?: string) =>
    [e[name] ? `signup-${name}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <form id="signup" class="signup-form" method="post" action={`/${props.program.slug}/signup`} aria-labelledby="signup-heading">
      <h2 id="signup-heading">{m.t('program.signUp')}</h2>
      {props.form?.message ? (
        <div class="form-message" role="alert">
          <p>{props.form.message}</p>
          {Object.keys(e).length > 0 ? (
            <ul>
              {Object.entries(e).map(([field, message]) => (
                <li>
                  <a href={`#signup-${field}`}>{message}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <input type="hidden" name="from" value={props.from} />
      <input type="hidden" name="ts" value={props.token.ts} />
      <input type="hidden" name="token" value={props.token.token} />
      <div class="hp">
        <label for="signup-homepage">{m.t('form.honeypot')}</label>
        <input id="signup-homepage" name="homepage" type="text" tabindex={-1} autocomplete="off" value="" />
      </div>
      <div class="field">
        <label for="signup-name">{m.t('form.name')}</label>
        <input
          id="signup-name"
          name="name"
          type="text"
          required
          maxlength={100}
          autocomplete="name"
          value={v.name}
          aria-describedby={described('name')}
          aria-invalid={e.name ? 'true' : undefined}
        />
        <FieldError id="signup-name-error" message={e.name} />
      </div>
      <div class="field">
        <label for="signup-email">{m.t('form.email')}</label>
        <input
          id="signup-email"
          name="email"
          type="email"
          required
          autocomplete="email"
          value={v.email}
          aria-describedby={described('email', 'signup-email-hint')}
          aria-invalid={e.email ? 'true' : undefined}
        />
        <span class="hint" id="signup-email-hint">
          {m.t('program.emailHint')}
        </span>
        <FieldError id="signup-email-error" message={e.email} />
      </div>
      <div class="field">
        <label for="signup-message">{m.t('program.message')}</label>
        <textarea
          id="signup-message"
          name="message"
          rows={5}
          aria-describedby={described('message')}
          aria-invalid={e.message ? 'true' : undefined}
        >
          {v.message}
        </textarea>
        <FieldError id="signup-message-error" message={e.message} />
      </div>
      <p class="form-actions">
        <button type="submit">{m.t('program.signUpFor', { title: props.program.title })}</button>
      </p>
    </form>
  );
}

export function ProgramPage(props: {
  site: SiteSettings;
  baseUrl: string;
  program: PostRow;
  token: FormToken;
  from: string;
  form?: SignupFormState | undefined;
}) {
  const { program, site } = props;
  const locale = programLocale(program, site);
  const m = messagesFor(locale);
  return (
    <Layout
      site={site}
      meta={{
        title: program.meta_title || program.title,
        description: program.meta_description || program.excerpt,
        canonical: `${props.baseUrl}/${program.slug}/`,
        image: program.cover_image ? new URL(program.cover_image, `${props.baseUrl}/`).href : null,
        // A page re-rendered with a reader's errors is hers, not for search engines.
        noindex: props.form !== undefined,
        locale,
      }}
    >
      <article class="post program">
        <header class="post-header">
          <p class="program-kicker">{m.t('program.kicker')}</p>
          <h1>{program.title}</h1>
        </header>
        {program.cover_image ? <img class="cover" src={program.cover_image} alt="" /> : null}
        <div class="post-body">{sanitizedHtml(program.html)}</div>
      </article>
      <section class="signup" aria-label={m.t('program.signUpFor', { title: program.title })}>
        <SignupForm m={m} program={program} token={props.token} from={props.from} form={props.form} />
      </section>
    </Layout>
  );
}

export function ThanksPage(props: { site: SiteSettings; program: Pick<PostRow, 'slug' | 'title' | 'language'> }) {
  const locale = programLocale(props.program, props.site);
  const m = messagesFor(locale);
  const [before, link, after] = withSlot(
    m.t('program.thanksText', { program: SLOT }),
    <a href={`/${props.program.slug}/`}>{props.program.title}</a>,
  );
  return (
    <Layout site={props.site} meta={{ title: m.t('program.signedUpTitle', { title: props.program.title }), noindex: true, locale }}>
      <div class="signup-thanks">
        <h1 class="page-title">{m.t('program.thanksTitle')}</h1>
        <p role="status">
          {before}
          {link}
          {after}
        </p>
        <p>
          <a href="/">{m.t('program.home')}</a>
        </p>
      </div>
    </Layout>
  );
}
