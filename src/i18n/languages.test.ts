import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser } from '../../test/cookie-jar.js';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { loadPage, reader, sendComment } from '../../test/kits/comments.js';
import { testWorker, writeComment } from '../../test/kits/notify.js';
import { linksIn, recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import { editorFields } from '../../test/workspace-forms.js';
import type { Staff } from '../accounts/accounts-service.js';
import type { PostRow } from '../db/tables.js';

const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0] ?? '';

describe('a site in Arabic', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let author: Staff;
  let post: PostRow;

  before(async () => {
    smtp = await startTestSmtp();
    t = await testApp();
    author = await makeStaff(t, 'author', 'Rosa Vale');
    post = await makePost(t, author, { title: 'عن الانتظار', slug: 'waiting', markdown: 'كم ننتظر؟' });
    await t.services.settings.updateSite({ language: 'ar' });
    await t.services.conversationSettings.update({ hold: 'none' });
    for (const name of ['Maya', 'Omar', 'Lina']) {
      assert.equal((await sendComment(t, 'waiting', { ...reader(name), body: `${name} يكتب هنا.` })).status, 303);
    }
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('renders every public page right to left, in Arabic', async () => {
    for (const path of ['/', '/waiting/', '/archive/', '/search?q=test']) {
      const { res, html } = await loadPage(t, path);
      assert.equal(res.status, 200, path);
      assert.equal(htmlTag(html), '<html lang="ar" dir="rtl">', path);
      assert.match(html, /انتقل إلى المحتوى/, `${path}: the skip link`);
    }
  });

  it('shows the conversation in Arabic: counts by Arabic plural rules, dates, badges and the form', async () => {
    const { html } = await loadPage(t, '/waiting/');
    assert.match(html, /<h2 id="comments-heading">3 تعليقات<\/h2>/);
    assert.match(html, /<label for="respond-body">تعليقك<\/label>/);
    assert.match(html, /<button type="submit">انشر التعليق<\/button>/);
    assert.match(html, /راسلني بالردود/);
    // The date of each comment, written by Intl in Arabic (the month is March: مارس).
    assert.match(html, /<time datetime="2026-03-01T[^"]+" title="[^"]*مارس[^"]*">[^<]*مارس[^<]*<\/time>/);
    assert.doesNotMatch(html, /Leave a comment|Your comment|Post comment|No comments yet/);
  });

  it('tells a reader what to fix in Arabic, keeping her words', async () => {
    const res = await sendComment(t, 'waiting', { body: 'كلماتي هنا', name: '', email: 'not-an-address' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.equal(htmlTag(html), '<html lang="ar" dir="rtl">');
    assert.match(html, /بعض الحقول تحتاج إلى مراجعة\./);
    assert.match(html, /أخبرنا باسمك\./);
    assert.match(html, /اكتب عنوان بريد مثل name@example\.com/);
    assert.match(html, /كلماتي هنا<\/textarea>/);
  });

  it('answers a missing page with an Arabic error page', async () => {
    const res = await t.request('/no-such-page/');
    assert.equal(res.status, 404);
    const html = await res.text();
    assert.equal(htmlTag(html), '<html lang="ar" dir="rtl">');
    assert.match(html, /<h1>الصفحة غير موجودة<\/h1>/);
    assert.match(html, /لا يوجد شيء في هذا العنوان\./);
  });

  it('names the language in its feeds', async () => {
    assert.match(await (await t.request('/feed.xml')).text(), /<language>ar<\/language>/);
    assert.equal(((await (await t.request('/feed.json')).json()) as { language?: string }).language, 'ar');
  });

  it('keeps the workspace in English', async () => {
    const res = await t.request('/admin/sign-in');
    const html = await res.text();
    assert.equal(htmlTag(html), '<html lang="en" dir="ltr">');
  });

  it('writes to readers in Arabic, right to left', async () => {
    const worker = testWorker(t, { smtpUrl: smtp.url });
    await writeComment(t, { post, name: 'Huda', email: 'huda@example.org', notify: true, markdown: 'أخبروني بالردود.' });
    await worker.drainUntilIdle();
    const mail = smtp.messages.find((m) => recipient(m) === 'huda@example.org');
    assert.ok(mail, 'the confirmation was sent');
    assert.equal(mail.subject, 'تأكيد: راسلني بالردود على «عن الانتظار»');
    assert.match(String(mail.html), /<html lang="ar" dir="rtl">/);
    assert.match(String(mail.html), /نعم، راسلني بالردود/);
    assert.match(mail.text ?? '', /طلبت أن نخبرك بالبريد/);
    const confirm = linksIn(mail, TEST_BASE_URL).find((l) => l.includes('/subscribe/confirm'));
    assert.ok(confirm, 'the email links to the confirmation page');
    const page = await (await t.request(confirm)).text();
    assert.equal(htmlTag(page), '<html lang="ar" dir="rtl">');
    assert.match(page, /<h1>أكّد اشتراكك<\/h1>/);
    assert.match(page, /<button type="submit">تأكيد<\/button>/);
  });
});

describe('a Spanish post on an English site', () => {
  let t: TestApp;
  let post: PostRow;
  let english: PostRow;

  before(async () => {
    t = await testApp();
    const author = await makeStaff(t, 'author', 'Rosa Vale');
    post = await makePost(t, author, { title: 'Sobre la espera', slug: 'la-espera', markdown: '¿Cuánto esperamos?' });
    english = await makePost(t, author, { title: 'On waiting', slug: 'on-waiting', markdown: 'How long?' });
    await t.services.conversationSettings.update({ hold: 'none' });
    for (const target of [post, english]) {
      for (const name of ['Maya', 'Omar']) {
        assert.equal((await sendComment(t, target.slug, { ...reader(name), body: `${name} was here.` })).status, 303);
      }
    }
    // The English page first, so its threads' HTML is kept in English.
    await loadPage(t, '/la-espera/');
    await t.services.threadHtml.idle();
    await t.conn.db.updateTable('posts').set({ language: 'es' }).where('id', '=', post.id).execute();
  });
  after(() => t.close());

  it('shows its conversation in Spanish: heading, dates, actions and form, in a page marked Spanish', async () => {
    const { html } = await loadPage(t, '/la-espera/');
    assert.equal(htmlTag(html), '<html lang="es" dir="ltr">');
    assert.match(html, /<h2 id="comments-heading">2 comentarios<\/h2>/);
    assert.match(html, /<time datetime="2026-03-01T[^"]+" title="[^"]*">1 de marzo de 2026<\/time>/);
    assert.match(html, /class="reply-link"[^>]*>Responder<span class="visually-hidden"> a Maya<\/span>/);
    assert.match(html, /<h3 id="respond-heading">Deja un comentario<\/h3>/);
    assert.match(html, /<label for="respond-email">Correo electrónico<\/label>/);
    assert.doesNotMatch(html, /replying to|Leave a comment|>Reply</);
  });

  it('sends a comment arriving live in Spanish too', async () => {
    const [comment] = await t.conn.db.selectFrom('comments').select('id').where('post_id', '=', post.id).execute();
    const res = await t.request(`/la-espera/comments/${comment?.id}/fragment`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /class="reply-link"[^>]*>Responder<span class="visually-hidden"> a /);
    assert.doesNotMatch(html, />Reply</);
  });

  it('keeps the thread HTML per language: the Spanish page never shows what was kept in English', async () => {
    await t.services.threadHtml.idle();
    const kept = await t.conn.db.selectFrom('threads').select(['html_key', 'public_html']).where('post_id', '=', post.id).execute();
    assert.equal(kept.length, 2);
    for (const thread of kept) {
      assert.match(thread.html_key ?? '', /:es$/);
      assert.match(thread.public_html ?? '', />Responder</);
    }
    const { html } = await loadPage(t, '/la-espera/');
    assert.match(html, />Responder</);
  });

  it('leaves the site and its other posts in English', async () => {
    const { html } = await loadPage(t, '/on-waiting/');
    assert.equal(htmlTag(html), '<html lang="en" dir="ltr">');
    assert.match(html, /<h2 id="comments-heading">2 comments<\/h2>/);
    assert.match(html, />March 1, 2026<\/time>/);
  });

  it('answers a Spanish reader in Spanish when the form needs fixing', async () => {
    const res = await sendComment(t, 'la-espera', { body: 'Mis palabras', name: '', email: 'maya@example.org' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /Algunos campos necesitan atención\./);
    assert.match(html, /Dinos tu nombre\./);
  });

  it('tells a Spanish reader in Spanish that her comment is too long, keeping every word', async () => {
    const body = 'palabra '.repeat(1_300);
    const res = await sendComment(t, 'la-espera', { ...reader('Maya'), body });
    assert.equal(res.status, 413);
    const html = await res.text();
    assert.equal(htmlTag(html), '<html lang="es" dir="ltr">');
    assert.match(html, /<h1>Tu comentario es demasiado largo<\/h1>/);
    assert.match(html, /Tu comentario tiene 10[.\u00a0]?399 caracteres; el límite es 10[.\u00a0]?000\./);
    assert.match(html, /Como máximo 10[.\u00a0]?000 caracteres\./);
    assert.ok(html.includes(body.trim()));
  });
});

describe('choosing languages in the workspace', () => {
  let t: TestApp;
  let owner: Browser;
  before(async () => {
    t = await testApp();
    const staff = await makeStaff(t, 'owner', 'Olive Owner');
    owner = new Browser(t);
    await owner.signIn(staff.email);
  });
  after(() => t.close());

  it('sets the site language in the settings, which readers then read', async () => {
    const form = await (await owner.get('/admin/settings')).text();
    assert.match(form, /<option value="fr" lang="fr">Français<\/option>/);
    const site = { title: 'Hearth', description: 'Essais.', navigation: 'Accueil|/', footer: '', postsPerPage: '10' };
    assert.equal((await owner.post('/admin/settings/site', { ...site, language: 'fr' })).status, 303);
    assert.equal((await t.services.settings.site()).language, 'fr');
    assert.equal(htmlTag(await (await t.request('/')).text()), '<html lang="fr" dir="ltr">');
    const wrong = await owner.post('/admin/settings/site', { ...site, language: 'xx' });
    assert.equal(wrong.status, 422);
    assert.match(await wrong.text(), /Choose one of the languages listed\./);
    assert.equal((await t.services.settings.site()).language, 'fr', 'nothing was saved');
  });

  it('gives a post its own language in the editor; the workspace itself stays English', async () => {
    await owner.get('/admin/posts/new');
    const created = await owner.post(
      '/admin/posts/new',
      editorFields({ title: 'Sobre la espera', slug: 'la-espera', markdown: 'Esperamos.', language: 'es', intent: 'publish' }),
    );
    assert.equal(created.status, 303);
    const page = await (await t.request('/la-espera/')).text();
    assert.equal(htmlTag(page), '<html lang="es" dir="ltr">');
    assert.match(page, /Deja un comentario/);
    const id = /\/admin\/posts\/([0-9a-f-]{36})/.exec(created.headers.get('location') ?? '')?.[1];
    const editor = await (await owner.get(`/admin/posts/${id}`)).text();
    assert.equal(htmlTag(editor), '<html lang="en" dir="ltr">');
    assert.match(editor, /<option value="es" selected="" lang="es">Español<\/option>/);
  });

  it('writes the workspace dates in the staff member’s own locale', async () => {
    const list = (lang: string) => owner.request('/admin/posts', { headers: { 'accept-language': lang } }).then((r) => r.text());
    assert.match(await list('en-US,en;q=0.9'), /Published Mar 1, 2026, 9:00\sAM UTC/);
    assert.match(await list('de-DE,de;q=0.9,en;q=0.5'), /Published 1\. März 2026, 09:00 UTC/);
    assert.match(await list('xx-nothing, fr;q=0.4'), /Published 1 mars 2026, 09:00 UTC/);
  });
});
