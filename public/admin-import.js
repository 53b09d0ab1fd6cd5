// The import form, enhanced: the file goes up with a progress bar, then the summary replaces the
// page's content. Without this script the form posts as usual and the summary page follows.
(() => {
  const form = document.querySelector('form[data-import-form]');
  if (!form || !window.XMLHttpRequest || !window.DOMParser) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const bar = form.querySelector('progress');
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    button.textContent = 'Uploading…';
    bar.hidden = false;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.upload.addEventListener('load', () => {
      bar.removeAttribute('value');
      button.textContent = 'Importing…';
    });
    const done = () => {
      const page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      const main = page.querySelector('main');
      if (!main) {
        form.submit();
        return;
      }
      document.querySelector('main').replaceWith(main);
      main.querySelector('h2, [role="alert"]')?.setAttribute('tabindex', '-1');
      main.querySelector('h2, [role="alert"]')?.focus();
    };
    xhr.addEventListener('load', done);
    xhr.addEventListener('error', () => form.submit());
    xhr.send(new FormData(form));
  });
})();
