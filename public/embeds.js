// Click-to-load players. The server renders each embed as a figure holding a plain link, so a page
// makes no request to a video or audio host. This adds a button that, only when the reader presses
// it, replaces the figure's content with the host's player.
// Include with <script src="/assets/embeds.js" defer></script> on pages that may hold embeds.

const PROVIDERS = {
  youtube: { name: 'YouTube', kind: 'video', origin: 'https://www.youtube-nocookie.com', autoplay: 'autoplay=1' },
  vimeo: { name: 'Vimeo', kind: 'video', origin: 'https://player.vimeo.com', autoplay: 'autoplay=1' },
  loom: { name: 'Loom', kind: 'video', origin: 'https://www.loom.com', autoplay: 'autoplay=1' },
  soundcloud: { name: 'SoundCloud', kind: 'audio', origin: 'https://w.soundcloud.com', autoplay: 'auto_play=true' },
  spotify: { name: 'Spotify', kind: 'audio', origin: 'https://open.spotify.com', autoplay: '' },
  'apple-podcasts': { name: 'Apple Podcasts', kind: 'audio', origin: 'https://embed.podcasts.apple.com', autoplay: '' },
};

/** The player's address, when it belongs to the provider the figure names (the sanitizer made sure; this checks again). */
function playerUrl(figure) {
  const provider = PROVIDERS[figure.dataset.embedProvider ?? ''];
  if (!provider) return undefined;
  try {
    const url = new URL(figure.dataset.embedSrc ?? '');
    return url.origin === provider.origin ? { provider, url } : undefined;
  } catch {
    return undefined;
  }
}

function enhance(figure) {
  if (figure.dataset.embedReady) return;
  const player = playerUrl(figure);
  if (!player) return;
  figure.dataset.embedReady = 'true';
  const { provider, url } = player;
  figure.dataset.embedKind = provider.kind;

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'embed-load';
  button.textContent = `Play the ${provider.name} ${provider.kind} here`;
  const note = document.createElement('small');
  note.className = 'embed-note';
  // Said before the click, since the click is what contacts the host.
  note.textContent = `This loads content from ${url.hostname}.`;
  figure.prepend(button, note);

  button.addEventListener('click', () => {
    // The reader's click is the request to play: ask the player to start, so one press is enough.
    if (provider.autoplay) url.search += `${url.search ? '&' : '?'}${provider.autoplay}`;
    const frame = document.createElement('iframe');
    frame.src = url.href;
    frame.title = `${provider.name} player`;
    frame.allow = 'autoplay; encrypted-media; fullscreen; picture-in-picture; clipboard-write';
    frame.allowFullscreen = true;
    frame.referrerPolicy = 'strict-origin-when-cross-origin';
    button.replaceWith(frame);
    note.remove();
    frame.focus();
  });
}

function enhanceWithin(root) {
  if (root.matches?.('figure.embed[data-embed-src]')) enhance(root);
  for (const figure of root.querySelectorAll?.('figure.embed[data-embed-src]') ?? []) enhance(figure);
}

enhanceWithin(document);
// Comments added to the page later (live updates, inline replies) may hold embeds too.
new MutationObserver((changes) => {
  for (const change of changes) for (const node of change.addedNodes) if (node.nodeType === 1) enhanceWithin(node);
}).observe(document.body ?? document.documentElement, { childList: true, subtree: true });
