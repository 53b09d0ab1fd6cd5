// The workspace's Email page (owner only): messages that could not be delivered, each with a
// button to send it again, and, while no SMTP server is set, the messages written as files.
import { Hono } from 'hono';
import type { Staff } from '../accounts/accounts-service.js';
import type { OutboxRow } from '../db/tables.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { MailFileSummary } from '../notify/mail-files.js';
import type { MailService } from '../notify/mail-service.js';
import { presentOutboxRow } from '../notify/notify-present.js';
import { dateTime } from '../web/format.js';
import { CsrfField, FormMessage, workspacePage } from './admin-layout.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';
import type { WorkspaceSection } from './workspace-routes.js';

const canReadMail = (actor: Pick<Staff, 'role'>) => actor.role === 'owner';
const ID = '[0-9a-f-]{36}';
const SHOWN = 100;

function ParkedList(props: { rows: OutboxRow[]; total: number; csrfToken: string }) {
  if (props.rows.length === 0) return <p>Every message was delivered or is still being tried.</p>;
  return (
    <>
      <p>
        {props.total} {props.total === 1 ? 'message was' : 'messages were'} given up after repeated failures. Fix what the error says (often
        the SMTP settings), then send again.
      </p>
      <table class="ws-table">
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">To</th>
            <th scope="col">Tries</th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const shown = presentOutboxRow(row);
            return (
              <tr>
                <td>{shown.type ?? shown.kind}</td>
                <td>{shown.to ?? '—'}</td>
                <td>{row.attempts}</td>
                <td>{row.last_error ?? ''}</td>
                <td>
                  <form method="post" action={`/admin/mail/outbox/${row.id}/retry`}>
                    <CsrfField token={props.csrfToken} />
                    <button type="submit">Send again</button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function MailFiles(props: { files: MailFileSummary[] }) {
  if (props.files.length === 0) return <p>No message has been written to a file.</p>;
  return (
    <>
      <p>
        No SMTP server is set (<code>SMTP_URL</code>), so messages are written as <code>.eml</code> files instead of being sent. Newest
        first:
      </p>
      <table class="ws-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
          </tr>
        </thead>
        <tbody>
          {props.files.slice(0, SHOWN).map((f) => (
            <tr>
              <td>{f.date ? dateTime(Date.parse(f.date)) : ''}</td>
              <td>{f.to}</td>
              <td>
                <a href={`/admin/mail/files/${encodeURIComponent(f.name)}`}>{f.subject || '(no subject)'}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** `replies`: the state of replies by email (src/mailin), shown on the Email page. */
export function mailSection(deps: { mail: MailService; replies?: (() => unknown) | undefined }): WorkspaceSection {
  const { mail } = deps;
  const routes = new Hono<WorkspaceEnv>();
  for (const path of ['/mail', '/mail/*']) {
    routes.use(path, async (c, next) => {
      if (!canReadMail(staffOf(c))) throw new ForbiddenError('Only the owner reads the site’s outgoing mail.');
      await next();
    });
  }

  routes.get('/mail', async (c) => {
    const [{ rows, total }, files] = await Promise.all([mail.listOutbox({ status: 'parked', limit: SHOWN }), mail.listMailFiles()]);
    const done = c.req.query('done') === 'retried';
    return workspacePage(c, {
      title: 'Email',
      children: (
        <>
          <h1>Email</h1>
          {done ? <FormMessage kind="notice" message="The message is queued again." /> : null}
          <section aria-labelledby="parked-heading">
            <h2 id="parked-heading">Not delivered</h2>
            <ParkedList rows={rows} total={total} csrfToken={c.get('csrfToken')} />
          </section>
          {deps.replies ? deps.replies() : null}
          <section aria-labelledby="files-heading">
            <h2 id="files-heading">Written to files</h2>
            <MailFiles files={files} />
          </section>
        </>
      ),
    });
  });

  routes.post(`/mail/outbox/:id{${ID}}/retry`, async (c) => {
    await mail.retry(c.req.param('id'));
    return c.redirect('/admin/mail?done=retried', 303);
  });

  routes.get('/mail/files/:name', async (c) => {
    const name = c.req.param('name');
    if (!/^[\w.-]+\.eml$/.test(name)) throw new NotFoundError('There is no such message.');
    const raw = await mail.readMailFile(name);
    // Shown as text: a message's HTML part never runs in the workspace.
    return c.body(new Uint8Array(raw), 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' });
  });

  return { nav: { href: '/admin/mail', label: 'Email', allowed: canReadMail }, routes };
}
