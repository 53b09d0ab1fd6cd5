// The workspace's side of replies by email (owner only, under /admin/mail like the Email page):
// the reply address, whether replies by email work, and "mail we could not place", each message
// with its reason and the actions to place it anyway or dismiss it.
import { type Context, Hono } from 'hono';
import type { Staff } from '../accounts/accounts-service.js';
import { CsrfField, describedBy, Field, FormMessage, workspacePage } from '../admin/admin-layout.js';
import { staffOf } from '../admin/workspace-auth.js';
import type { WorkspaceEnv } from '../admin/workspace-env.js';
import type { WorkspaceSection } from '../admin/workspace-routes.js';
import { ForbiddenError, HearthError, InvalidError } from '../errors.js';
import { dateTime } from '../web/format.js';
import { readForm } from '../web/request-body.js';
import type { MailInService } from './mailin-service.js';

const canManage = (actor: Pick<Staff, 'role'>) => actor.role === 'owner';
const ID = '[0-9a-f-]{36}';
const SHOWN = 100;
const DOORS = { smtp: 'an SMTP listener', pipe: '"hearth mail receive"', imap: 'IMAP polling' } as const;

/** For the Email page: whether replies by email work, and where to set them up. */
export async function RepliesByEmail(props: { mailIn: MailInService; doors: readonly string[] }) {
  const [{ replyAddress }, { total }, last] = await Promise.all([
    props.mailIn.settings(),
    props.mailIn.unplaced(1),
    props.mailIn.lastReceived(),
  ]);
  // A pipe from the MTA runs in processes of its own: what arrived lately says it works too.
  const doors = [...props.doors, ...(last && props.doors.length === 0 ? [`${DOORS[last.via]} in another process`] : [])];
  const works = replyAddress !== '' && doors.length > 0;
  return (
    <section aria-labelledby="replies-heading">
      <h2 id="replies-heading">Replies by email</h2>
      <p id="replies-status">
        {works
          ? `Working: conversation emails say Reply-To ${replyAddress.replace('@', '+…@')}, and replies come in through ${doors.join(' and ')}.`
          : replyAddress === ''
            ? 'Off: no reply address is set, so emails carry no Reply-To and answers by email go nowhere.'
            : `Not working yet: emails say Reply-To ${replyAddress.replace('@', '+…@')}, but this process receives no mail (set HEARTH_SMTP_LISTEN or HEARTH_IMAP_URL, or pipe mail to "hearth mail receive").`}
      </p>
      {last ? <p>The last message came in {dateTime(last.at)}.</p> : null}
      <p>
        <a href="/admin/mail/replies">Set the reply address</a> · <a href="/admin/mail/unplaced">Mail we could not place ({total})</a>
      </p>
    </section>
  );
}

export function mailInSection(deps: { mailIn: MailInService; doors: readonly string[] }): WorkspaceSection {
  const { mailIn } = deps;
  const routes = new Hono<WorkspaceEnv>();
  for (const path of ['/mail/replies', '/mail/unplaced', '/mail/unplaced/*']) {
    routes.use(path, async (c, next) => {
      if (!canManage(staffOf(c))) throw new ForbiddenError('Only the owner manages replies by email.');
      await next();
    });
  }

  const settingsPage = async (c: Context<WorkspaceEnv>, value?: string, error?: string, saved = false) => {
    const current = value ?? (await mailIn.settings()).replyAddress;
    return workspacePage(
      c,
      {
        title: 'Replies by email',
        children: (
          <>
            <h1>Replies by email</h1>
            {saved ? <FormMessage kind="notice" message="The reply address is saved." /> : null}
            {error ? <FormMessage message="The reply address needs attention." /> : null}
            <p>
              Conversation emails (a reply to a reader, a new comment and the digests to staff) say Reply-To with this address plus a signed
              token, like <code>reply+k3…@mail.example.com</code>. Mail to it must reach Hearth: point the domain’s MX record at the SMTP
              listener, pipe it to <code>hearth mail receive</code>, or let Hearth poll a mailbox over IMAP.
            </p>
            <form method="post" action="/admin/mail/replies">
              <CsrfField token={c.get('csrfToken')} />
              <Field id="replyAddress" label="Reply address" error={error} hint="Leave it empty to turn replies by email off.">
                <input
                  id="replyAddress"
                  name="replyAddress"
                  type="email"
                  value={current}
                  aria-describedby={describedBy('replyAddress', { error, hint: 'yes' })}
                  aria-invalid={error ? 'true' : undefined}
                />
              </Field>
              <button type="submit">Save</button>
            </form>
            <p>
              <a href="/admin/mail">Back to Email</a>
            </p>
          </>
        ),
      },
      error ? 422 : 200,
    );
  };

  routes.get('/mail/replies', (c) => settingsPage(c, undefined, undefined, c.req.query('done') === 'saved'));
  routes.post('/mail/replies', async (c) => {
    const form = await readForm(c);
    const value = typeof form.replyAddress === 'string' ? form.replyAddress : '';
    try {
      await mailIn.setReplyAddress(value);
    } catch (err) {
      if (err instanceof InvalidError) return settingsPage(c, value, err.fields.replyAddress ?? err.message);
      throw err;
    }
    return c.redirect('/admin/mail/replies?done=saved', 303);
  });

  routes.get('/mail/unplaced', async (c) => {
    const { rows, total } = await mailIn.unplaced(SHOWN);
    const done = c.req.query('done');
    const problem = c.req.query('problem');
    return workspacePage(c, {
      title: 'Mail we could not place',
      children: (
        <>
          <h1>Mail we could not place</h1>
          {done === 'placed' ? <FormMessage kind="notice" message="The message is now a comment." /> : null}
          {done === 'dismissed' ? <FormMessage kind="notice" message="The message is dismissed." /> : null}
          {problem ? <FormMessage message={problem} /> : null}
          {rows.length === 0 ? (
            <p>Every message that came in to the reply address became a comment.</p>
          ) : (
            <>
              <p>
                {total} {total === 1 ? 'message' : 'messages'} did not become comments. Each says why; place one anyway when you trust it,
                or dismiss it.
              </p>
              <table class="ws-table" id="unplaced">
                <thead>
                  <tr>
                    <th scope="col">Received</th>
                    <th scope="col">From</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Why not</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr class="unplaced-mail" data-outcome={row.outcome}>
                      <td>{dateTime(row.received_at)}</td>
                      <td>{row.from_address || '—'}</td>
                      <td>{row.subject || '(no subject)'}</td>
                      <td class="unplaced-reason">{row.reason}</td>
                      <td>
                        {row.target_comment_id && row.words ? (
                          <form method="post" action={`/admin/mail/unplaced/${row.id}/place`}>
                            <CsrfField token={c.get('csrfToken')} />
                            <button type="submit">Place it</button>
                          </form>
                        ) : null}
                        <form method="post" action={`/admin/mail/unplaced/${row.id}/dismiss`}>
                          <CsrfField token={c.get('csrfToken')} />
                          <button type="submit">Dismiss</button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <p>
            <a href="/admin/mail">Back to Email</a>
          </p>
        </>
      ),
    });
  });

  routes.post(`/mail/unplaced/:id{${ID}}/place`, async (c) => {
    await readForm(c);
    try {
      await mailIn.place(c.req.param('id'), staffOf(c));
    } catch (err) {
      if (err instanceof HearthError && err.status < 500) {
        return c.redirect(`/admin/mail/unplaced?problem=${encodeURIComponent(err.message)}`, 303);
      }
      throw err;
    }
    return c.redirect('/admin/mail/unplaced?done=placed', 303);
  });

  routes.post(`/mail/unplaced/:id{${ID}}/dismiss`, async (c) => {
    await readForm(c);
    await mailIn.dismiss(c.req.param('id'));
    return c.redirect('/admin/mail/unplaced?done=dismissed', 303);
  });

  return { routes };
}
