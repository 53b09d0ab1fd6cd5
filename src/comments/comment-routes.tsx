// Readers' routes for the conversation: the public group (reading, permalinks, live updates) and
// the commenter group (posting, editing, deleting, consenting), which checks the form's origin.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { streamSSE } from 'hono/streaming';
import type { Clock } from '../clock.js';
import type { PostRow } from '../db/tables.js';
import { InvalidError, NotFoundError, TooLargeError, TooManyError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import { messageIn, saidIn } from '../i18n/said.js';
import { hashToken } from '../ids.js';
import type { PostService } from '../posts/post-service.js';
import type { PostToWriteOn } from '../posts/post-store.js';
import { PostPage, postLocale } from '../posts/post-views.js';
import type { SettingsService } from '../settings/settings-service.js';
import { POST_SLUG_PATTERN } from '../text/slug.js';
import { htmlPage } from '../web/caching.js';
import type { AppEnv } from '../web/env.js';
import { wantsJson } from '../web/errors.js';
import { pagePartsOf } from '../web/page-parts.js';
import { oversizedBody, readForm, readFormPrefix, textField } from '../web/request-body.js';
import { sameOrigin } from '../web/same-origin.js';
import { clientAddress } from './client-address.js';
import {
  type CommentFields,
  checkEditedWords,
  checkReaderWords,
  commentFieldsSchema,
  formValues,
  readCommentFields,
} from './comment-form.js';
import { ConsentPage, SelfReplyChoicePage, TooLongPage, WriterViewPage } from './comment-pages.js';
import type { CommentService, ShownComment } from './comment-service.js';
import type { ReaderWords } from './comment-types.js';
import { CommentItem, CommentThread, type FormState, pageHref } from './comment-views.js';
import { credentialFor, credentialHashOf, EMBED_HEADER, keepCredential, signCredential } from './credential.js';
import { heldNotice, heldNoticeOf, heldQuery } from './held-notice.js';
import type { LiveHub } from './live-hub.js';
import { checkCommentLinkKey, checkFormToken, commentLinkKey, makeFormToken } from './signing.js';
import type { ThreadNode } from './thread.js';

export interface CommentRoutesDeps {
  baseUrl: string;
  clock: Clock;
  posts: PostService;
  comments: CommentService;
  settings: SettingsService;
  live: LiveHub;
  trustProxy: readonly string[];
  /** A form sent by Hearth's embed on a registered site (src/sites) passes the origin check. */
  crossSite?: ((c: Context) => Promise<boolean>) | undefined;
}

/** A post's address: other scripts' letters, never a reserved word (src/text/slug.ts). */
const SLUG = POST_SLUG_PATTERN;
const ID = '[0-9a-f-]{36}';
/** The post page loads this enhancement; it is never needed. */
export const COMMENT_SCRIPTS = ['comments.js'];

function findNode(nodes: ThreadNode<ShownComment>[], id: string): ShownComment | undefined {
  for (const n of nodes) {
    if (n.comment.id === id) return n.comment;
    const below = findNode(n.replies, id);
    if (below) return below;
  }
  return undefined;
}

/** The conversation under a post as the post page shows it, for this reader. */
export async function conversationFor(
  c: Context,
  deps: { comments: CommentService; settings: SettingsService },
  post: PostRow,
  form?: FormState,
  instead?: Child,
) {
  const secret = await deps.settings.secret();
  const credentialHash = await credentialHashOf(c, secret);
  const order = c.req.query('sort') === 'newest' ? 'newest' : 'oldest';
  const rawPage = c.req.query('page');
  const replyId = form?.values.parent || c.req.query('replyto');
  const editId = c.req.query('edit');
  // Reply links carry no page (they are the same on every page): the page is where the comment is.
  const page =
    rawPage === undefined && replyId
      ? await deps.comments
          .locate(post, replyId, { kind: 'reader', credentialHash }, order)
          .then((found) => found.page)
          .catch((err) => {
            if (err instanceof NotFoundError) return 1;
            throw err;
          })
      : rawPage !== undefined && /^\d{1,6}$/.test(rawPage)
        ? Math.max(1, Number(rawPage))
        : 1;
  // Staff signed in to the workspace (src/admin/moderation-viewer.ts) read private comments in place.
  const staff = (c as Context<AppEnv>).get('staff');
  const nodes = Boolean(replyId || editId || form);
  const [conv, known, site] = await Promise.all([
    deps.comments.conversation(post, { page, order, credentialHash, staff, nodes }),
    // A reader who wrote here before from this browser finds her name and email filled in.
    credentialHash && !form ? deps.comments.writerDetails(credentialHash) : null,
    deps.settings.site(),
  ]);
  // The conversation speaks the post's language (or the site's).
  const m = messagesFor(postLocale(post, site));
  // A page that shows her own held or private words, or staff's view, is theirs alone: no shared cache may keep it.
  if (credentialHash || staff) c.header('Cache-Control', 'private, no-store');
  const replyTo = replyId ? findNode(conv.threads, replyId) : undefined;
  const thread = (
    <CommentThread
      post={post}
      conv={conv}
      token={makeFormToken(secret, post.id, conv.now)}
      form={form}
      replyTo={replyTo}
      editId={editId}
      parts={pagePartsOf(c)}
      known={known ?? undefined}
      held={credentialHash ? heldNoticeOf((name) => c.req.query(name), m) : undefined}
      m={m}
      instead={instead}
    />
  );
  // The form carries the time it was served: a page showing it is made for one render.
  return { thread, formShown: conv.open };
}

export function commentRoutes(deps: CommentRoutesDeps) {
  const { posts, comments, settings, live, clock } = deps;
  const app = new Hono<AppEnv>();
  const secure = deps.baseUrl.startsWith('https:');

  async function postOf(c: Context): Promise<PostRow> {
    const post = await posts.publishedBySlug(c.req.param('slug') ?? '');
    if (!post) throw new NotFoundError('There is nothing at this address.');
    return post;
  }

  /** The post page again, with the reader's form, her words and what to fix. */
  async function postPageWithForm(c: Context, post: PostToWriteOn, form: FormState, status: 422 | 429) {
    const full = await posts.publishedBySlug(post.slug);
    if (!full) throw new NotFoundError('There is nothing at this address.');
    const [site, context, { thread: conversation }] = await Promise.all([
      settings.site(),
      posts.readingContext(full),
      conversationFor(c, deps, full, form),
    ]);
    c.header('Cache-Control', 'no-store');
    return htmlPage(
      c,
      <PostPage site={site} baseUrl={deps.baseUrl} post={full} context={context} conversation={conversation} scripts={COMMENT_SCRIPTS} />,
      status,
    );
  }

  const linkTo = (post: Pick<PostRow, 'slug'>, page: number, id: string) => `${pageHref(post.slug, page, 'oldest')}#comment-${id}`;
  const permalink = async (post: PostRow, id: string, credentialHash: string | null) => {
    const { page } = await comments.locate(post, id, { kind: 'reader', credentialHash });
    return linkTo(post, page, id);
  };

  // ---- public: reading ----

  app.get(`/:slug{${SLUG}}/comments/live`, async (c) => {
    const post = await postOf(c);
    return streamSSE(c, async (stream) => {
      let end: () => void = () => {};
      const ended = new Promise<void>((resolve) => {
        end = resolve;
      });
      const unsubscribe = live.subscribe(post.id, (event) => {
        stream.writeSSE({ event: 'comment', id: event.id, data: JSON.stringify(event) }).catch(end);
      });
      // Shutdown ends every stream, so open pages never keep the server from closing.
      const stopClose = live.onClose(end);
      stream.onAbort(end);
      // A comment line now and then keeps proxies from closing a quiet stream.
      const ping = setInterval(() => stream.write(': ping\n\n').catch(end), 25_000);
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 5000 });
        await ended;
      } finally {
        clearInterval(ping);
        unsubscribe();
        stopClose();
      }
    });
  });

  app.get(`/:slug{${SLUG}}/comments/:id{${ID}}/fragment`, async (c) => {
    const post = await postOf(c);
    const node = await comments.shownComment(post, c.req.param('id'));
    if (!node) throw new NotFoundError('That comment is not here.').saying({ message: { key: 'comment.notHere' } });
    c.header('Cache-Control', 'no-cache');
    // A comment arriving live reads in the conversation's language, as the page around it does.
    const m = messagesFor(postLocale(post, await settings.site()));
    return c.html(<CommentItem node={node} ctx={{ slug: post.slug, m }} />);
  });

  app.get(`/:slug{${SLUG}}/comments/:id{${ID}}`, async (c) => {
    const post = await postOf(c);
    const id = c.req.param('id');
    const secret = await settings.secret();
    const key = c.req.query('key');
    if (key !== undefined) {
      // The signed link from her email: her own words and their answers, without a cookie.
      if (!checkCommentLinkKey(secret, 'view', id, key))
        throw new NotFoundError('This link is not valid.').saying({ message: { key: 'link.invalid' } });
      const threads = await comments.writerView(post, id);
      const root = threads[0]?.comment;
      const consentHref =
        root?.visibility === 'private' && root.parent_id === null
          ? `/${post.slug}/comments/${id}/consent?key=${commentLinkKey(secret, 'consent', id)}`
          : null;
      c.header('Cache-Control', 'private, no-store');
      return c.html(
        <WriterViewPage
          site={await settings.site()}
          post={post}
          threads={threads}
          token={makeFormToken(secret, post.id, clock.now())}
          consentHref={consentHref}
        />,
      );
    }
    return c.redirect(await permalink(post, id, await credentialHashOf(c, secret)), 303);
  });

  async function consentTarget(c: Context) {
    const post = await postOf(c);
    const id = c.req.param('id') ?? '';
    const secret = await settings.secret();
    const key = c.req.query('key') ?? textField(await readForm(c), 'key');
    const threads = await comments.writerView(post, id).catch(() => []);
    const comment = threads[0]?.comment;
    const credentialHash = await credentialHashOf(c, secret);
    const byKey = checkCommentLinkKey(secret, 'consent', id, typeof key === 'string' ? key : undefined);
    const byCredential = comment !== undefined && credentialHash !== null && comment.edit_token_hash === credentialHash;
    if (!comment || !(byKey || byCredential))
      throw new NotFoundError('This link is not valid.').saying({ message: { key: 'link.invalid' } });
    return { post, comment, key: commentLinkKey(secret, 'consent', id) };
  }

  app.get(`/:slug{${SLUG}}/comments/:id{${ID}}/consent`, async (c) => {
    const { post, comment, key } = await consentTarget(c);
    c.header('Cache-Control', 'private, no-store');
    return c.html(
      <ConsentPage site={await settings.site()} post={post} comment={comment} key={key} done={comment.visibility === 'public'} />,
    );
  });

  // ---- commenter: writing (origin-checked; the form token or her credential proves the rest) ----

  app.use(`/:slug{${SLUG}}/comments`, sameOrigin(deps.baseUrl, deps.crossSite));
  app.use(`/:slug{${SLUG}}/comments/*`, sameOrigin(deps.baseUrl, deps.crossSite));

  app.post(`/:slug{${SLUG}}/comments/:id{${ID}}/consent`, async (c) => {
    const { post, comment, key } = await consentTarget(c);
    const published = await comments.publishAnonymously(post, comment.id);
    return c.html(<ConsentPage site={await settings.site()} post={post} comment={{ ...comment, ...published }} key={key} done />);
  });

  app.post(`/:slug{${SLUG}}/comments/preview`, async (c) => {
    await postOf(c);
    const f = await readCommentFields(c);
    return c.json({ html: await comments.preview(f.body) });
  });

  async function tooLargeToSend(c: Context<AppEnv>, post: PostRow, limit: number) {
    const values = formValues(commentFieldsSchema.parse(await readFormPrefix(c, limit)));
    const s = await comments.settings();
    const token = makeFormToken(await settings.secret(), post.id, clock.now() - s.minSecondsOnPage * 1000);
    const kept = values.body.length > 0;
    c.header('Cache-Control', 'no-store');
    const site = await settings.site();
    const m = messagesFor(postLocale(post, site));
    return c.html(
      <TooLongPage
        site={site}
        post={post}
        message={m.t(kept ? 'pages.tooLargeKept' : 'pages.tooLargeLost', { kb: limit / 1024 })}
        values={values}
        token={token}
        maxChars={s.bodyMaxChars}
      />,
      413,
    );
  }

  app.post(`/:slug{${SLUG}}/comments`, async (c) => {
    // The post is read with the writer's history once her words pass the form's rules (one round
    // trip), all but its words; a form turned back before that reads it alone. A page that shows
    // the post again reads it whole (postPageWithForm).
    let post: PostToWriteOn | undefined;
    const json = wantsJson(c);
    const overLimit = oversizedBody(c);
    if (overLimit !== undefined) {
      const whole = await postOf(c);
      post = whole;
      // Too large to take at all: the page shows what fits of her words, rather than a bare 413.
      if (!json) return tooLargeToSend(c, whole, overLimit);
    }
    const fields = await readCommentFields(c);
    const values = formValues(fields);
    const secret = await settings.secret();
    const s = await comments.settings();
    const now = clock.now();

    // What she can fix is answered with the form again, her words kept (drawn by the error renderer).
    const formAgain = async (err: TooLargeError | InvalidError | TooManyError): Promise<Response> => {
      const shown = post ?? (await postOf(c));
      if (err instanceof TooLargeError) {
        c.header('Cache-Control', 'no-store');
        const site = await settings.site();
        return c.html(
          <TooLongPage
            site={site}
            post={shown}
            message={messageIn(err, messagesFor(postLocale(shown, site)))}
            values={values}
            token={makeFormToken(secret, shown.id, now - s.minSecondsOnPage * 1000)}
            maxChars={s.bodyMaxChars}
          />,
          413,
        );
      }
      const m = messagesFor(postLocale(shown, await settings.site()));
      if (err instanceof InvalidError) return postPageWithForm(c, shown, { values, ...saidIn(err, m) }, 422);
      // Too many: the renderer has set Retry-After.
      return postPageWithForm(c, shown, { values, ...saidIn(err, m), errors: {} }, 429);
    };
    c.set('formAgain', (err) =>
      err instanceof TooLargeError || err instanceof InvalidError || err instanceof TooManyError ? formAgain(err) : undefined,
    );

    // Her words against the form's rules (comment-form.ts); refused, the form above comes back with them.
    let words: ReaderWords;
    try {
      words = checkReaderWords(fields, s);
    } catch (err) {
      post ??= await postOf(c);
      throw err;
    }
    const found = post ? { post, history: undefined } : await comments.postToWriteOn(c.req.param('slug') ?? '', words);
    if (!found) throw new NotFoundError('There is nothing at this address.');
    post = found.post;
    // Comments open, and the form's token, are the service's to check (conversation-writing.ts).
    const credential = await credentialFor(c, secret);
    const result = await comments.submit({
      post,
      history: found.history,
      parentId: fields.parent || null,
      words,
      notify: fields.notify,
      private: fields.private,
      honeypotFilled: fields.homepage.trim() !== '',
      credentialHash: hashToken(credential),
      ip: clientAddress(c, deps.trustProxy),
      userAgent: c.req.header('user-agent') ?? null,
      replyChosen: fields.choice === 'reply',
      form: { ts: fields.ts, token: fields.token },
    });
    if (result.kind === 'choose') {
      if (json) {
        return c.json({ choice: { original: result.original.id, edit: `/${post.slug}/comments/${result.original.id}/edit` } }, 200);
      }
      c.header('Cache-Control', 'no-store');
      const original = { ...result.original, author_role: null, mine: true, editable_until: null };
      return c.html(
        <SelfReplyChoicePage
          site={await settings.site()}
          post={post}
          original={original}
          values={values}
          token={makeFormToken(secret, post.id, now - s.minSecondsOnPage * 1000)}
        />,
      );
    }
    const comment = result.comment;
    // From the embed on another site, the credential travels in the answer (below), never as a cookie.
    if (!c.req.header(EMBED_HEADER)) await keepCredential(c, secret, credential, secure);
    // Spam is answered like a held comment: the classification is never revealed.
    const status = comment.status === 'published' ? 'published' : 'pending';
    // She may ask for replies only on a public comment: only then is a confirmation email sent.
    const confirmEmail = comment.notify === 1 && comment.visibility === 'public';
    if (json) {
      // The embed on another site keeps her credential itself: no cookie reaches a page of another site.
      const kept = c.req.header(EMBED_HEADER) ? { credential: signCredential(secret, credential) } : {};
      return c.json(
        { id: comment.id, status, ...(status === 'pending' ? { message: heldNotice(confirmEmail).join(' ') } : {}), ...kept },
        201,
      );
    }
    const reader = { kind: 'reader', credentialHash: hashToken(credential) } as const;
    const { page } = await comments.locateRow(post, comment, reader, 'oldest', result.threadsBefore);
    if (status === 'pending') {
      return c.redirect(`${pageHref(post.slug, page, 'oldest', heldQuery(comment.id, confirmEmail))}#comment-${comment.id}`, 303);
    }
    return c.redirect(linkTo(post, page, comment.id), 303);
  });

  /** Her own comment, changed from the post page: edit (or add to it) and delete. */
  async function writerAction(c: Context, act: (post: PostRow, id: string, hash: string | null, f: CommentFields) => Promise<unknown>) {
    const post = await postOf(c);
    const id = c.req.param('id') ?? '';
    const fields = await readCommentFields(c);
    const secret = await settings.secret();
    if (checkFormToken(secret, post.id, fields.ts, fields.token, clock.now(), 0) !== 'ok') {
      throw new InvalidError('This form had grown old, so it was not sent. Please reload the page and try again.').saying({
        message: { key: 'form.staleReload' },
      });
    }
    const hash = await credentialHashOf(c, secret);
    const m = messagesFor(postLocale(post, await settings.site()));
    // Her edit refused: the page again, her new words in the edit form (drawn by the error renderer).
    const editAgain = (err: InvalidError | TooLargeError) =>
      postPageWithForm(
        c,
        post,
        {
          values: formValues({ ...fields, body: '' }),
          errors: {},
          message: messageIn(err, m),
          editing: { id, body: fields.body },
        },
        422,
      );
    (c as Context<AppEnv>).set('formAgain', (err) =>
      err instanceof InvalidError || err instanceof TooLargeError ? editAgain(err) : undefined,
    );
    await act(post, id, hash, fields);
    if (wantsJson(c)) return c.json({ id }, 200);
    return { post, id, hash };
  }

  app.post(`/:slug{${SLUG}}/comments/:id{${ID}}/edit`, async (c) => {
    const done = await writerAction(c, (post, id, hash, f) => comments.writerEdit(post, id, hash, checkEditedWords(f.body), f.append));
    if (done instanceof Response) return done;
    return c.redirect(await permalink(done.post, done.id, done.hash), 303);
  });

  app.post(`/:slug{${SLUG}}/comments/:id{${ID}}/delete`, async (c) => {
    const done = await writerAction(c, (post, id, hash) => comments.writerDelete(post, id, hash));
    if (done instanceof Response) return done;
    return c.redirect(`/${done.post.slug}/#comments`, 303);
  });

  return app;
}
