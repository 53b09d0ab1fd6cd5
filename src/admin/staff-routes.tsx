// The staff page (owner only): who works on the site, inviting someone, changing a role, removing.
import { Hono } from 'hono';
import { z } from 'zod';
import type { Staff } from '../accounts/accounts-service.js';
import type { AuthService } from '../accounts/auth-service.js';
import { STAFF_ROLES } from '../db/tables.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { EMAIL_TOO_LONG, MAX_EMAIL_LENGTH } from '../text/email.js';
import { allow } from '../web/api.js';
import { readForm } from '../web/request-body.js';
import { CsrfField, describedBy, Field, FormMessage, workspacePage } from './admin-layout.js';
import { canManageStaff } from './admin-permissions.js';
import { fieldErrors } from './post-form.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

const inviteForm = z.object({
  email: z
    .string()
    .max(MAX_EMAIL_LENGTH, EMAIL_TOO_LONG)
    .pipe(z.email({ message: 'Enter an address like name@example.com.' })),
  name: z.string().trim().min(1, 'Enter a name.').max(100, 'The name must be at most 100 characters.'),
  role: z.enum(STAFF_ROLES, { message: 'Choose a role.' }),
});

const ROLE_HELP: Record<(typeof STAFF_ROLES)[number], string> = {
  owner: 'Owner: everything',
  author: 'Author: her own posts and their comments',
  moderator: 'Moderator: all public comments, no posts',
};

type Invite = { email: string; name: string; role: string };

function RoleSelect(props: { id: string; value: string; label?: string }) {
  return (
    <select id={props.id} name="role" aria-label={props.label}>
      {STAFF_ROLES.map((r) => (
        <option value={r} selected={props.value === r}>
          {ROLE_HELP[r]}
        </option>
      ))}
    </select>
  );
}

function StaffPage(props: {
  staff: Staff[];
  me: Staff;
  csrfToken: string;
  invite: Invite;
  errors: Record<string, string>;
  message?: string | undefined;
  notice?: string | undefined;
}) {
  const { errors, invite } = props;
  return (
    <>
      <h1>Staff</h1>
      <FormMessage message={props.notice} kind="notice" />
      <table class="ws-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.staff.map((s) => (
            <tr data-staff-id={s.id}>
              <td>{s.name}</td>
              <td>{s.email}</td>
              <td>
                <form method="post" action={`/admin/staff/${s.id}/role`} class="ws-inline-form">
                  <CsrfField token={props.csrfToken} />
                  <RoleSelect id={`role-${s.id}`} value={s.role} label={`Role of ${s.name}`} />
                  <button type="submit" class="secondary">
                    Change<span class="visually-hidden"> the role of {s.name}</span>
                  </button>
                </form>
              </td>
              <td>
                {s.id === props.me.id ? (
                  'You'
                ) : (
                  <a href={`/admin/staff/${s.id}/remove`}>
                    Remove<span class="visually-hidden"> {s.name}</span>
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="ws-section" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        <p>They get an email with a link to choose a password. The link works for seven days.</p>
        <FormMessage message={props.message} />
        <form method="post" action="/admin/staff/invite" class="ws-form">
          <CsrfField token={props.csrfToken} />
          <Field id="invite-email" label="Email" error={errors.email}>
            <input
              id="invite-email"
              name="email"
              type="email"
              value={invite.email}
              aria-invalid={errors.email ? 'true' : undefined}
              aria-describedby={describedBy('invite-email', { error: errors.email })}
            />
          </Field>
          <Field id="invite-name" label="Name" error={errors.name}>
            <input
              id="invite-name"
              name="name"
              value={invite.name}
              aria-invalid={errors.name ? 'true' : undefined}
              aria-describedby={describedBy('invite-name', { error: errors.name })}
            />
          </Field>
          <Field id="invite-role" label="Role" error={errors.role}>
            <RoleSelect id="invite-role" value={invite.role || 'author'} />
          </Field>
          <button type="submit">Send the invitation</button>
        </form>
      </section>
    </>
  );
}

const NOTICES: Record<string, string> = {
  invited: 'Invitation sent.',
  role: 'Role changed.',
  removed: 'Removed from the staff.',
};

export function staffRoutes(deps: { auth: AuthService }) {
  const { auth } = deps;
  const app = new Hono<WorkspaceEnv>();
  for (const path of ['/staff', '/staff/*']) {
    app.use(path, async (c, next) => {
      allow(canManageStaff(staffOf(c)), 'Only the owner manages the staff.');
      await next();
    });
  }

  const page = async (
    c: Parameters<typeof workspacePage>[0],
    form: { invite?: Invite; errors?: Record<string, string>; message?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const me = staffOf(c);
    return workspacePage(
      c,
      {
        title: 'Staff',
        children: (
          <StaffPage
            staff={await auth.staff(me)}
            me={me}
            csrfToken={c.get('csrfToken')}
            invite={form.invite ?? { email: '', name: '', role: 'author' }}
            errors={form.errors ?? {}}
            message={form.message}
            notice={NOTICES[c.req.query('done') ?? '']}
          />
        ),
      },
      status,
    );
  };

  app.get('/staff', (c) => page(c));

  app.post('/staff/invite', async (c) => {
    const body = await readForm(c);
    const invite = { email: String(body.email ?? ''), name: String(body.name ?? ''), role: String(body.role ?? '') };
    const parsed = inviteForm.safeParse(invite);
    if (!parsed.success) return page(c, { invite, errors: fieldErrors(parsed.error), message: 'Some fields need attention.' }, 422);
    try {
      await auth.invite(staffOf(c), parsed.data);
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      return page(c, { invite, errors: err.fields, message: err.message }, 422);
    }
    return c.redirect('/admin/staff?done=invited', 303);
  });

  app.post('/staff/:id/role', async (c) => {
    const role = z.enum(STAFF_ROLES).safeParse((await readForm(c)).role);
    if (!role.success) throw new InvalidError('Choose a role.', { role: 'unknown role' });
    try {
      await auth.changeRole(staffOf(c), c.req.param('id'), role.data);
    } catch (err) {
      if (err instanceof ConflictError) return page(c, { message: err.message }, 409);
      throw err;
    }
    return c.redirect('/admin/staff?done=role', 303);
  });

  app.get('/staff/:id/remove', async (c) => {
    const me = staffOf(c);
    const target = (await auth.staff(me)).find((s) => s.id === c.req.param('id'));
    if (!target) throw new NotFoundError('No staff member has this id.');
    return workspacePage(c, {
      title: `Remove ${target.name}`,
      children: (
        <>
          <h1>Remove {target.name}?</h1>
          <p>
            {target.name} will no longer be able to sign in, and her API tokens stop working. Her posts stay on the site under your name;
            her comments stay as written.
          </p>
          <form method="post" action={`/admin/staff/${target.id}/remove`} class="ws-actions">
            <CsrfField token={c.get('csrfToken')} />
            <button type="submit" class="danger">
              Remove {target.name}
            </button>
            <a href="/admin/staff">Keep {target.name}</a>
          </form>
        </>
      ),
    });
  });

  app.post('/staff/:id/remove', async (c) => {
    try {
      await auth.remove(staffOf(c), c.req.param('id'));
    } catch (err) {
      if (err instanceof ConflictError) return page(c, { message: err.message }, 409);
      throw err;
    }
    return c.redirect('/admin/staff?done=removed', 303);
  });

  return app;
}
