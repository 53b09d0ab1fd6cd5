// The sections of the settings page. Each section is one form with its own fields, read from and
// saved through its owner's service; another part of Hearth adds a section by giving the settings
// routes one more SettingsSection.
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { InvalidError } from '../errors.js';
import { LANGUAGE_NAMES, LOCALES } from '../i18n/locales.js';
import type { ConversationSettingsService } from '../moderation/conversation-settings.js';
import type { EmailSettingsService } from '../notify/email-settings-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { describedBy, Field } from './admin-layout.js';

export type FormStrings = Record<string, string>;

export interface SettingsSection {
  /** The address part: the section's form posts to /admin/settings/<id>. */
  id: string;
  title: string;
  /** The current values as the form shows them. */
  load(): Promise<FormStrings>;
  /** Saves the submitted form; throws InvalidError with messages per field. */
  save(form: FormStrings): Promise<void>;
  fields(values: FormStrings, errors: Record<string, string>): Child;
}

export function TextField(props: {
  name: string;
  label: string;
  values: FormStrings;
  errors: Record<string, string>;
  hint?: string;
  type?: string;
  rows?: number;
}) {
  const id = `setting-${props.name}`;
  const error = props.errors[props.name];
  const common = {
    id,
    name: props.name,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy(id, { error, hint: props.hint }),
  };
  return (
    <Field id={id} label={props.label} error={error} hint={props.hint}>
      {props.rows ? (
        <textarea {...common} rows={props.rows}>
          {props.values[props.name] ?? ''}
        </textarea>
      ) : (
        <input {...common} type={props.type ?? 'text'} value={props.values[props.name] ?? ''} />
      )}
    </Field>
  );
}

/** Parses a form with a zod schema; problems become field messages. */
function parseForm<S extends z.ZodType>(schema: S, form: FormStrings): z.output<S> {
  const result = schema.safeParse(form);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  throw new InvalidError('Some fields need attention; nothing was saved.', fields);
}

const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const wholeNumber = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, `${what} must be a whole number from ${min} to ${max}.`)
    .transform(Number);

const siteForm = z.object({
  title: z.string().trim().min(1, 'The site needs a title.').max(120, 'The title must be at most 120 characters.'),
  description: z.string().trim().max(300, 'The description must be at most 300 characters.'),
  navigation: z
    .string()
    .transform(lines)
    .pipe(
      z
        .array(
          z
            .string()
            .refine((l) => /^[^|]{1,60}\|\s*\S{1,500}$/.test(l), 'Write one link per line as label|address, such as About|/about/.'),
        )
        .max(12, 'At most 12 links.'),
    )
    .transform((ls) =>
      ls.map((l) => {
        const [label, url] = l.split('|') as [string, string];
        return { label: label.trim(), url: url.trim() };
      }),
    ),
  footer: z.string().trim().max(500, 'The footer must be at most 500 characters.'),
  postsPerPage: wholeNumber(1, 100, 'Posts per page'),
  // Absent from a form sent without it: the language stays as it is.
  language: z.enum(LOCALES, 'Choose one of the languages listed.').optional(),
});

export function siteSection(settings: SettingsService): SettingsSection {
  return {
    id: 'site',
    title: 'Site',
    async load() {
      const s = await settings.site();
      return {
        title: s.title,
        description: s.description,
        navigation: s.navigation.map((l) => `${l.label}|${l.url}`).join('\n'),
        footer: s.footer,
        postsPerPage: String(s.postsPerPage),
        language: s.language,
      };
    },
    async save(form) {
      const { language, ...rest } = parseForm(siteForm, form);
      await settings.updateSite(language === undefined ? rest : { ...rest, language });
    },
    fields: (values, errors) => (
      <>
        <TextField name="title" label="Site title" values={values} errors={errors} />
        <TextField name="description" label="Description" values={values} errors={errors} rows={2} />
        <TextField
          name="navigation"
          label="Navigation"
          values={values}
          errors={errors}
          rows={5}
          hint="One link per line: label|address, such as About|/about/."
        />
        <TextField name="footer" label="Footer" values={values} errors={errors} rows={2} />
        <TextField name="postsPerPage" label="Posts per page" type="number" values={values} errors={errors} />
        <Field
          id="setting-language"
          label="Language"
          error={errors.language}
          hint="What readers read: pages, forms, messages, dates and emails. Search stems words in it. A post may have its own."
        >
          <select
            id="setting-language"
            name="language"
            aria-describedby={describedBy('setting-language', { error: errors.language, hint: 'yes' })}
          >
            {LOCALES.map((locale) => (
              <option value={locale} selected={values.language === locale} lang={locale}>
                {LANGUAGE_NAMES[locale]}
              </option>
            ))}
          </select>
        </Field>
      </>
    ),
  };
}

const HOLD_CHOICES = [
  { value: 'first_time', label: 'Hold a reader’s first comment until it is approved' },
  { value: 'hold_all', label: 'Hold every reader comment' },
  { value: 'none', label: 'Publish at once (spam and blocked words are still held)' },
] as const;

const COMMENTS_DEFAULTS = [
  { value: 'open', label: 'Open' },
  { value: 'closes_after', label: 'Open, then closed after the days below' },
  { value: 'closed', label: 'Closed' },
] as const;

const conversationForm = z.object({
  hold: z.enum(['hold_all', 'first_time', 'none'], { message: 'Choose one of the options.' }),
  commentsDefault: z.enum(['open', 'closed', 'closes_after'], { message: 'Choose one of the options.' }),
  commentsCloseDays: wholeNumber(1, 3650, 'The days comments stay open'),
  maxLinks: wholeNumber(0, 100, 'Links allowed'),
  maxDepth: wholeNumber(0, 10, 'Reply depth'),
  editWindowMinutes: wholeNumber(0, 1440, 'The edit window'),
  threadsPerPage: wholeNumber(1, 500, 'Threads per page'),
  blockedWords: z.string().transform(lines),
  blockedEmails: z.string().transform(lines),
  blockedDomains: z.string().transform(lines),
  blockedIps: z.string().transform(lines),
});

const emailForm = z.object({
  authorNotifications: z.enum(['immediate', 'daily', 'off'], { message: 'Choose one of the options.' }),
  moderationNotifications: z.enum(['on', 'off'], { message: 'Choose one of the options.' }),
  moderationBatchMinutes: wholeNumber(0, 1440, 'The moderation batch'),
  digestHourUtc: wholeNumber(0, 23, 'The digest hour'),
  newsletterBatchSize: wholeNumber(1, 10_000, 'The newsletter batch size'),
  newsletterBatchIntervalSeconds: wholeNumber(0, 3600, 'The pause between batches'),
});

const AUTHOR_NOTICES = [
  { value: 'immediate', label: 'Each one at once' },
  { value: 'daily', label: 'Once a day, together' },
  { value: 'off', label: 'Not at all' },
] as const;

/** The site's email choices (src/notify), for the owner. */
export function emailSection(email: EmailSettingsService): SettingsSection {
  return {
    id: 'email',
    title: 'Email',
    async load() {
      const s = await email.read();
      return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]));
    },
    async save(form) {
      await email.update(parseForm(emailForm, form));
    },
    fields: (values, errors) => (
      <>
        <fieldset class="ws-choices">
          <legend>A reader’s new comment, to the post’s author</legend>
          {AUTHOR_NOTICES.map((choice) => (
            <label>
              <input type="radio" name="authorNotifications" value={choice.value} checked={values.authorNotifications === choice.value} />{' '}
              {choice.label}
            </label>
          ))}
        </fieldset>
        <fieldset class="ws-choices">
          <legend>Comments awaiting moderation, to the owner and the post’s author</legend>
          <label>
            <input type="radio" name="moderationNotifications" value="on" checked={values.moderationNotifications === 'on'} /> Send
          </label>
          <label>
            <input type="radio" name="moderationNotifications" value="off" checked={values.moderationNotifications === 'off'} /> Don’t send
          </label>
        </fieldset>
        <TextField
          name="moderationBatchMinutes"
          label="Minutes to gather held comments into one email"
          type="number"
          values={values}
          errors={errors}
          hint="0 sends one email per comment."
        />
        <TextField name="digestHourUtc" label="Hour of the daily emails (UTC, 0–23)" type="number" values={values} errors={errors} />
        <TextField name="newsletterBatchSize" label="Newsletter recipients per batch" type="number" values={values} errors={errors} />
        <TextField
          name="newsletterBatchIntervalSeconds"
          label="Seconds between newsletter batches"
          type="number"
          values={values}
          errors={errors}
        />
      </>
    ),
  };
}

export function conversationSection(conversations: ConversationSettingsService): SettingsSection {
  return {
    id: 'conversations',
    title: 'Conversations',
    async load() {
      const s = await conversations.get();
      return {
        hold: s.hold,
        commentsDefault: s.commentsDefault,
        commentsCloseDays: String(s.commentsCloseDays),
        maxLinks: String(s.maxLinks),
        maxDepth: String(s.maxDepth),
        editWindowMinutes: String(s.editWindowMinutes),
        threadsPerPage: String(s.threadsPerPage),
        blockedWords: s.blockedWords.join('\n'),
        blockedEmails: s.blockedEmails.join('\n'),
        blockedDomains: s.blockedDomains.join('\n'),
        blockedIps: s.blockedIps.join('\n'),
      };
    },
    async save(form) {
      await conversations.update(parseForm(conversationForm, form));
    },
    fields: (values, errors) => (
      <>
        <fieldset class="ws-choices">
          <legend>Moderation</legend>
          {HOLD_CHOICES.map((choice) => (
            <label>
              <input type="radio" name="hold" value={choice.value} checked={values.hold === choice.value} /> {choice.label}
            </label>
          ))}
        </fieldset>
        <fieldset class="ws-choices">
          <legend>Comments on new posts</legend>
          {COMMENTS_DEFAULTS.map((choice) => (
            <label>
              <input type="radio" name="commentsDefault" value={choice.value} checked={values.commentsDefault === choice.value} />{' '}
              {choice.label}
            </label>
          ))}
        </fieldset>
        <TextField
          name="commentsCloseDays"
          label="Days comments stay open"
          type="number"
          values={values}
          errors={errors}
          hint="Counted from publication, when new posts close after a while. Each post can change it."
        />
        <TextField name="maxLinks" label="Links allowed before a comment is held" type="number" values={values} errors={errors} />
        <TextField name="maxDepth" label="Reply depth shown" type="number" values={values} errors={errors} />
        <TextField name="editWindowMinutes" label="Minutes a reader may edit her comment" type="number" values={values} errors={errors} />
        <TextField name="threadsPerPage" label="Threads per page" type="number" values={values} errors={errors} />
        <TextField
          name="blockedWords"
          label="Blocked words"
          rows={3}
          values={values}
          errors={errors}
          hint="One per line. Comments with them are held."
        />
        <TextField name="blockedEmails" label="Blocked emails" rows={3} values={values} errors={errors} hint="One per line." />
        <TextField name="blockedDomains" label="Blocked domains" rows={3} values={values} errors={errors} hint="One per line." />
        <TextField name="blockedIps" label="Blocked addresses (IP)" rows={3} values={values} errors={errors} hint="One per line." />
      </>
    ),
  };
}
