// Reading to share, the pure part: which of a reader's words are worth searching for, which of the
// author's posts she names by title, and how a chosen post goes into a reply.
import type { ShareablePost } from './reading-store.js';

/** How many posts are suggested beside one reply. */
export const SUGGESTIONS = 5;

// Words too common to say what a comment is about.
const STOP = new Set(
  `about above after again against all also and any are because been before being below between both but can cannot could did does
  doing down during each even ever few for from further had has have having her here hers herself him himself his how into its itself
  just like more most much myself not now off once only other our ours out over own really same she should some such than that the
  their theirs them then there these they this those through too under until very want was were what when where which while who whom
  why will with would you your yours yourself yourselves know feel think get got thank thanks post read one still things thing way
  make made say said see going time today yes`.split(/\s+/),
);

/**
 * The words of a comment worth a full-text query: letters and digits only (so no query syntax can
 * slip through), at least three long, no common words, most frequent first.
 */
export function significantWords(text: string, max = 24): string[] {
  const counts = new Map<string, number>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (w.length < 3 || w.length > 40 || STOP.has(w) || /^\d+$/.test(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
    .slice(0, max)
    .map(([w]) => w);
}

/** Lower case, accents and punctuation gone, one space between words: how titles are compared. */
export function plainWords(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * An author's titles made plain once, to look for in many comments: an inbox page checks each of
 * its twenty entries against up to 5,000 titles, and making a title plain costs far more than
 * finding it.
 */
export interface TitleIndex<T extends ShareablePost> {
  /** Each title plain and padded with spaces, and its words longest first (the likeliest to be missing). */
  titles: readonly { post: T; plain: string; words: readonly string[] }[];
}

export function titleIndex<T extends ShareablePost>(posts: readonly T[]): TitleIndex<T> {
  const titles = [];
  for (const post of posts) {
    const plain = plainWords(post.title);
    if (plain.length < 3) continue;
    titles.push({ post, plain: ` ${plain} `, words: [...new Set(plain.split(' '))].sort((a, b) => b.length - a.length) });
  }
  return { titles };
}

/** The posts whose whole title appears in the reader's words, in the order she names them. */
export function namedPosts<T extends ShareablePost>(text: string, posts: readonly T[] | TitleIndex<T>): T[] {
  const { titles } = Array.isArray(posts) ? titleIndex(posts) : (posts as TitleIndex<T>);
  const plain = plainWords(text);
  const padded = ` ${plain} `;
  const present = new Set(plain.split(' '));
  const found: { post: T; at: number }[] = [];
  for (const title of titles) {
    // A title with a word she did not write cannot be named: most titles end here.
    if (!title.words.every((w) => present.has(w))) continue;
    const at = padded.indexOf(title.plain);
    if (at !== -1) found.push({ post: title.post, at });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.post);
}

/** Named posts first, then the most similar ones, each once, at most `limit`. */
export function rankSuggestions<T extends ShareablePost>(named: readonly T[], similar: readonly T[], limit = SUGGESTIONS): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const p of [...named, ...similar]) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(p);
    if (out.length === limit) break;
  }
  return out;
}

/** A post as a Markdown link, its title's brackets escaped so the link stays one link. */
export function markdownLink(title: string, url: string): string {
  return `[${title.replace(/([\\[\]])/g, '\\$1')}](${url})`;
}

/** The line that src/programs turns into a program card inside a staff reply. */
export const programDirective = (slug: string): string => `{{program ${slug}}}`;
