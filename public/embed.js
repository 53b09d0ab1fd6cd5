// Hearth's conversation on another site's page. The page carries <div data-hearth-thread> (with
// the comments from its build, or a link to them) and this script from Hearth; the script
// fetches the thread with its form, rendered and sanitized by Hearth, and makes it work in place:
// replies, edits and pages without leaving the page, a preview, and new comments arriving live.
// No cookie is set on this site: the writer's credential (to fix her words) is kept in this
// site's storage and sent in a header. Nothing but Hearth is asked for anything.
(() => {
  const me = document.currentScript;
  if (!me) return;
  const BASE = new URL(me.src).origin;
  const KEY = `hearth-credential ${BASE}`;
  const credential = () => {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  };
  const keep = (value) => {
    try {
      localStorage.setItem(KEY, value);
    } catch {
      // Storage refused (private browsing): her words are sent, she cannot fix them from here.
    }
  };
  const boxes = document.querySelectorAll('[data-hearth-thread]');
  if (boxes.length === 0) return;
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = `${BASE}/assets/embed.css`;
  document.head.append(style);
  for (const box of boxes) mount(box);

  function mount(box) {
    const page = box.dataset.url || document.querySelector('link[rel="canonical"]')?.href || location.href;
    let slug = '';
    let token = '';
    let source = null;
    const headers = (json) => {
      const h = { accept: 'application/json' };
      if (json) h['content-type'] = 'application/json';
      const c = credential();
      if (c) h['x-hearth-credential'] = c;
      if (token) h['x-hearth-embed'] = token;
      return h;
    };
    const absolute = (root) => {
      for (const a of root.querySelectorAll('[href^="/"]')) a.setAttribute('href', BASE + a.getAttribute('href'));
    };
    const say = (text) => {
      let status = box.querySelector('.hearth-status');
      if (!status) {
        status = document.createElement('p');
        status.className = 'hearth-status';
        status.setAttribute('role', 'status');
        box.querySelector('.hearth-thread')?.prepend(status);
      }
      status.textContent = text;
    };

    async function load(query, focus) {
      const q = `url=${encodeURIComponent(page)}&title=${encodeURIComponent(document.title)}&form=1${query || ''}`;
      const res = await fetch(`${BASE}/embed/thread?${q}`, { headers: headers(false), credentials: 'omit' });
      if (!res.ok) return;
      // Hearth rendered it and sanitized every reader's words.
      box.innerHTML = await res.text();
      const root = box.querySelector('.hearth-thread');
      if (!root) return;
      slug = root.dataset.hearthSlug;
      token = root.dataset.hearthToken;
      addPreview();
      listen();
      const target = focus ? box.querySelector(focus) : null;
      if (target) {
        target.scrollIntoView({ block: 'center' });
        target.querySelector('textarea')?.focus();
      }
    }

    // Links to the thread's own page (reply, edit, pages, order) open here instead.
    box.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!link || !slug) return;
      const url = new URL(link.href);
      if (url.origin !== BASE || url.pathname !== `/${slug}/` || !url.search) return;
      event.preventDefault();
      load(`&${url.search.slice(1)}`, url.hash || '#respond');
    });

    // Forms (comment, reply, edit, delete) go to Hearth from here, with the page's token.
    box.addEventListener('submit', async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.action.startsWith(`${BASE}/`)) return;
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      // Her reply to her own comment is a reply (the page on Hearth offers to add to it instead).
      if (form.matches('[data-comment-form]')) data.choice = 'reply';
      const res = await fetch(form.action, { method: 'POST', headers: headers(true), body: JSON.stringify(data), credentials: 'omit' });
      const answer = await res.json().catch(() => ({}));
      if (answer.credential) keep(answer.credential);
      if (!res.ok) {
        say(answer.error?.message || `${res.status}`);
        return;
      }
      await load('', answer.id ? `#comment-${answer.id}` : null);
      if (answer.message) say(answer.message);
    });

    function addPreview() {
      const form = box.querySelector('form[data-comment-form]');
      const actions = form?.querySelector('.form-actions');
      if (!form || !actions) return;
      let words = {};
      try {
        words = JSON.parse(box.querySelector('#comments')?.dataset.words || '{}');
      } catch {
        // English below.
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.textContent = words.preview || 'Preview';
      const output = document.createElement('div');
      output.className = 'comment-preview comment-body';
      output.setAttribute('aria-live', 'polite');
      output.hidden = true;
      button.addEventListener('click', async () => {
        const body = form.querySelector('textarea[name="body"]')?.value ?? '';
        const res = await fetch(`${BASE}/${slug}/comments/preview`, {
          method: 'POST',
          headers: headers(true),
          body: JSON.stringify({ body }),
          credentials: 'omit',
        });
        if (!res.ok) return;
        output.innerHTML = (await res.json()).html || '';
        output.hidden = false;
      });
      actions.append(' ', button);
      actions.after(output);
    }

    // New published comments arrive while she reads.
    function listen() {
      const live = box.querySelector('#comments')?.dataset.live;
      if (source || !live || !('EventSource' in window)) return;
      source = new EventSource(live);
      source.addEventListener('comment', async (event) => {
        const { id, parentId } = JSON.parse(event.data);
        if (document.getElementById(`comment-${id}`)) return;
        const parent = parentId ? document.getElementById(`comment-${parentId}`) : null;
        if (parentId && !parent) return;
        const res = await fetch(`${BASE}/${slug}/comments/${id}/fragment`, { credentials: 'omit' });
        if (!res.ok || document.getElementById(`comment-${id}`)) return;
        const template = document.createElement('template');
        template.innerHTML = (await res.text()).trim();
        const li = template.content.firstElementChild;
        if (!li) return;
        absolute(li);
        li.classList.add('comment-new');
        let list = parent ? parent.querySelector(':scope > ol.comment-replies') : box.querySelector('ol.comment-list');
        if (!list) {
          list = document.createElement('ol');
          list.className = parent ? 'comment-replies' : 'comment-list';
          (parent ?? box.querySelector('#comments-heading'))?.after(list);
          if (parent) parent.append(list);
        }
        list.append(li);
      });
      addEventListener('pagehide', () => source.close());
    }

    load('', null);
  }
})();
