// The inbox, enhanced: a suggested post (or program card) goes into the reply with one click.
// Without this script each suggestion is listed with its address to copy.
(() => {
  for (const button of document.querySelectorAll('button[data-insert]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const box = document.getElementById(button.dataset.target ?? '');
      if (!(box instanceof HTMLTextAreaElement)) return;
      const text = button.dataset.insert ?? '';
      const start = box.selectionStart ?? box.value.length;
      const end = box.selectionEnd ?? box.value.length;
      const before = box.value.slice(0, start);
      const after = box.value.slice(end);
      // A card is a paragraph of its own; a link sits in the sentence with a space around it.
      const block = button.dataset.block === 'true';
      const lead =
        before === '' ? '' : block ? (before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n') : /\s$/.test(before) ? '' : ' ';
      const tail = block ? '\n\n' : after === '' || /^\s/.test(after) ? '' : ' ';
      box.value = `${before}${lead}${text}${tail}${after}`;
      const caret = before.length + lead.length + text.length + tail.length;
      box.focus();
      box.setSelectionRange(caret, caret);
    });
  }
})();
