// A site set to Arabic speaks Arabic, right to left, on every page a reader reaches from a form
// or an email (newsletter, her own data, unsubscribing, programs, error pages) and in every email
// she gets; a Spanish post sends its subscribers Spanish.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { makePost, makeStaff } from '../../test/factories.js';
import { TEST_BASE_URL, type TestApp, testApp } from '../../test/harness.js';
import { testWorker, writeComment } from '../../test/kits/notify.js';
import { signUpOver } from '../../test/kits/programs.js';
import { linksIn, recipient, startTestSmtp, type TestSmtp } from '../../test/kits/smtp.js';
import type { Staff } from '../accounts/accounts-service.js';
import { ANONYMOUS_NAME } from '../comments/comment-types.js';
import { makeReplyToken, replyAddressFor } from '../mailin/reply-address.js';
import type { OutboxWorker } from './worker.js';

const htmlTag = (html: string) => /<html[^>]*>/.exec(html)?.[0] ?? '';
const RTL_ARABIC = '<html lang="ar" dir="rtl">';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: TEST_BASE_URL },
});

/** English words a reader of an Arabic page must not meet (the site's own title and names aside). */
const ENGLISH =
  /Your email|Subscribe|Check your inbox|Email me|Download|Erase|Sign up|Program|Thank you|Leave this field|Please|There is no/;

describe('reader pages and emails on an Arabic site', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: OutboxWorker;
  let author: Staff;

  before(async () => {
    smtp = await startTestSmtp();
    t = await testApp();
    worker = testWorker(t, { smtpUrl: smtp.url });
    author = await makeStaff(t, 'author', 'Rosa Vale');
    await t.services.settings.updateSite({ language: 'ar' });
  });
  beforeEach(() => {
    smtp.messages.length = 0;
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  const mailTo = (email: string) => {
    const mail = smtp.messages.find((m) => recipient(m) === email);
    assert.ok(mail, `an email went to ${email}`);
    return mail;
  };

  it('subscribes to the newsletter in Arabic: the form, its error, its answer, the email and the confirmation', async () => {
    const page = await (await t.request('/subscribe')).text();
    assert.equal(htmlTag(page), RTL_ARABIC);
    assert.match(page, /<h1>التدوينات الجديدة عبر البريد<\/h1>/);
    assert.match(page, /<label for="subscribe-email">عنوان بريدك الإلكتروني<\/label>/);
    assert.match(page, /<button type="submit">اشترك<\/button>/);
    assert.doesNotMatch(page, ENGLISH);

    const bad = await t.request('/subscribe', form({ email: 'not an address', website: '' }));
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    assert.equal(htmlTag(badHtml), RTL_ARABIC);
    assert.match(badHtml, /اكتب عنوانًا مثل name@example\.com\./);
    assert.doesNotMatch(badHtml, /must be an address/);

    const sent = await t.request('/subscribe', form({ email: 'huda@example.org', website: '' }));
    assert.equal(sent.status, 303);
    const thanks = await (await t.request(sent.headers.get('location') ?? '')).text();
    assert.match(thanks, /<h1>تفقّد بريدك<\/h1>/);
    assert.doesNotMatch(thanks, ENGLISH);

    await worker.drainUntilIdle();
    const mail = mailTo('huda@example.org');
    assert.equal(mail.subject, 'أكّد اشتراكك في Hearth');
    assert.match(String(mail.html), /<html lang="ar" dir="rtl">/);
    assert.match(String(mail.html), /نعم، أرسلوا إليّ التدوينات الجديدة/);
    assert.match(mail.text ?? '', /طلبت أن تصلك التدوينات الجديدة من Hearth عبر البريد\./);
    assert.doesNotMatch(`${mail.html}${mail.text}`, /You asked|Confirm|Yes, send/);

    const confirm = linksIn(mail, TEST_BASE_URL).find((l) => l.includes('/subscribe/confirm'));
    assert.ok(confirm);
    const token = new URL(confirm).searchParams.get('token') ?? '';
    const confirmed = await (await t.request('/subscribe/confirm', form({ token }))).text();
    assert.match(confirmed, /<h1>شكرًا لك، تم الاشتراك<\/h1>/);
    assert.equal(htmlTag(confirmed), RTL_ARABIC);
    // The link again: it was used, and says so in Arabic.
    const used = await t.request(confirm);
    assert.equal(used.status, 404);
    assert.match(await used.text(), /رابط التأكيد هذا استُخدم من قبل/);
  });

  it('sends a new post to subscribers in Arabic, with an Arabic way out', async () => {
    const post = await makePost(t, author, { title: 'عن الصبر', slug: 'patience', markdown: 'كلمات عن الصبر.' });
    await t.services.notify.newsletter.sendPost(author, post.id);
    await worker.drainUntilIdle();
    const mail = mailTo('huda@example.org');
    assert.equal(mail.subject, 'عن الصبر');
    assert.match(String(mail.html), /<html lang="ar" dir="rtl">/);
    assert.match(String(mail.html), /شارك في الحوار/);
    assert.match(String(mail.html), /تصلك هذه الرسالة لأنك اشتركت في التدوينات الجديدة\./);
    assert.match(mail.text ?? '', /اقرأها وشارك في الحوار: http/);
    const unsubscribe = linksIn(mail, TEST_BASE_URL).find((l) => l.includes('/unsubscribe'));
    assert.ok(unsubscribe);
    const page = await (await t.request(unsubscribe)).text();
    assert.equal(htmlTag(page), RTL_ARABIC);
    assert.match(page, /<h1>إلغاء الاشتراك<\/h1>/);
    assert.doesNotMatch(page, ENGLISH);
    const broken = await t.request('/unsubscribe?token=broken');
    assert.equal(broken.status, 404);
    assert.match(await broken.text(), /رابط إلغاء الاشتراك هذا غير صالح/);
  });

  it('gives a reader her data in Arabic: the form, the email, the counts by Arabic plurals, the erasure', async () => {
    const post = await makePost(t, author, { slug: 'on-data', title: 'عن البيانات' });
    for (const words of ['الأول', 'الثاني', 'الثالث'])
      await writeComment(t, { post, name: 'Nora', email: 'nora@example.org', markdown: words });
    await worker.drainUntilIdle();
    smtp.messages.length = 0;

    const page = await (await t.request('/my-data')).text();
    assert.equal(htmlTag(page), RTL_ARABIC);
    assert.match(page, /<h1>تعليقاتك وبياناتك<\/h1>/);
    assert.match(page, /<button type="submit">أرسل إليّ رابطًا<\/button>/);
    assert.doesNotMatch(page, ENGLISH);

    assert.equal((await t.request('/my-data', form({ email: 'nora@example.org', website: '' }))).status, 303);
    await worker.drainUntilIdle();
    const mail = mailTo('nora@example.org');
    assert.equal(mail.subject, 'تعليقاتك على Hearth');
    assert.match(String(mail.html), /<html lang="ar" dir="rtl">/);
    assert.match(mail.text ?? '', /اطّلع على بياناتك: http/);
    assert.doesNotMatch(`${mail.html}${mail.text}`, /You asked|Your data|The link works/);

    const [manage] = linksIn(mail, `${TEST_BASE_URL}/my-data/manage`);
    const managed = await (await t.request(manage ?? '')).text();
    assert.equal(htmlTag(managed), RTL_ARABIC);
    // Three is Arabic's "few" form.
    assert.match(managed, /كتبت هنا 3 تعليقات\./);
    assert.match(managed, /<legend>ماذا يحدث لتعليقاتك؟<\/legend>/);
    assert.doesNotMatch(managed, ENGLISH);

    const token = new URL(manage ?? '').searchParams.get('token') ?? '';
    const erased = await (await t.request(`/my-data/erase?token=${encodeURIComponent(token)}`, form({ mode: 'remove' }))).text();
    assert.match(erased, /<h1>تمّ<\/h1>/);
    assert.match(erased, /وحُذفت اشتراكاتك كذلك\./);
    assert.doesNotMatch(erased, /were removed|Done/);

    t.clock.advance(25 * 60 * 60_000);
    const late = await t.request(manage ?? '');
    assert.equal(late.status, 404);
    assert.match(await late.text(), /انتهت صلاحية هذا الرابط/);
  });

  it('shows a program and its sign-up in Arabic, and confirms it by an Arabic email', async () => {
    await makePost(t, author, { kind: 'program', title: 'العودة إلى البيت', slug: 'home-again', markdown: 'ستة أسابيع.' });
    const page = await (await t.request('/home-again/')).text();
    assert.equal(htmlTag(page), RTL_ARABIC);
    assert.match(page, /<p class="program-kicker">برنامج<\/p>/);
    assert.match(page, /<h2 id="signup-heading">التسجيل<\/h2>/);
    assert.match(page, /<button type="submit">سجّلني في العودة إلى البيت<\/button>/);
    assert.doesNotMatch(page, ENGLISH);

    const wrong = await signUpOver(t, 'home-again', { name: '', email: 'nope' });
    assert.equal(wrong.status, 422);
    const wrongHtml = await wrong.text();
    assert.match(wrongHtml, /بعض الحقول تحتاج إلى انتباه؛ لم يتم تسجيلك بعد\./);
    assert.match(wrongHtml, /أخبرنا باسمك\./);
    assert.match(wrongHtml, /لا يبدو هذا عنوان بريد إلكتروني\./);

    const done = await signUpOver(t, 'home-again', { name: 'Salma', email: 'salma@example.org' });
    assert.equal(done.status, 303);
    const thanks = await (await t.request(done.headers.get('location') ?? '')).text();
    assert.equal(htmlTag(thanks), RTL_ARABIC);
    assert.match(thanks, /تم تسجيلك في <a href="\/home-again\/">العودة إلى البيت<\/a>\./);
    assert.doesNotMatch(thanks, ENGLISH);

    await worker.drainUntilIdle();
    const mail = mailTo('salma@example.org');
    assert.equal(mail.subject, 'تم تسجيلك في «العودة إلى البيت»');
    assert.match(String(mail.html), /<html lang="ar" dir="rtl">/);
    assert.match(mail.text ?? '', /شكرًا لك يا Salma/);
  });

  it('answers errors without words of their own in Arabic: too large, a missing program', async () => {
    const big = await t.request('/my-data', form({ email: 'x@example.org', website: 'x'.repeat(300_000) }));
    assert.equal(big.status, 413);
    const bigHtml = await big.text();
    assert.equal(htmlTag(bigHtml), RTL_ARABIC);
    assert.match(bigHtml, /ما أرسلته أكبر مما يقبله هذا الموقع\./);
    assert.doesNotMatch(bigHtml, /larger than/);

    const none = await t.request('/no-program/thanks');
    assert.equal(none.status, 404);
    assert.match(await none.text(), /لا يوجد برنامج بهذا الاسم\./);
  });

  it('answers an emailed reply that could not be placed in Arabic, giving the reason in Arabic', async () => {
    const post = await makePost(t, author, { slug: 'by-mail-ar' });
    const comment = await writeComment(t, { post, email: 'samira@example.org' });
    await t.services.mailIn.setReplyAddress('reply@mail.hearth.test');
    // An address handed out 200 days ago has expired: the reader is told so, in the site's language.
    const token = makeReplyToken(
      'test-secret-test-secret-test-secret-0123',
      'samira@example.org',
      'reader',
      comment.id,
      t.clock.now() - 200 * 86_400_000,
    );
    const raw = [
      'From: samira@example.org',
      `To: ${replyAddressFor('reply@mail.hearth.test', token)}`,
      'Subject: Re: your answer',
      'Message-ID: <late-ar@example.org>',
      'Date: Mon, 1 Jun 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Thank you!',
      '',
    ].join('\r\n');
    const got = await t.services.mailIn.receive(Buffer.from(raw), 'pipe');
    assert.equal(got.outcome, 'refused');
    await worker.drainUntilIdle();
    const mail = mailTo('samira@example.org');
    assert.equal(mail.subject, 'لم يُنشر: Re: your answer');
    assert.match(mail.text ?? '', /السبب: انتهت صلاحية عنوان الرد؛ أجب على الموقع بدلًا من ذلك/);
    assert.match(String(mail.html), /<html lang="ar" dir="rtl">/);
    assert.doesNotMatch(`${mail.text}${mail.html}`, /did not become|Why:|expired/);
  });

  it('shows a comment signed "A reader" (its writer erased her name) in Arabic', async () => {
    const post = await makePost(t, author, { slug: 'anonymous-ar' });
    const c = await t.services.comments.add({
      postId: post.id,
      authorName: ANONYMOUS_NAME,
      authorEmail: 'erased@example.org',
      markdown: 'Thank you for this.',
      status: 'published',
    });
    const page = await (await t.request('/anonymous-ar/')).text();
    const item = page.slice(page.indexOf(`id="comment-${c.id}"`));
    assert.match(item, /<span class="comment-author">أحد القرّاء<\/span>/);
    assert.doesNotMatch(page, /A reader/);
  });
});

describe('a Spanish post sent to subscribers of an English site', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  before(async () => {
    smtp = await startTestSmtp();
    t = await testApp();
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('speaks Spanish in that email only', async () => {
    const worker = testWorker(t, { smtpUrl: smtp.url });
    const author = await makeStaff(t, 'author', 'Rosa Vale');
    assert.equal((await t.request('/subscribe', form({ email: 'ana@example.org', website: '' }))).status, 303);
    await worker.drainUntilIdle();
    const confirmMail = smtp.messages.find((m) => recipient(m) === 'ana@example.org');
    assert.equal(confirmMail?.subject, 'Confirm your subscription to Hearth');
    const confirm = linksIn(confirmMail!, TEST_BASE_URL).find((l) => l.includes('/subscribe/confirm')) ?? '';
    await t.request('/subscribe/confirm', form({ token: new URL(confirm).searchParams.get('token') ?? '' }));
    smtp.messages.length = 0;

    const post = await makePost(t, author, { title: 'Sobre la espera', slug: 'la-espera', markdown: 'Esperamos.' });
    await t.conn.db.updateTable('posts').set({ language: 'es' }).where('id', '=', post.id).execute();
    await t.services.notify.newsletter.sendPost(author, post.id);
    await worker.drainUntilIdle();
    const mail = smtp.messages.find((m) => recipient(m) === 'ana@example.org');
    assert.ok(mail);
    assert.match(String(mail.html), /<html lang="es" dir="ltr">/);
    assert.match(String(mail.html), /Únete a la conversación/);
    assert.match(mail.text ?? '', /Léela y únete a la conversación: http/);
  });
});
