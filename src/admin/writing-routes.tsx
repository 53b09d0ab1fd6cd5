// Writing in the workspace: the lists of posts and pages, the editor, its preview and autosave,
// and deletion behind a confirmation page. Every write goes through PostService as the signed-in
// staff member, so the workspace obeys the same permissions as the API.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Staff } from '../accounts/accounts-service.js';
import type { AuthService } from '../accounts/auth-service.js';
import type { Clock } from '../clock.js';
import { POST_STATUSES, type PostKind, type PostStatus } from '../db/tables.js';
import { ConflictError, InvalidError } from '../errors.js';
import { mediaUrl } from '../media/media-present.js';
import type { MediaService } from '../media/media-service.js';
import { canEditPost } from '../posts/post-permissions.js';
import type { PostChanges, PostService, PostWithTags } from '../posts/post-service.js';
import type { MarkdownRenderer } from '../render/markdown.js';
import { allow, decodeCursor, encodeCursor } from '../web/api.js';
import { readForm, readJson } from '../web/request-body.js';
import { workspacePage } from './admin-layout.js';
import { canWritePosts } from './admin-permissions.js';
import { DeleteConfirmation, editorBase, PostEditor } from './post-editor-views.js';
import {
  EDITOR_INTENTS,
  type EditorIntent,
  EMPTY_FORM,
  fieldErrors,
  formFieldOf,
  formValues,
  type ParsedPostForm,
  type PostFormValues,
  postFormSchema,
  valuesOf,
} from './post-form.js';
import { PostList } from './post-list-views.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

/** A post's id (UUIDv7): never `new` or `autosave`, so no address here is read as two routes. */
const ID = '[0-9a-f-]{36}';

export interface WritingRoutesDeps {
  posts: PostService;
  media: MediaService;
  auth: AuthService;
  clock: Clock;
  markdown: MarkdownRenderer;
}

const PAGE_SIZE = 25;

const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  published: 'Published.',
  scheduled: 'Scheduled.',
  unpublished: 'Unpublished: it is a draft again.',
  deleted: 'Deleted.',
  cover: 'The cover image is uploaded and set.',
};

const isCursor = (v: unknown): v is { updatedAt: number; id: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { updatedAt?: unknown }).updatedAt === 'number' &&
  typeof (v as { id?: unknown }).id === 'string';

type Ctx = Context<WorkspaceEnv>;

export function writingRoutes(deps: WritingRoutesDeps) {
  const { posts, clock } = deps;
  const app = new Hono<WorkspaceEnv>();

  // The whole writing area is for roles that write; a moderator is turned away at the door.
  for (const path of ['/posts', '/posts/*', '/pages', '/pages/*', '/programs/*', '/preview']) {
    app.use(path, async (c, next) => {
      allow(canWritePosts(staffOf(c)), 'Your role works with comments, not posts.');
      await next();
    });
  }

  /** A post the signed-in staff member may change (an author only her own). */
  async function editable(c: Ctx) {
    const staff = staffOf(c);
    const post = await posts.get(c.req.param('id') ?? '', staff);
    allow(canEditPost(staff, post), 'Only the owner and the post’s author may change it.');
    return post;
  }

  app.post('/preview', async (c) => {
    const body = (await readJson(c).catch(() => ({}))) as { markdown?: unknown };
    const markdown = typeof body.markdown === 'string' ? body.markdown.slice(0, 500_000) : '';
    return c.json({ html: deps.markdown.post(markdown) });
  });

  async function list(c: Ctx, kind: PostKind) {
    const staff = staffOf(c);
    const raw = c.req.query('status');
    const status = (POST_STATUSES as readonly string[]).includes(raw ?? '') ? (raw as PostStatus) : undefined;
    const after = decodeCursor(c.req.query('cursor'), isCursor);
    const { posts: found, total } = await posts.listForAdmin(
      {
        kind,
        limit: PAGE_SIZE,
        ...(status ? { status } : {}),
        ...(after ? { after } : {}),
        ...(staff.role === 'author' ? { authorId: staff.id } : {}),
      },
      staff,
    );
    const last = found.at(-1);
    const authors = staff.role === 'owner' ? new Map((await deps.auth.staff(staff)).map((s) => [s.id, s.name])) : undefined;
    return workspacePage(c, {
      title: kind === 'page' ? 'Pages' : 'Posts',
      children: (
        <PostList
          kind={kind}
          posts={found}
          total={total}
          status={status}
          next={found.length === PAGE_SIZE && last ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null}
          authors={authors}
          now={clock.now()}
          notice={NOTICES[c.req.query('done') ?? '']}
        />
      ),
    });
  }

  function editor(
    c: Ctx,
    kind: PostKind,
    view: {
      post?: PostWithTags | undefined;
      values: PostFormValues;
      errors?: Record<string, string>;
      message?: string;
      previewHtml?: string;
    },
    status: 200 | 422 = 200,
  ) {
    const title = view.post ? `Edit: ${view.post.title}` : `New ${kind}`;
    return workspacePage(
      c,
      {
        title,
        scripts: ['admin-editor.js'],
        children: (
          <PostEditor kind={kind} csrfToken={c.get('csrfToken')} now={clock.now()} notice={NOTICES[c.req.query('done') ?? '']} {...view} />
        ),
      },
      status,
    );
  }

  /** The changes an intent makes: publishing picks "scheduled" for a future time. */
  function changesFor(intent: EditorIntent, form: ParsedPostForm): PostChanges {
    const changes: PostChanges = {
      title: form.title,
      slug: form.slug,
      markdown: form.markdown,
      excerpt: form.excerpt,
      tags: form.tags,
      coverImage: form.coverImage,
      metaTitle: form.metaTitle,
      metaDescription: form.metaDescription,
      language: form.language,
    };
    if (form.publishAt !== null) changes.publishedAt = form.publishAt;
    if (intent === 'publish') changes.status = form.publishAt !== null && form.publishAt > clock.now() ? 'scheduled' : 'published';
    if (intent === 'unpublish') changes.status = 'draft';
    return changes;
  }

  const doneOf = (intent: EditorIntent, post: PostWithTags) =>
    intent === 'publish'
      ? post.status === 'scheduled' && (post.published_at ?? 0) > clock.now()
        ? 'scheduled'
        : 'published'
      : intent === 'unpublish'
        ? 'unpublished'
        : 'saved';

  async function submit(c: Ctx, kind: PostKind, id: string | undefined) {
    const staff = staffOf(c);
    const body = await readForm(c);
    const values = formValues(body);
    const intent = (EDITOR_INTENTS as readonly string[]).includes(String(body.intent)) ? (body.intent as EditorIntent) : 'save';
    const existing = id ? await posts.get(id, staff) : undefined;
    if (intent === 'preview') return editor(c, kind, { post: existing, values, previewHtml: deps.markdown.post(values.markdown) });
    const parsed = postFormSchema.safeParse(values);
    if (!parsed.success) {
      return editor(
        c,
        kind,
        { post: existing, values, errors: fieldErrors(parsed.error), message: 'Some fields need attention; nothing was saved.' },
        422,
      );
    }
    try {
      const changes = changesFor(intent, parsed.data);
      const saved = existing
        ? await posts.update(existing.id, changes, staff)
        : await posts.create(
            {
              ...changes,
              kind,
              title: parsed.data.title,
              markdown: parsed.data.markdown,
              excerpt: parsed.data.excerpt ?? undefined,
              authorId: staff.id,
            },
            staff,
          );
      return c.redirect(`${editorBase(kind)}/${saved.id}?done=${doneOf(intent, saved)}`, 303);
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      const errors = Object.fromEntries(
        Object.entries(err.fields).map(([k, v]) => [formFieldOf(k), `${v[0]?.toUpperCase() ?? ''}${v.slice(1)}.`]),
      );
      return editor(c, kind, { post: existing, values, errors, message: err.message }, 422);
    }
  }

  /**
   * Autosave: the script sends the form as JSON every few seconds while a draft is being written.
   * Only drafts: saving a live post's half-typed text would publish it.
   */
  async function autosave(c: Ctx, kind: PostKind, staff: Staff) {
    const body = (await readJson(c).catch(() => ({}))) as Record<string, unknown>;
    const id = typeof body.id === 'string' && body.id ? body.id : undefined;
    const parsed = postFormSchema.safeParse(formValues(body));
    if (!parsed.success) throw new InvalidError('Not saved yet: some fields need attention.', fieldErrors(parsed.error));
    const existing = id ? await posts.get(id, staff) : undefined;
    if (existing && existing.status !== 'draft') throw new ConflictError('Only drafts are saved automatically.');
    const changes = changesFor('save', parsed.data);
    const saved = existing
      ? await posts.update(existing.id, changes, staff)
      : await posts.create(
          {
            ...changes,
            kind,
            title: parsed.data.title,
            markdown: parsed.data.markdown,
            excerpt: parsed.data.excerpt ?? undefined,
            authorId: staff.id,
          },
          staff,
        );
    return c.json({ id: saved.id, slug: saved.slug, updatedAt: saved.updated_at, editUrl: `${editorBase(kind)}/${saved.id}` });
  }

  // Programs are written here too; their list (with sign-ups) belongs to src/programs.
  for (const kind of ['post', 'page', 'program'] as const) {
    const base = editorBase(kind).slice('/admin'.length);
    if (kind !== 'program') app.get(base, (c) => list(c, kind));
    app.get(`${base}/new`, (c) => editor(c, kind, { values: EMPTY_FORM }));
    app.post(`${base}/new`, (c) => submit(c, kind, undefined));
    app.post(`${base}/autosave`, (c) => autosave(c, kind, staffOf(c)));
    app.get(`${base}/:id{${ID}}`, async (c) => {
      const post = await editable(c);
      // A post opened under /pages (or a page under /posts) moves to its own address.
      if (post.kind !== kind) return c.redirect(`${editorBase(post.kind)}/${post.id}`, 301);
      return editor(c, kind, { post, values: valuesOf(post) });
    });
    app.post(`${base}/:id{${ID}}`, (c) => submit(c, kind, c.req.param('id')));
    app.get(`${base}/:id{${ID}}/delete`, async (c) => {
      const post = await editable(c);
      return workspacePage(c, {
        title: `Delete ${post.title}`,
        children: <DeleteConfirmation post={post} csrfToken={c.get('csrfToken')} />,
      });
    });
    // The upload's size limit is applied in src/app.ts, before the workspace reads the form.
    app.post(`${base}/:id{${ID}}/cover`, async (c) => {
      const staff = staffOf(c);
      const id = c.req.param('id');
      // The post's own permissions first: nobody stores a file for a post she may not change.
      const post = await posts.get(id, staff);
      allow(canEditPost(staff, post), 'Only the owner and the post’s author may change it.');
      const form = await readForm(c);
      const file = form.file;
      if (!(file instanceof File) || file.size === 0)
        throw new InvalidError('Choose an image file to upload.', { file: 'choose an image' });
      const image = await deps.media.upload({ bytes: new Uint8Array(await file.arrayBuffer()), name: file.name, uploadedBy: staff.id });
      await posts.update(id, { coverImage: mediaUrl(image, image.file) }, staff);
      return c.redirect(`${editorBase(kind)}/${id}?done=cover`, 303);
    });
    app.post(`${base}/:id{${ID}}/delete`, async (c) => {
      await posts.remove(c.req.param('id'), staffOf(c));
      return c.redirect(`${editorBase(kind)}?done=deleted`, 303);
    });
  }

  return app;
}
