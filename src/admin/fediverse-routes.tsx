// The workspace's Fediverse page: follow an account, see followers (each with a block button),
// blocked servers and accounts, and what people followed published, with a box to answer them.
import { Hono } from 'hono';
import { ForbiddenError } from '../errors.js';
import type { FederationService, ReactionKind } from '../federation/federation-service.js';
import { textOfHtml } from '../federation/html-text.js';
import { dateTime } from '../web/format.js';
import { readForm } from '../web/request-body.js';
import { CsrfField, FormMessage, workspacePage } from './admin-layout.js';
import { canWritePosts } from './admin-permissions.js';
import { staffOf } from './workspace-auth.js';
import type { WorkspaceEnv } from './workspace-env.js';
import type { WorkspaceSection } from './workspace-routes.js';

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const DONE: Record<string, string> = {
  followed: 'A follow request was sent; their posts appear here once they accept.',
  blocked: 'Blocked: nothing from there is taken in any more, and it no longer follows anyone here.',
  unblocked: 'The block is lifted.',
  answered: 'Your answer was sent.',
  liked: 'Your like was sent.',
  unliked: 'Your like was taken back.',
  announced: 'Your boost was sent to your followers.',
  edited: 'Your answer was changed; its reader is sent the new words.',
  deleted: 'Your answer was deleted; its reader is told.',
  unannounced: 'Your boost was taken back.',
};

/** Like, Boost, or taking either back: one small form per action on a post from someone followed. */
function ReactionForm(props: { csrf: string; objectId: string; kind: ReactionKind; sent: boolean; title: string }) {
  const label = props.kind === 'like' ? (props.sent ? 'Unlike' : 'Like') : props.sent ? 'Undo boost' : 'Boost';
  return (
    <form method="post" action="/admin/fediverse/react" class="ws-inline-form">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="object" value={props.objectId} />
      <input type="hidden" name="kind" value={props.kind} />
      {props.sent ? <input type="hidden" name="undo" value="1" /> : null}
      <button type="submit" aria-pressed={props.sent ? 'true' : 'false'}>
        {label}
        <span class="visually-hidden"> “{props.title}”</span>
      </button>
    </form>
  );
}

export function fediverseSection(deps: { federation: FederationService }): WorkspaceSection {
  const { federation } = deps;
  const routes = new Hono<WorkspaceEnv>();
  for (const path of ['/fediverse', '/fediverse/*']) {
    routes.use(path, async (c, next) => {
      if (!canWritePosts(staffOf(c))) throw new ForbiddenError('Only authors and the owner use the fediverse page.');
      await next();
    });
  }

  routes.get('/fediverse', async (c) => {
    const me = staffOf(c);
    const [{ followers, following, blocks, received, reactions }, sent, answers] = await Promise.all([
      federation.overview(),
      federation.sentReactions(me),
      federation.answers(me),
    ]);
    const csrf = c.get('csrfToken');
    const done = DONE[c.req.query('done') ?? ''];
    const host = new URL(c.req.url).host;
    return workspacePage(c, {
      title: 'Fediverse',
      children: (
        <>
          <h1>Fediverse</h1>
          {done ? <FormMessage kind="notice" message={done} /> : null}
          <p>
            Readers on Mastodon and other fediverse servers follow you as{' '}
            <strong>
              @{me.slug}@{host}
            </strong>
            , and the whole site as <strong>@site@{host}</strong>. Their replies to your posts come into the thread and your inbox.
          </p>
          <section aria-labelledby="follow-heading">
            <h2 id="follow-heading">Follow someone</h2>
            <form method="post" action="/admin/fediverse/follow" class="ws-inline-form">
              <CsrfField token={csrf} />
              <label for="fed-target">Handle or profile address</label>
              <input id="fed-target" name="target" required placeholder="@maya@example.social" />
              <button type="submit">Follow</button>
            </form>
            {following.length > 0 ? (
              <ul class="fed-following">
                {following.map((f) => (
                  <li>
                    {f.remote_name} <span class="fed-handle">{f.remote_handle}</span>{' '}
                    {f.status === 'pending' ? '(waiting for them to accept)' : ''}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
          <section aria-labelledby="received-heading">
            <h2 id="received-heading">From people you follow</h2>
            {received.length === 0 ? <p>Nothing yet.</p> : null}
            <ul class="fed-received">
              {received.map((r) => (
                <li class="fed-item">
                  <p>
                    <strong>{r.actor_name}</strong> <span class="fed-handle">{r.actor_handle}</span> · {dateTime(r.published_at)}
                    {r.kind === 'note' ? ' · answered you' : ''}
                  </p>
                  {r.name ? (
                    <h3>
                      <a href={r.url}>{r.name}</a>
                    </h3>
                  ) : null}
                  <div class="fed-content">{textOfHtml(r.content).slice(0, 600)}</div>
                  {r.kind === 'article' ? (
                    <div class="fed-reacting">
                      {(['like', 'announce'] as const).map((kind) => (
                        <ReactionForm
                          csrf={csrf}
                          objectId={r.object_id}
                          kind={kind}
                          sent={sent.has(`${kind} ${r.object_id}`)}
                          title={r.name ?? r.actor_handle}
                        />
                      ))}
                    </div>
                  ) : null}
                  <form method="post" action="/admin/fediverse/answer">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="object" value={r.object_id} />
                    <label for={`fed-answer-${r.received_at}`}>Answer</label>
                    <textarea id={`fed-answer-${r.received_at}`} name="text" rows={3} required />
                    <button type="submit">Send answer</button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
          {answers.length > 0 ? (
            <section aria-labelledby="answers-heading">
              <h2 id="answers-heading">Your answers</h2>
              <ul class="fed-answers">
                {answers.map((n) => (
                  <li class="fed-item">
                    <p>
                      {dateTime(n.created_at)}
                      {n.updated_at ? ` · edited ${dateTime(n.updated_at)}` : ''} · in answer to <a href={n.in_reply_to}>{n.in_reply_to}</a>
                    </p>
                    <form method="post" action="/admin/fediverse/answers/edit">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="note" value={n.id} />
                      <label for={`fed-edit-${n.id}`}>Your words</label>
                      <textarea id={`fed-edit-${n.id}`} name="text" rows={3} required>
                        {textOfHtml(n.content)}
                      </textarea>
                      <button type="submit">Save changes</button>
                    </form>
                    <form method="post" action="/admin/fediverse/answers/delete">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="note" value={n.id} />
                      <button type="submit">Delete answer</button>
                    </form>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="reactions-heading">
            <h2 id="reactions-heading">Likes and boosts</h2>
            {reactions.length === 0 ? <p>No post has been liked or boosted on the fediverse yet.</p> : null}
            <ul class="fed-reactions">
              {reactions.map((r) => (
                <li>
                  <a href={`/${r.slug}/`}>{r.title}</a>: {r.likes} {r.likes === 1 ? 'like' : 'likes'}, {r.boosts}{' '}
                  {r.boosts === 1 ? 'boost' : 'boosts'}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="followers-heading">
            <h2 id="followers-heading">Followers ({followers.length})</h2>
            <table class="ws-table">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Follows</th>
                  <th scope="col">
                    <span class="visually-hidden">Block</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {followers.map((f) => (
                  <tr>
                    <td>
                      {f.remote_name} <span class="fed-handle">{f.remote_handle}</span>
                    </td>
                    <td>@{f.local_handle}</td>
                    <td>
                      <form method="post" action="/admin/fediverse/block">
                        <CsrfField token={csrf} />
                        <input type="hidden" name="target" value={f.remote_actor} />
                        <button type="submit">Block account</button>
                      </form>
                      <form method="post" action="/admin/fediverse/block">
                        <CsrfField token={csrf} />
                        <input type="hidden" name="target" value={new URL(f.remote_actor).host} />
                        <button type="submit">Block server</button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="blocks-heading">
            <h2 id="blocks-heading">Blocked</h2>
            <form method="post" action="/admin/fediverse/block" class="ws-inline-form">
              <CsrfField token={csrf} />
              <label for="fed-block">Server or account address</label>
              <input id="fed-block" name="target" required placeholder="spam.example" />
              <button type="submit">Block</button>
            </form>
            <ul>
              {blocks.map((b) => (
                <li>
                  {b.target} ({b.kind === 'domain' ? 'server' : 'account'})
                  <form method="post" action="/admin/fediverse/unblock" class="ws-inline-form">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="target" value={b.target} />
                    <button type="submit">Unblock</button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        </>
      ),
    });
  });

  routes.post('/fediverse/follow', async (c) => {
    await federation.follow(staffOf(c), text((await readForm(c)).target));
    return c.redirect('/admin/fediverse?done=followed', 303);
  });
  routes.post('/fediverse/answer', async (c) => {
    const form = await readForm(c);
    await federation.answer(staffOf(c), text(form.object), text(form.text));
    return c.redirect('/admin/fediverse?done=answered', 303);
  });
  routes.post('/fediverse/react', async (c) => {
    const form = await readForm(c);
    const kind: ReactionKind = text(form.kind) === 'announce' ? 'announce' : 'like';
    const undo = text(form.undo) === '1';
    await federation.react(staffOf(c), text(form.object), kind, undo);
    return c.redirect(`/admin/fediverse?done=${undo ? 'un' : ''}${kind === 'like' ? 'liked' : 'announced'}`, 303);
  });
  routes.post('/fediverse/answers/edit', async (c) => {
    const form = await readForm(c);
    await federation.editAnswer(staffOf(c), text(form.note), text(form.text));
    return c.redirect('/admin/fediverse?done=edited', 303);
  });
  routes.post('/fediverse/answers/delete', async (c) => {
    await federation.deleteAnswer(staffOf(c), text((await readForm(c)).note));
    return c.redirect('/admin/fediverse?done=deleted', 303);
  });
  routes.post('/fediverse/block', async (c) => {
    await federation.block(text((await readForm(c)).target));
    return c.redirect('/admin/fediverse?done=blocked', 303);
  });
  routes.post('/fediverse/unblock', async (c) => {
    await federation.unblock(text((await readForm(c)).target));
    return c.redirect('/admin/fediverse?done=unblocked', 303);
  });

  return { nav: { href: '/admin/fediverse', label: 'Fediverse', allowed: canWritePosts }, routes };
}
