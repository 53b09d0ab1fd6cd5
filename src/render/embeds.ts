// Click-to-load embeds. A link to a known video or audio host becomes a placeholder that names the
// privacy-enhanced player URL in a data attribute and holds a plain link to the original: the page
// makes no third-party request until a reader asks for the player (public/embeds.js).
// Player URLs are always rebuilt from the recognised ids, never copied from the input, so whatever
// an author pastes, the only frames that can appear are the ones listed here.

export type EmbedProvider = 'youtube' | 'vimeo' | 'soundcloud' | 'spotify' | 'apple-podcasts' | 'loom';

export interface Embed {
  provider: EmbedProvider;
  /** The player's URL, privacy-enhanced where the host offers it; loaded only on the reader's click. */
  src: string;
  /** The media's own page, for the link that works without JavaScript. */
  href: string;
}

interface ProviderInfo {
  name: string;
  /** Also the sentence of the placeholder's link: "Watch on YouTube". */
  action: 'Watch' | 'Listen';
  origin: string;
}

export const EMBED_PROVIDERS: Readonly<Record<EmbedProvider, ProviderInfo>> = {
  youtube: { name: 'YouTube', action: 'Watch', origin: 'https://www.youtube-nocookie.com' },
  vimeo: { name: 'Vimeo', action: 'Watch', origin: 'https://player.vimeo.com' },
  soundcloud: { name: 'SoundCloud', action: 'Listen', origin: 'https://w.soundcloud.com' },
  spotify: { name: 'Spotify', action: 'Listen', origin: 'https://open.spotify.com' },
  'apple-podcasts': { name: 'Apple Podcasts', action: 'Listen', origin: 'https://embed.podcasts.apple.com' },
  loom: { name: 'Loom', action: 'Watch', origin: 'https://www.loom.com' },
};

/** Every origin a player may be framed from: the Content-Security-Policy's frame-src. */
export const EMBED_FRAME_ORIGINS: readonly string[] = Object.values(EMBED_PROVIDERS).map((p) => p.origin);

const YOUTUBE_ID = /^[\w-]{11}$/;
const YOUTUBE_LIST = /^[\w-]{10,64}$/;
const SPOTIFY_TYPES = new Set(['track', 'album', 'playlist', 'episode', 'show', 'artist']);
// Profile tabs and site sections that look like "/user/track" but are not a playable item.
const SOUNDCLOUD_NOT_TRACKS = new Set([
  'tracks',
  'albums',
  'sets',
  'reposts',
  'likes',
  'followers',
  'following',
  'popular-tracks',
  'comments',
]);
const SOUNDCLOUD_NOT_USERS = new Set(['discover', 'stream', 'search', 'upload', 'you', 'pages', 'charts', 'settings', 'messages', 'tags']);

/** The embed a URL stands for (a media page or a player URL of a known host), or undefined. */
export function recognizeEmbed(input: string): Embed | undefined {
  const url = parseUrl(input.trim());
  if (!url) return undefined;
  const host = url.hostname.toLowerCase().replace(/^(www|m)\./, '');
  switch (host) {
    case 'youtube.com':
    case 'youtu.be':
    case 'youtube-nocookie.com':
      return youtube(url, host);
    case 'vimeo.com':
    case 'player.vimeo.com':
      return vimeo(url, host);
    case 'soundcloud.com':
    case 'w.soundcloud.com':
      return soundcloud(url, host);
    case 'open.spotify.com':
      return spotify(url);
    case 'podcasts.apple.com':
    case 'embed.podcasts.apple.com':
      return applePodcasts(url);
    case 'loom.com':
      return loom(url);
    default:
      return undefined;
  }
}

function parseUrl(input: string): URL | undefined {
  // Pasted players often use protocol-relative URLs ("//www.youtube.com/embed/...").
  const text = input.startsWith('//') ? `https:${input}` : input;
  if (!/^https?:\/\//i.test(text)) return undefined;
  try {
    const url = new URL(text);
    return url.username || url.password ? undefined : url;
  } catch {
    return undefined;
  }
}

function segments(url: URL): string[] {
  return url.pathname.split('/').filter(Boolean);
}

function youtube(url: URL, host: string): Embed | undefined {
  const parts = segments(url);
  let id: string | undefined;
  if (host === 'youtu.be') id = parts.length === 1 ? parts[0] : undefined;
  else if (host === 'youtube-nocookie.com') id = parts[0] === 'embed' && parts.length === 2 ? parts[1] : undefined;
  else if (parts.length === 1 && parts[0] === 'watch') id = url.searchParams.get('v') ?? undefined;
  else if (parts.length === 2 && ['shorts', 'embed', 'live', 'v'].includes(parts[0] ?? '')) id = parts[1];
  const list = url.searchParams.get('list') ?? undefined;
  if (id === 'videoseries' || (!id && parts[0] === 'playlist' && parts.length === 1)) {
    if (!list || !YOUTUBE_LIST.test(list)) return undefined;
    return {
      provider: 'youtube',
      src: `https://www.youtube-nocookie.com/embed/videoseries?list=${list}`,
      href: `https://www.youtube.com/playlist?list=${list}`,
    };
  }
  if (!id || !YOUTUBE_ID.test(id)) return undefined;
  const start = seconds(url.searchParams.get('t') ?? url.searchParams.get('start'));
  return {
    provider: 'youtube',
    src: `https://www.youtube-nocookie.com/embed/${id}${start ? `?start=${start}` : ''}`,
    href: `https://www.youtube.com/watch?v=${id}${start ? `&t=${start}s` : ''}`,
  };
}

/** "90", "90s" or "1h2m3s" as whole seconds; 0 when absent or unreadable. */
function seconds(value: string | null): number {
  if (!value) return 0;
  if (/^\d+s?$/.test(value)) return Number.parseInt(value, 10);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!m) return 0;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function vimeo(url: URL, host: string): Embed | undefined {
  const path = url.pathname.replace(/\/$/, '');
  const m =
    host === 'player.vimeo.com'
      ? /^\/video\/(\d+)$/.exec(path)
      : /^\/(?:channels\/[\w-]+\/|groups\/[\w-]+\/videos\/|showcase\/\d+\/video\/)?(\d+)(?:\/([\da-f]{6,20}))?$/.exec(path);
  const id = m?.[1];
  if (!id) return undefined;
  // Unlisted videos need their privacy hash, which the page URL carries as a path segment and the player as ?h=.
  const hash = m[2] ?? url.searchParams.get('h') ?? undefined;
  const h = hash && /^[\da-f]{6,20}$/.test(hash) ? hash : undefined;
  return {
    provider: 'vimeo',
    // dnt=1: Vimeo's player then sets no tracking cookies.
    src: `https://player.vimeo.com/video/${id}?dnt=1${h ? `&h=${h}` : ''}`,
    href: `https://vimeo.com/${id}${h ? `/${h}` : ''}`,
  };
}

function soundcloud(url: URL, host: string): Embed | undefined {
  if (host === 'w.soundcloud.com') {
    if (url.pathname.replace(/\/$/, '') !== '/player') return undefined;
    const inner = url.searchParams.get('url') ?? '';
    const api = /^https?:\/\/api\.soundcloud\.com\/(tracks|playlists)\/(\d+)$/.exec(inner);
    if (api) {
      // An API address has no page of its own: the player itself is the best link we have.
      const src = `https://w.soundcloud.com/player/?url=${encodeURIComponent(`https://api.soundcloud.com/${api[1]}/${api[2]}`)}`;
      return { provider: 'soundcloud', src, href: src };
    }
    const page = parseUrl(inner);
    return page && page.hostname.replace(/^(www|m)\./, '') === 'soundcloud.com' ? soundcloud(page, 'soundcloud.com') : undefined;
  }
  const parts = segments(url);
  const [user, second, third] = parts;
  if (!user || !second || SOUNDCLOUD_NOT_USERS.has(user) || !/^[\w-]+$/.test(user)) return undefined;
  let path: string | undefined;
  if (parts.length === 2 && !SOUNDCLOUD_NOT_TRACKS.has(second) && /^[\w-]+$/.test(second)) path = `${user}/${second}`;
  else if (parts.length === 3 && second === 'sets' && third && /^[\w-]+$/.test(third)) path = `${user}/sets/${third}`;
  if (!path) return undefined;
  const href = `https://soundcloud.com/${path}`;
  return { provider: 'soundcloud', src: `https://w.soundcloud.com/player/?url=${encodeURIComponent(href)}`, href };
}

function spotify(url: URL): Embed | undefined {
  const parts = segments(url);
  if (parts[0]?.startsWith('intl-')) parts.shift();
  if (parts[0] === 'embed') parts.shift();
  const [type, id] = parts;
  if (parts.length !== 2 || !type || !id || !SPOTIFY_TYPES.has(type) || !/^[A-Za-z0-9]{22}$/.test(id)) return undefined;
  return { provider: 'spotify', src: `https://open.spotify.com/embed/${type}/${id}`, href: `https://open.spotify.com/${type}/${id}` };
}

function applePodcasts(url: URL): Embed | undefined {
  const m = /^\/([a-z]{2})\/podcast\/(?:([A-Za-z0-9%._~-]+)\/)?id(\d+)\/?$/.exec(url.pathname);
  if (!m) return undefined;
  const episode = url.searchParams.get('i');
  const path = `${m[1]}/podcast/${m[2] ? `${m[2]}/` : ''}id${m[3]}${episode && /^\d+$/.test(episode) ? `?i=${episode}` : ''}`;
  return { provider: 'apple-podcasts', src: `https://embed.podcasts.apple.com/${path}`, href: `https://podcasts.apple.com/${path}` };
}

function loom(url: URL): Embed | undefined {
  const m = /^\/(?:share|embed)\/([0-9a-f]{32})\/?$/.exec(url.pathname);
  if (!m) return undefined;
  return { provider: 'loom', src: `https://www.loom.com/embed/${m[1]}`, href: `https://www.loom.com/share/${m[1]}` };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The opening tag's attributes, in the one order the sanitizer keeps (so sanitizing twice changes nothing). */
export function embedAttributes(embed: Embed): Record<string, string> {
  return { class: 'embed', 'data-embed-provider': embed.provider, 'data-embed-src': embed.src };
}

/** The placeholder: a figure naming the player, holding a plain link to the media's page. */
export function embedPlaceholder(embed: Embed): string {
  const info = EMBED_PROVIDERS[embed.provider];
  const attrs = Object.entries(embedAttributes(embed))
    .map(([name, value]) => ` ${name}="${escapeAttr(value)}"`)
    .join('');
  return `<figure${attrs}><a href="${escapeAttr(embed.href)}">${info.action} on ${info.name}</a></figure>`;
}
