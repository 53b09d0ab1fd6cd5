// The settings page (owner only): one form per section, each saved on its own.
import { Hono } from 'hono';
import { InvalidError, NotFoundError } from '../errors.js';
import { allow } from '../web/api.js';
import { readForm } from '../web/request-body.js';
import { CsrfField, FormMessage, workspacePage } from './admin-layout.js';
import { canChangeSettings } from './admin-permissions.js';
import type { FormStrings, SettingsSection } from './settings-sections.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';

interface Submitted {
  id: string;
  values: FormStrings;
  errors: Record<string, string>;
  message: string;
}

export function settingsRoutes(sections: readonly SettingsSection[]) {
  const app = new Hono<WorkspaceEnv>();
  for (const path of ['/settings', '/settings/*']) {
    app.use(path, async (c, next) => {
      allow(canChangeSettings(staffOf(c)), 'Only the owner changes the settings.');
      await next();
    });
  }

  async function page(c: Parameters<typeof workspacePage>[0], submitted?: Submitted) {
    const loaded = await Promise.all(sections.map(async (s) => (submitted?.id === s.id ? submitted.values : s.load())));
    const saved = c.req.query('saved');
    return workspacePage(
      c,
      {
        title: 'Settings',
        children: (
          <>
            <h1>Settings</h1>
            {sections.length > 1 ? (
              <nav aria-label="Sections" class="ws-subnav">
                <ul>
                  {sections.map((s) => (
                    <li>
                      <a href={`#section-${s.id}`}>{s.title}</a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {sections.map((s, i) => (
              <section id={`section-${s.id}`} class="ws-section" aria-labelledby={`section-${s.id}-title`}>
                <h2 id={`section-${s.id}-title`}>{s.title}</h2>
                {saved === s.id ? <FormMessage kind="notice" message={`${s.title} settings saved.`} /> : null}
                {submitted?.id === s.id ? <FormMessage message={submitted.message} /> : null}
                <form method="post" action={`/admin/settings/${s.id}`} class="ws-form">
                  <CsrfField token={c.get('csrfToken')} />
                  {s.fields(loaded[i] as FormStrings, submitted?.id === s.id ? submitted.errors : {})}
                  <button type="submit">Save {s.title.toLowerCase()} settings</button>
                </form>
              </section>
            ))}
          </>
        ),
      },
      submitted ? 422 : 200,
    );
  }

  app.get('/settings', (c) => page(c));

  app.post('/settings/:section', async (c) => {
    const section = sections.find((s) => s.id === c.req.param('section'));
    if (!section) throw new NotFoundError('There is no such settings section.');
    const body = await readForm(c);
    const values: FormStrings = Object.fromEntries(
      Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' && k !== '_csrf' ? [[k, v]] : [])),
    );
    try {
      await section.save(values);
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err;
      return page(c, { id: section.id, values, errors: err.fields, message: err.message });
    }
    return c.redirect(`/admin/settings?saved=${section.id}#section-${section.id}`, 303);
  });

  return app;
}
