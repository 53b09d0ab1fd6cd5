// The workspace's Import page (owner only): the same WordPress and Disqus imports as `hearth
// import`, from an uploaded file, with a dry run and the summary. A broken file changes nothing
// and the page says why. Files larger than the upload limit go through the command instead.
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Staff } from '../accounts/accounts-service.js';
import { ForbiddenError, HearthError, InvalidError } from '../errors.js';
import { type ImportSummary, siteNamed } from '../importers/batch.js';
import type { ImportService } from '../importers/import-service.js';
import { readForm } from '../web/request-body.js';
import { CsrfField, FormMessage, workspacePage } from './admin-layout.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';
import type { WorkspaceSection } from './workspace-routes.js';

/** The largest file the page accepts; `hearth import` has no limit. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
export const IMPORT_PATH = '/admin/import';

const canImport = (actor: Pick<Staff, 'role'>) => actor.role === 'owner';
const FORMATS = { wordpress: 'WordPress export (WXR)', disqus: 'Disqus export (XML)' } as const;
type Format = keyof typeof FORMATS;

function ImportForm(props: { csrfToken: string; format: Format; dryRun: boolean; error?: string | undefined }) {
  return (
    <form method="post" action={IMPORT_PATH} enctype="multipart/form-data" class="ws-form" data-import-form>
      <CsrfField token={props.csrfToken} />
      <FormMessage message={props.error} />
      <fieldset class="ws-choices">
        <legend>What the file is</legend>
        {(Object.keys(FORMATS) as Format[]).map((f) => (
          <label>
            <input type="radio" name="format" value={f} checked={props.format === f} /> {FORMATS[f]}
          </label>
        ))}
      </fieldset>
      <p>
        <label for="import-file">File</label>
        <input
          id="import-file"
          type="file"
          name="file"
          accept=".xml,application/xml,text/xml"
          required
          aria-describedby="import-file-hint"
        />
        <span id="import-file-hint" class="ws-hint">
          At most {MAX_IMPORT_BYTES / 1024 / 1024} MB here; larger files: <code>npx hearth import wordpress FILE</code>.
        </span>
      </p>
      <p>
        <label>
          <input type="checkbox" name="dryRun" value="on" checked={props.dryRun} /> Dry run: show what would be added, change nothing
        </label>
      </p>
      <progress class="ws-upload-progress" max={100} value={0} hidden />
      <button type="submit">Import</button>
    </form>
  );
}

const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';

/** Threads an import left out of the inbox, and the button that brings them in. */
function LeftOut(props: { summary: ImportSummary; csrfToken: string }) {
  const { leftOut, before } = props.summary.inbox;
  if (leftOut === 0 || before === null) return null;
  const since = new Date(before).toISOString().slice(0, 10);
  const verb = props.summary.dryRun ? 'would be' : 'were';
  return (
    <div class="ws-import-inbox">
      <p>
        {leftOut} {leftOut === 1 ? 'thread' : 'threads'} whose readers last wrote before {since} {verb} left out of your inbox: an old
        conversation moving in should not bury this week's questions.
      </p>
      {props.summary.dryRun ? null : (
        <form method="post" action={`${IMPORT_PATH}/inbox`} class="ws-form">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="before" value={String(before)} />
          <button type="submit" class="secondary">
            Bring {leftOut === 1 ? 'it' : `all ${leftOut}`} into the inbox
          </button>
        </form>
      )}
    </div>
  );
}

function Summary(props: { summary: ImportSummary; csrfToken: string }) {
  const s = props.summary;
  return (
    <section aria-labelledby="summary-heading" class="ws-import-summary">
      <h2 id="summary-heading">{s.dryRun ? 'A dry run: nothing was changed' : 'Imported'}</h2>
      <table class="ws-table">
        <tbody>
          <tr>
            <th scope="row">Posts and pages</th>
            <td>
              {s.posts.added} added, {s.posts.existing} already here ({counts(s.posts.byStatus)})
              {s.posts.drafts > 0 ? `; ${s.posts.drafts} drafts hold conversations that matched no post` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">Comments</th>
            <td>
              {s.comments.added} added, {s.comments.existing} already here ({counts(s.comments.byStatus)}); {s.comments.replies} replies,{' '}
              {s.comments.staff} by staff, {s.comments.mentions} mentions
            </td>
          </tr>
          <tr>
            <th scope="row">Authors</th>
            <td>
              {s.users.added} added, {s.users.matched} matched to existing accounts
            </td>
          </tr>
          <tr>
            <th scope="row">Old addresses</th>
            <td>{s.redirects.added} now redirect</td>
          </tr>
          {siteNamed(s) ? (
            <tr>
              <th scope="row">Site</th>
              <td>{`${siteNamed(s)}: the site had none of its own`}</td>
            </tr>
          ) : null}
          {Object.keys(s.posts.skipped).length > 0 ? (
            <tr>
              <th scope="row">Not kept</th>
              <td>{counts(s.posts.skipped)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <LeftOut summary={s} csrfToken={props.csrfToken} />
      {s.warnings.length > 0 ? (
        <>
          <h3>Warnings</h3>
          <ul>
            {s.warnings.map((w) => (
              <li>{w}</li>
            ))}
            {s.moreWarnings > 0 ? <li>and {s.moreWarnings} more</li> : null}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function importSection(deps: { imports: ImportService }): WorkspaceSection {
  const routes = new Hono<WorkspaceEnv>();
  for (const path of ['/import', '/import/*']) {
    routes.use(path, async (c, next) => {
      if (!canImport(staffOf(c))) throw new ForbiddenError('Only the owner imports into the site.');
      await next();
    });
  }

  const page = (c: Parameters<typeof workspacePage>[0], body: unknown, status: 200 | 422 = 200) =>
    workspacePage(
      c,
      {
        title: 'Import',
        scripts: ['admin-import.js'],
        children: (
          <>
            <h1>Import</h1>
            <p>
              Bring posts, pages and comments from WordPress or Disqus. Importing the same file again adds nothing twice; a newer export
              adds only what is new. Old WordPress addresses redirect to their new pages.
            </p>
            {body}
          </>
        ),
      },
      status,
    );

  routes.get('/import', (c) => page(c, <ImportForm csrfToken={c.get('csrfToken')} format="wordpress" dryRun={false} />));

  routes.post('/import', async (c) => {
    const form = await readForm(c);
    const format: Format = form.format === 'disqus' ? 'disqus' : 'wordpress';
    const dryRun = form.dryRun === 'on';
    const file = form.file;
    const again = (error: string) =>
      page(c, <ImportForm csrfToken={c.get('csrfToken')} format={format} dryRun={dryRun} error={error} />, 422);
    if (!(file instanceof File) || file.size === 0) return again('Choose the export file to import.');
    try {
      const summary = await deps.imports.importStream(format, Readable.from(Buffer.from(await file.arrayBuffer())), {
        dryRun,
        totalBytes: file.size,
      });
      return page(
        c,
        <>
          <Summary summary={summary} csrfToken={c.get('csrfToken')} />
          <ImportForm csrfToken={c.get('csrfToken')} format={format} dryRun={false} />
        </>,
      );
    } catch (err) {
      // A refused file names its line and column; the database is as it was.
      if (err instanceof InvalidError || err instanceof HearthError) return again(`Nothing was imported: ${err.message}`);
      throw err;
    }
  });

  routes.post('/import/inbox', async (c) => {
    const before = Number((await readForm(c)).before);
    if (!Number.isSafeInteger(before) || before <= 0) throw new InvalidError('That import is not known.');
    const threads = await deps.imports.bringIntoInbox(before);
    return page(
      c,
      <>
        <FormMessage kind="notice" message={`${threads} ${threads === 1 ? 'thread is' : 'threads are'} in your inbox now.`} />
        <p>
          <a href="/admin/inbox">Open the inbox</a>
        </p>
        <ImportForm csrfToken={c.get('csrfToken')} format="wordpress" dryRun={false} />
      </>,
    );
  });

  return { nav: { href: IMPORT_PATH, label: 'Import', allowed: canImport }, routes };
}
