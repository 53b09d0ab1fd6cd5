// The editor, enhanced: a live preview rendered by the server's own renderer, autosave of drafts
// every few seconds while typing, and a copy in this browser so nothing is lost if the tab closes.
// Without this script the form still works: its Preview button renders the preview on the server.
(() => {
  const form = document.querySelector('form[data-editor]');
  if (!form) return;
  const FIELDS = ['title', 'slug', 'markdown', 'excerpt', 'tags', 'publishAt', 'coverImage', 'metaTitle', 'metaDescription'];
  const csrf = form.querySelector('input[name="_csrf"]').value;
  const markdown = form.elements.namedItem('markdown');
  const preview = document.getElementById('preview');
  const status = document.getElementById('autosave-status');
  const offer = document.getElementById('restore-offer');
  const kind = form.dataset.kind;
  const base = kind === 'page' ? '/admin/pages' : kind === 'program' ? '/admin/programs' : '/admin/posts';
  const newKey = `hearth-draft:new-${kind}`;
  let postId = form.dataset.postId;
  const localKey = () => (postId ? `hearth-draft:${postId}` : newKey);

  const values = () => Object.fromEntries(FIELDS.map((f) => [f, form.elements.namedItem(f)?.value ?? '']));
  const post = (url, data) =>
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(data),
    });
  const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  // Live preview: the server renders and sanitizes, exactly as it will for readers.
  let previewTimer;
  let previewSeq = 0;
  async function renderPreview() {
    const seq = ++previewSeq;
    try {
      const res = await post('/admin/preview', { markdown: markdown.value });
      if (!res.ok || seq !== previewSeq) return;
      const { html } = await res.json();
      preview.innerHTML = html; // sanitized by the same renderer that writes posts
    } catch {
      // Offline for a moment: the next keystroke tries again.
    }
  }
  markdown.addEventListener('input', () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, 250);
  });
  if (markdown.value.trim() && !preview.querySelector(':not(.ws-hint)')) renderPreview();

  // A saved page (the server redirected with ?done=) needs no local copy any more.
  if (new URLSearchParams(location.search).has('done')) {
    localStorage.removeItem(localKey());
    localStorage.removeItem(newKey);
  }

  function keepLocal() {
    try {
      localStorage.setItem(localKey(), JSON.stringify({ ...values(), savedAt: Date.now() }));
    } catch {
      // Storage full or disabled: the server copy still counts.
    }
  }

  // Offer a copy left in this browser when it is newer than the server's and differs from it.
  const stored = JSON.parse(localStorage.getItem(localKey()) || 'null');
  const differs = (copy) => FIELDS.some((f) => (copy[f] ?? '') !== (form.elements.namedItem(f)?.value ?? ''));
  if (stored && stored.savedAt > Number(form.dataset.updatedAt || 0) && differs(stored)) {
    const text = document.createElement('p');
    text.textContent = `This browser kept a newer copy of this text, from ${clock(stored.savedAt)}.`;
    const restore = document.createElement('button');
    restore.type = 'button';
    restore.textContent = 'Restore it';
    const discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'secondary';
    discard.textContent = 'Discard it';
    offer.append(text, restore, ' ', discard);
    offer.hidden = false;
    restore.addEventListener('click', () => {
      for (const f of FIELDS) {
        const field = form.elements.namedItem(f);
        if (field && typeof stored[f] === 'string') field.value = stored[f];
      }
      offer.hidden = true;
      renderPreview();
      markdown.focus();
    });
    discard.addEventListener('click', () => {
      localStorage.removeItem(localKey());
      offer.hidden = true;
    });
  }

  // Autosave, for drafts only: saving a published post's half-typed words would publish them.
  let autosaveOn = form.dataset.autosave === 'on';
  let saveTimer;
  let saving = false;
  async function autosave() {
    if (!autosaveOn || saving) return;
    const data = values();
    if (!data.title.trim()) {
      status.textContent = 'Give it a title to save the draft.';
      return;
    }
    saving = true;
    try {
      const res = await post(`${base}/autosave`, { id: postId, ...data });
      if (res.status === 409) autosaveOn = false;
      if (!res.ok) {
        status.textContent = 'Not saved automatically; use Save draft.';
        return;
      }
      const saved = await res.json();
      if (!postId) {
        postId = saved.id;
        form.action = saved.editUrl;
        form.dataset.postId = saved.id;
        history.replaceState(null, '', saved.editUrl);
        localStorage.removeItem(newKey);
      }
      form.dataset.updatedAt = String(saved.updatedAt);
      keepLocal();
      status.textContent = `Draft saved at ${clock(Date.now())}.`;
    } catch {
      status.textContent = 'Offline: kept in this browser, will save when back.';
    } finally {
      saving = false;
    }
  }

  form.addEventListener('input', () => {
    keepLocal();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, 3000);
  });
})();
