// The Programs part of the workspace: the list with sign-up and click counts, each program's
// sign-ups and where they came from, and the CSV export. Writing a program uses the editor
// (/admin/programs/new, /admin/programs/:id), the same one posts and pages use.
import { Hono } from 'hono';
import { FormMessage, workspacePage } from '../admin/admin-layout.js';
import { statusLabel } from '../admin/post-list-views.js';
import { staffOf } from '../admin/workspace-auth.js';
import type { WorkspaceEnv } from '../admin/workspace-env.js';
import type { WorkspaceSection } from '../admin/workspace-routes.js';
import type { Clock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import { dateTime, isoTime, plural } from '../web/format.js';
import { toCsv } from './csv.js';
import { canWorkWithPrograms } from './program-permissions.js';
import { EXPORT_LIMIT, type ProgramDetail, type ProgramListItem, type ProgramService } from './program-service.js';

const ID = '[0-9a-f-]{36}';
/** Sign-ups shown on the page; the export has them all. */
const SHOWN = 200;

const NOTICES: Record<string, string> = { deleted: 'Deleted.' };

function ProgramList(props: { items: ProgramListItem[]; now: number; notice?: string | undefined }) {
  return (
    <>
      <div class="ws-titlebar">
        <h1>Programs</h1>
        <a class="button primary" href="/admin/programs/new">
          New program
        </a>
      </div>
      <FormMessage message={props.notice} kind="notice" />
      <p class="ws-hint">
        To show a program’s card in a post or in a reply, put <code>{'{{program its-slug}}'}</code> alone on a line.
      </p>
      {props.items.length === 0 ? (
        <p>No programs yet.</p>
      ) : (
        <table class="ws-table">
          <thead>
            <tr>
              <th scope="col">Program</th>
              <th scope="col">Status</th>
              <th scope="col">Card clicks</th>
              <th scope="col">Sign-ups</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map(({ program, signups, clicks }) => (
              <tr data-program-id={program.id}>
                <td>
                  <a href={`/admin/programs/${program.id}/signups`}>{program.title}</a>
                  <br />
                  <span class="ws-hint">
                    <code>{`{{program ${program.slug}}}`}</code> ·{' '}
                    <a href={`/admin/programs/${program.id}`}>
                      Edit<span class="visually-hidden"> {program.title}</span>
                    </a>
                  </span>
                </td>
                <td>{statusLabel(program, props.now)}</td>
                <td>{clicks}</td>
                <td data-signup-count={signups}>{signups}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ProgramSignups(props: { detail: ProgramDetail; now: number }) {
  const { program, signups, total, sources } = props.detail;
  return (
    <>
      <div class="ws-titlebar">
        <h1>Sign-ups: {program.title}</h1>
        <p class="ws-status">
          {statusLabel(program, props.now)} · <a href={`/admin/programs/${program.id}`}>Edit the program</a>
          {program.status !== 'draft' ? (
            <>
              {' · '}
              <a href={`/${program.slug}/`}>View on the site</a>
            </>
          ) : null}
        </p>
      </div>
      <section class="ws-section" aria-labelledby="sources-title">
        <h2 id="sources-title">Where readers came from</h2>
        {sources.length === 0 ? (
          <p>No clicks and no sign-ups yet.</p>
        ) : (
          <table class="ws-table" data-sources>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Card clicks</th>
                <th scope="col">Sign-ups</th>
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr>
                  <td>{s.href ? <a href={s.href}>{s.label}</a> : s.label}</td>
                  <td>{s.clicks}</td>
                  <td>{s.signups}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="ws-section" aria-labelledby="signups-title">
        <h2 id="signups-title">{plural(total, 'sign-up', 'sign-ups')}</h2>
        {total > 0 ? (
          <p>
            <a class="button" href={`/admin/programs/${program.id}/signups.csv`} download>
              Download all as CSV
            </a>
          </p>
        ) : null}
        {signups.length > 0 ? (
          <table class="ws-table" data-signups>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Message</th>
                <th scope="col">Came from</th>
              </tr>
            </thead>
            <tbody>
              {signups.map((s) => (
                <tr>
                  <td>
                    <time datetime={isoTime(s.created_at)}>{dateTime(s.created_at)}</time>
                  </td>
                  <td>{s.name}</td>
                  <td>
                    <a href={`mailto:${s.email}`}>{s.email}</a>
                  </td>
                  <td class="ws-pre">{s.message}</td>
                  <td>{props.detail.signupSources.get(s.id) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {total > signups.length ? <p class="ws-hint">The newest {signups.length} are shown; the CSV has them all.</p> : null}
      </section>
    </>
  );
}

export function programSection(deps: { programs: ProgramService; clock: Clock }): WorkspaceSection {
  const { programs, clock } = deps;
  const routes = new Hono<WorkspaceEnv>();
  for (const path of ['/programs', '/programs/*']) {
    routes.use(path, async (c, next) => {
      if (!canWorkWithPrograms(staffOf(c))) throw new ForbiddenError('Your role works with comments, not programs.');
      await next();
    });
  }

  routes.get('/programs', async (c) => {
    const items = await programs.list(staffOf(c));
    return workspacePage(c, {
      title: 'Programs',
      children: <ProgramList items={items} now={clock.now()} notice={NOTICES[c.req.query('done') ?? '']} />,
    });
  });

  routes.get(`/programs/:id{${ID}}/signups`, async (c) => {
    const detail = await programs.detail(staffOf(c), c.req.param('id'), SHOWN);
    return workspacePage(c, { title: `Sign-ups: ${detail.program.title}`, children: <ProgramSignups detail={detail} now={clock.now()} /> });
  });

  routes.get(`/programs/:id{${ID}}/signups.csv`, async (c) => {
    const detail = await programs.detail(staffOf(c), c.req.param('id'), EXPORT_LIMIT);
    const csv = toCsv(
      ['signed_up_at', 'name', 'email', 'message', 'came_from'],
      [...detail.signups].reverse().map((s) => [isoTime(s.created_at), s.name, s.email, s.message, detail.signupSources.get(s.id) ?? '']),
    );
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${detail.program.slug}-signups.csv"`,
    });
  });

  return {
    nav: { href: '/admin/programs', label: 'Programs', allowed: canWorkWithPrograms },
    routes,
  };
}
