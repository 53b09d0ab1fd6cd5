// Readers' routes for programs: the counted link behind a card, the sign-up form's target and its
// thank-you page, and the program page itself (the post routes hand a program over to it).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { clientAddress } from '../comments/client-address.js';
import type { PostRow } from '../db/tables.js';
import { InvalidError, NotFoundError, TooManyError } from '../errors.js';
import { messagesFor } from '../i18n/messages.js';
import { messageIn, saidIn } from '../i18n/said.js';
import type { PostService } from '../posts/post-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { POST_SLUG_PATTERN, SLUG_PATTERN } from '../text/slug.js';
import type { AppEnv } from '../web/env.js';
import { readForm } from '../web/request-body.js';
import { sameOrigin } from '../web/same-origin.js';
import { type SignupFields, signupErrors, signupFieldsSchema, signupSchema } from './program-form.js';
import type { ProgramService } from './program-service.js';
import { formatSource, parseSource } from './program-source.js';
import { ProgramPage, programLocale, type SignupFormState, ThanksPage } from './program-views.js';

export interface ProgramRoutesDeps {
  baseUrl: string;
  posts: PostService;
  settings: SettingsService;
  programs: ProgramService;
  trustProxy: readonly string[];
}

/** A post's address: other scripts' letters, never a reserved word (src/text/slug.ts). */
const SLUG = POST_SLUG_PATTERN;

/** The program page: a program post, with its sign-up form carrying the reader's source. */
export async function programPage(
  c: Context,
  deps: Pick<ProgramRoutesDeps, 'baseUrl' | 'settings' | 'programs'>,
  program: PostRow,
  form?: { state: SignupFormState; from: string; status: 422 | 429 },
): Promise<Response> {
  const from = form
    ? form.from
    : (() => {
        const source = parseSource(c.req.query('from'));
        return source ? formatSource(source) : '';
      })();
  const [site, token] = await Promise.all([deps.settings.site(), deps.programs.formToken(program.id)]);
  if (form) c.header('Cache-Control', 'no-store');
  return c.html(
    <ProgramPage site={site} baseUrl={deps.baseUrl} program={program} token={token} from={from} form={form?.state} />,
    form?.status ?? 200,
  );
}

export function programRoutes(deps: ProgramRoutesDeps) {
  const { posts, programs, settings } = deps;
  const app = new Hono<AppEnv>();

  async function programOf(c: Context): Promise<PostRow> {
    const post = await posts.publishedBySlug(c.req.param('slug') ?? '');
    if (post?.kind !== 'program') throw new NotFoundError('There is no such program.').saying({ message: { key: 'program.none' } });
    return post;
  }

  // A card's link: counted, then on to the program page with the source for the sign-up form.
  app.get(`/go/program/:slug{${SLUG_PATTERN}}`, async (c) => {
    const { slug, from } = await programs.click(c.req.param('slug'), parseSource(c.req.query('from')), {
      ip: clientAddress(c, deps.trustProxy),
      userAgent: c.req.header('user-agent') ?? '',
    });
    c.header('Cache-Control', 'no-store');
    return c.redirect(`/${slug}/${from ? `?from=${formatSource(from)}` : ''}`, 303);
  });

  app.post(`/:slug{${SLUG}}/signup`, sameOrigin(deps.baseUrl), async (c) => {
    const program = await programOf(c);
    const fields: SignupFields = signupFieldsSchema.parse(await readForm(c));
    const values = { name: fields.name, email: fields.email, message: fields.message };
    const from = parseSource(fields.from);
    const again = (state: SignupFormState, status: 422 | 429) =>
      programPage(c, deps, program, { state, from: from ? formatSource(from) : '', status });

    const m = messagesFor(programLocale(program, await settings.site()));
    const parsed = signupSchema.safeParse(values);
    if (!parsed.success) {
      return again({ values, errors: signupErrors(parsed.error, m), message: m.t('program.attention') }, 422);
    }
    try {
      await programs.signUp({
        program,
        ...parsed.data,
        from,
        honeypotFilled: fields.homepage.trim() !== '',
        ts: fields.ts,
        token: fields.token,
        ip: clientAddress(c, deps.trustProxy),
      });
    } catch (err) {
      if (err instanceof InvalidError) return again({ values, ...saidIn(err, m) }, 422);
      if (err instanceof TooManyError) {
        c.header('Retry-After', String(err.retryAfterSeconds));
        return again({ values, errors: {}, message: messageIn(err, m) }, 429);
      }
      throw err;
    }
    // The same page whatever happened (new, repeated, or a bot caught): nothing to learn from it.
    return c.redirect(`/${program.slug}/thanks`, 303);
  });

  app.get(`/:slug{${SLUG}}/thanks`, async (c) => {
    const program = await programOf(c);
    return c.html(<ThanksPage site={await settings.site()} program={program} />);
  });

  return app;
}
