// The editor: Markdown on one side, its preview on the other; details below. Works as a plain form
// (the Preview button renders the preview on the server); public/admin-editor.js adds the live
// preview, autosave and the local copy.

import type { PostKind } from '../db/tables.js';
import { LANGUAGE_NAMES, LOCALES } from '../i18n/locales.js';
import type { PostWithTags } from '../posts/post-service.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import { CsrfField, describedBy, Field, FormMessage } from './admin-layout.js';
import type { PostFormValues } from './post-form.js';
import { statusLabel } from './post-list-views.js';

export interface EditorProps {
  kind: PostKind;
  csrfToken: string;
  post?: PostWithTags | undefined;
  values: PostFormValues;
  errors?: Record<string, string>;
  message?: string | undefined;
  notice?: string | undefined;
  /** Sanitized HTML from the renderer, when the Preview button was used. */
  previewHtml?: string | undefined;
  now: number;
}

const noun = (kind: PostKind) => kind;
export const editorBase = (kind: PostKind) => (kind === 'page' ? '/admin/pages' : kind === 'program' ? '/admin/programs' : '/admin/posts');

function TextInput(props: {
  id: keyof PostFormValues;
  label: string;
  values: PostFormValues;
  errors: Record<string, string>;
  hint?: string;
  type?: string;
}) {
  const error = props.errors[props.id];
  return (
    <Field id={props.id} label={props.label} error={error} hint={props.hint}>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.values[props.id]}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, { error, hint: props.hint })}
      />
    </Field>
  );
}

export function PostEditor(props: EditorProps) {
  const { post, values, kind } = props;
  const errors = props.errors ?? {};
  const base = editorBase(kind);
  const action = post ? `${base}/${post.id}` : `${base}/new`;
  const live = post ? post.status !== 'draft' : false;
  const title = post ? `Edit ${noun(kind)}` : `New ${noun(kind)}`;
  return (
    <>
      <div class="ws-titlebar">
        <h1>{title}</h1>
        {post ? (
          <p class="ws-status">
            {statusLabel(post, props.now)}
            {live && (post.published_at ?? 0) <= props.now ? (
              <>
                {' · '}
                <a href={`/${post.slug}/`}>View on the site</a>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
      <FormMessage message={props.notice} kind="notice" />
      <FormMessage message={props.message} />
      <div id="restore-offer" class="ws-restore" hidden></div>
      <form
        method="post"
        action={action}
        class="ws-form ws-editor"
        data-editor
        data-kind={kind}
        data-post-id={post?.id ?? ''}
        data-autosave={live ? 'off' : 'on'}
        data-updated-at={post ? String(post.updated_at) : ''}
      >
        <CsrfField token={props.csrfToken} />
        <div class="ws-editor-columns">
          <div class="ws-editor-write">
            <TextInput id="title" label="Title" values={values} errors={errors} />
            <Field id="markdown" label="Text (Markdown)" error={errors.markdown}>
              <textarea
                id="markdown"
                name="markdown"
                rows={22}
                aria-invalid={errors.markdown ? 'true' : undefined}
                aria-describedby={describedBy('markdown', { error: errors.markdown })}
              >
                {values.markdown}
              </textarea>
            </Field>
          </div>
          <section class="ws-preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">Preview</h2>
            <div id="preview" class="post-body" data-preview aria-live="polite">
              {props.previewHtml !== undefined ? (
                sanitizedHtml(props.previewHtml)
              ) : (
                <p class="ws-hint">Use the Preview button to see the text as readers will.</p>
              )}
            </div>
          </section>
        </div>
        <fieldset class="ws-details">
          <legend>Details</legend>
          <TextInput id="slug" label="Slug" values={values} errors={errors} hint="The address: /slug/. Empty: made from the title." />
          <Field id="excerpt" label="Excerpt" error={errors.excerpt} hint="Shown in lists and feeds. Empty: the opening words.">
            <textarea
              id="excerpt"
              name="excerpt"
              rows={3}
              aria-invalid={errors.excerpt ? 'true' : undefined}
              aria-describedby={describedBy('excerpt', { error: errors.excerpt, hint: 'shown' })}
            >
              {values.excerpt}
            </textarea>
          </Field>
          <TextInput id="tags" label="Tags" values={values} errors={errors} hint="Separated by commas." />
          <TextInput
            id="publishAt"
            label="Publish at (UTC)"
            type="datetime-local"
            values={values}
            errors={errors}
            hint="In UTC. A future time schedules the post when you publish; empty means now."
          />
          <TextInput
            id="coverImage"
            label="Cover image address"
            values={values}
            errors={errors}
            hint="An image address, such as /media/… or https://…"
          />
          <TextInput
            id="metaTitle"
            label="Search title"
            values={values}
            errors={errors}
            hint="For search engines and social cards. Empty: the title."
          />
          <Field id="language" label="Language" error={errors.language} hint="Its page, conversation and emails speak it.">
            <select
              id="language"
              name="language"
              aria-invalid={errors.language ? 'true' : undefined}
              aria-describedby={describedBy('language', { error: errors.language, hint: 'shown' })}
            >
              <option value="" selected={values.language === ''}>
                The site’s language
              </option>
              {LOCALES.map((locale) => (
                <option value={locale} selected={values.language === locale} lang={locale}>
                  {LANGUAGE_NAMES[locale]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="metaDescription" label="Search description" error={errors.metaDescription} hint="Empty: the excerpt.">
            <textarea
              id="metaDescription"
              name="metaDescription"
              rows={2}
              aria-invalid={errors.metaDescription ? 'true' : undefined}
              aria-describedby={describedBy('metaDescription', { error: errors.metaDescription, hint: 'shown' })}
            >
              {values.metaDescription}
            </textarea>
          </Field>
        </fieldset>
        <div class="ws-actions">
          <button type="submit" name="intent" value="save">
            {live ? 'Save changes' : 'Save draft'}
          </button>
          <button type="submit" name="intent" value="preview" class="secondary">
            Preview
          </button>
          {!live ? (
            <button type="submit" name="intent" value="publish" class="primary">
              Publish
            </button>
          ) : (
            <button type="submit" name="intent" value="unpublish" class="secondary">
              Unpublish
            </button>
          )}
          {post ? (
            <a class="ws-danger-link" href={`${base}/${post.id}/delete`}>
              Delete
            </a>
          ) : null}
          <p id="autosave-status" class="ws-hint" role="status"></p>
        </div>
      </form>
      {post ? (
        // A form of its own (forms cannot nest): the image is stored, resized, and becomes the cover.
        <form method="post" action={`${action}/cover`} enctype="multipart/form-data" class="ws-cover-upload">
          <CsrfField token={props.csrfToken} />
          <label for="cover-file">Upload a cover image</label>
          <p id="cover-file-hint" class="ws-hint">
            JPEG, PNG, WebP, GIF or AVIF, at most 10 MB; its location data is removed. It replaces the cover image address.
          </p>
          <input
            id="cover-file"
            type="file"
            name="file"
            accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
            required
            aria-describedby="cover-file-hint"
          />
          <button type="submit">Upload cover</button>
        </form>
      ) : (
        <p class="ws-hint">Save the draft to upload a cover image.</p>
      )}
    </>
  );
}

export function DeleteConfirmation(props: { post: PostWithTags; csrfToken: string }) {
  const base = editorBase(props.post.kind);
  return (
    <>
      <h1>Delete “{props.post.title}”?</h1>
      <p>
        The {noun(props.post.kind)} and its comments will be gone for good. Readers who follow an old link will find nothing there. To only
        hide it, unpublish it instead.
        {props.post.kind === 'program' ? ' Its sign-ups go with it: download them as CSV first.' : ''}
      </p>
      <form method="post" action={`${base}/${props.post.id}/delete`} class="ws-actions">
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="danger">
          Delete for good
        </button>
        <a href={`${base}/${props.post.id}`}>Keep it</a>
      </form>
    </>
  );
}
