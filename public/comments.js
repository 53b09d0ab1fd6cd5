// Hearth comments, enhanced: inline reply forms, a Markdown preview, the "add to your comment?"
// choice before posting, and new comments arriving live. The page works fully without this file.
(() => {
  const section = document.getElementById('comments');
  const form = document.querySelector('form[data-comment-form]');
  if (!section) return;
  const slug = location.pathname.split('/')[1];

  // ---- times as people read them: "2 hours ago", then the date after a week ----
  // The server writes the date (kept HTML and cached pages never go stale); the words are made here.
  const STEPS = [
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
  ];
  // In the page's language, from the words the server gave in it (src/comments/comment-views.tsx).
  const lang = document.documentElement.lang || undefined;
  let WORDS = {};
  try {
    WORDS = JSON.parse(section.dataset.words ?? '{}');
  } catch {
    // English below.
  }
  const say = (key, english, name) => {
    const text = typeof WORDS[key] === 'string' ? WORDS[key] : english;
    return name === undefined ? text : text.replace('\u0000', name);
  };
  const relative = 'Intl' in window && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }) : null;
  function relativeWords(time) {
    const at = Date.parse(time.getAttribute('datetime') ?? '');
    if (!relative || Number.isNaN(at)) return null;
    let amount = (Date.now() - at) / 60_000;
    if (amount < 1) return say('justNow', 'just now');
    for (const [unit, size] of STEPS) {
      if (amount < size) return relative.format(-Math.floor(amount), unit);
      amount /= size;
    }
    return null;
  }
  function relativeTimes(root) {
    for (const time of root.querySelectorAll('.comment-permalink time[datetime]')) {
      const words = relativeWords(time);
      if (words) time.textContent = words;
    }
  }
  relativeTimes(section);

  // ---- who she is: remembered in this browser only, so a second comment needs no retyping ----
  const REMEMBERED = ['name', 'email', 'website'];
  if (form) {
    try {
      const saved = JSON.parse(localStorage.getItem('hearth-commenter') ?? '{}');
      for (const field of REMEMBERED) {
        const input = form.elements.namedItem(field);
        if (input && !input.value && typeof saved[field] === 'string') input.value = saved[field];
      }
      form.addEventListener('submit', () => {
        const values = Object.fromEntries(REMEMBERED.map((f) => [f, form.elements.namedItem(f)?.value ?? '']));
        localStorage.setItem('hearth-commenter', JSON.stringify(values));
      });
    } catch {
      // Storage refused (private browsing): she types them again.
    }
  }

  // ---- inline replies ----
  const home = form ? { parent: form.parentNode, next: form.nextSibling } : null;
  const parentInput = form?.querySelector('input[name="parent"]');
  const heading = form?.querySelector('#respond-heading');
  const submit = form?.querySelector('button[type="submit"]');

  function resetForm() {
    if (!form || !home) return;
    home.parent.insertBefore(form, home.next);
    if (parentInput) parentInput.value = '';
    if (heading) heading.textContent = say('leave', 'Leave a comment');
    if (submit) submit.textContent = say('postComment', 'Post comment');
    form.querySelector('.replying-to')?.remove();
  }

  function replyTo(li) {
    if (!form || !parentInput) return;
    const name = li.querySelector('.comment-author')?.textContent?.trim() ?? 'this comment';
    li.querySelector('.comment-card')?.after(form);
    parentInput.value = li.id.replace('comment-', '');
    if (heading) heading.textContent = say('replyTo', 'Reply to \u0000', name);
    if (submit) submit.textContent = say('postReply', 'Post reply');
    form.querySelector('.replying-to')?.remove();
    const note = document.createElement('p');
    note.className = 'replying-to';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'link-button';
    cancel.textContent = say('cancelReply', 'Cancel reply');
    cancel.addEventListener('click', resetForm);
    note.append(`${say('replyingTo', 'Replying to \u0000', name)} · `, cancel);
    heading?.after(note);
    form.querySelector('textarea[name="body"]')?.focus();
  }

  section.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a.reply-link') : null;
    if (!link || !form) return;
    const li = link.closest('li.comment');
    if (!li) return;
    event.preventDefault();
    replyTo(li);
  });

  // ---- preview ----
  if (form) {
    const body = form.querySelector('textarea[name="body"]');
    const actions = form.querySelector('.form-actions');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = say('preview', 'Preview');
    button.className = 'secondary';
    const output = document.createElement('div');
    output.className = 'comment-preview comment-body';
    output.setAttribute('aria-live', 'polite');
    output.hidden = true;
    button.addEventListener('click', async () => {
      const res = await fetch(`/${slug}/comments/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ body: body?.value ?? '' }),
      });
      if (!res.ok) return;
      const { html } = await res.json();
      // The server rendered and sanitized it, exactly as it would be stored.
      output.innerHTML = html || '<p>Nothing to preview yet.</p>';
      output.hidden = false;
    });
    actions?.append(' ', button);
    actions?.after(output);
  }

  // ---- her reply to her own fresh comment: add to it, or post a reply? ----
  if (form) {
    form.addEventListener('submit', (event) => {
      if (form.dataset.choice === 'made') return;
      const parentId = parentInput?.value;
      const parent = parentId ? document.getElementById(`comment-${parentId}`) : null;
      const until = parent?.dataset.ownUntil ? Date.parse(parent.dataset.ownUntil) : 0;
      if (!parent || until < Date.now()) return;
      event.preventDefault();
      form.querySelector('.self-reply-choice')?.remove();
      const box = document.createElement('div');
      box.className = 'self-reply-choice';
      box.setAttribute('role', 'group');
      box.setAttribute('aria-label', say('selfReplyLabel', 'Add to your comment?'));
      const text = document.createElement('p');
      text.textContent = say(
        'selfReplyText',
        'You can still edit the comment you are answering. Add these words to it, or post them as a reply?',
      );
      const add = document.createElement('button');
      add.type = 'button';
      add.textContent = say('addToComment', 'Add to my comment');
      add.addEventListener('click', () => {
        const edit = document.createElement('form');
        edit.method = 'post';
        edit.action = `/${slug}/comments/${parentId}/edit`;
        const fields = {
          ts: form.querySelector('input[name="ts"]')?.value ?? '',
          token: form.querySelector('input[name="token"]')?.value ?? '',
          body: form.querySelector('textarea[name="body"]')?.value ?? '',
          append: 'on',
        };
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          edit.append(input);
        }
        document.body.append(edit);
        edit.submit();
      });
      const reply = document.createElement('button');
      reply.type = 'button';
      reply.textContent = say('postAsReply', 'Post as a reply');
      reply.addEventListener('click', () => {
        const choice = document.createElement('input');
        choice.type = 'hidden';
        choice.name = 'choice';
        choice.value = 'reply';
        form.append(choice);
        form.dataset.choice = 'made';
        form.requestSubmit();
      });
      box.append(text, add, ' ', reply);
      form.querySelector('.form-actions')?.before(box);
      add.focus();
    });
  }

  // ---- live: new published comments appear without a reload ----
  const liveUrl = section.dataset.live;
  const lastPage = !section.querySelector('.comment-pages a[rel="next"]');
  if (liveUrl && 'EventSource' in window) {
    const source = new EventSource(liveUrl);
    source.addEventListener('comment', async (event) => {
      const { id, parentId } = JSON.parse(event.data);
      if (document.getElementById(`comment-${id}`)) return;
      const parent = parentId ? document.getElementById(`comment-${parentId}`) : null;
      if (parentId && !parent) return;
      if (!parentId && !lastPage) return;
      const res = await fetch(`/${slug}/comments/${id}/fragment`);
      if (!res.ok || document.getElementById(`comment-${id}`)) return;
      const template = document.createElement('template');
      template.innerHTML = (await res.text()).trim();
      const li = template.content.firstElementChild;
      if (!li) return;
      li.classList.add('comment-new');
      relativeTimes(li);
      if (parent) {
        let list = parent.querySelector(':scope > ol.comment-replies');
        if (!list) {
          list = document.createElement('ol');
          list.className = 'comment-replies';
          parent.append(list);
        }
        list.append(li);
      } else {
        section.querySelector('ol.comment-list')?.append(li);
      }
      const count = Number(section.dataset.commentCount || '0') + 1;
      section.dataset.commentCount = String(count);
      const title = section.querySelector('#comments-heading');
      if (title) title.textContent = `${count} ${count === 1 ? 'comment' : 'comments'}`;
    });
    addEventListener('pagehide', () => source.close());
  }
})();
