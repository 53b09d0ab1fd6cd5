// The moderation queue, enhanced: keys (j/k move, a approve, s spam, t trash, r reply, x select)
// and actions without a reload. Without this script every action is a plain form that comes back.
(() => {
  const list = document.querySelector('[data-moderation-queue]');
  if (!list) return;
  const tab = list.dataset.tab;
  const status = document.getElementById('mq-status');
  const items = () => [...list.querySelectorAll('.mq-item')];
  let current = -1;

  // Which states each tab lists: a comment that leaves them leaves the page.
  const KEEPS = {
    pending: ['pending'],
    private: ['pending', 'published'],
    spam: ['spam'],
    trash: ['trash'],
    all: ['pending', 'published', 'spam'],
  };

  function select(index) {
    const all = items();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => {
      item.classList.toggle('is-current', i === current);
    });
    all[current].focus();
    all[current].scrollIntoView({ block: 'nearest' });
  }

  const say = (text) => {
    if (status) status.textContent = text;
  };

  async function act(form) {
    const item = form.closest('.mq-item');
    const res = await fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body: new FormData(form),
    });
    if (!res.ok) {
      // Let the server's page explain (a conflict, an ended session).
      form.submit();
      return;
    }
    const done = await res.json();
    const label = form.querySelector('button')?.textContent?.trim() ?? 'Done';
    if (item && done.status && !(KEEPS[tab] ?? []).includes(done.status)) {
      const index = items().indexOf(item);
      item.remove();
      say(`${label}: done.`);
      if (items().length > 0) select(index);
      else say(`${label}: done. Nothing left here.`);
    } else {
      say(`${label}: done.`);
      if (form.matches('[data-reply-form]')) form.reset();
      else window.location.reload();
    }
  }

  list.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (!form.matches('[data-action], [data-reply-form]')) return;
    event.preventDefault();
    act(form).catch(() => form.submit());
  });

  const KEY_ACTIONS = { a: 'approve', s: 'spam', t: 'trash' };
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]')) return;
    const all = items();
    if (event.key === 'j') select(current + 1);
    else if (event.key === 'k') select(current < 0 ? 0 : current - 1);
    else if (current >= 0 && all[current]) {
      const item = all[current];
      if (KEY_ACTIONS[event.key]) {
        const form = item.querySelector(`form[data-action="${KEY_ACTIONS[event.key]}"]`);
        if (form) act(form).catch(() => form.submit());
      } else if (event.key === 'r') {
        const box = item.querySelector('details.mq-reply');
        if (!box) return;
        box.open = true;
        box.querySelector('textarea')?.focus();
      } else if (event.key === 'x') {
        const box = item.querySelector('input[name="ids"]');
        if (box) box.checked = !box.checked;
      } else return;
    } else return;
    event.preventDefault();
  });
})();
