// URL slugs: lowercase words joined by hyphens. Latin letters lose their accents ("Café au lait" ->
// "cafe-au-lait"), Cyrillic and Greek are spelled in Latin letters ("Привет, мир" -> "privet-mir"),
// and the letters of other scripts (Chinese, Arabic, Hebrew...) stay as they are ("你好世界"), so a
// title in any language gives a slug its readers recognise. Addresses carry them percent-encoded.

/** Cyrillic letters (Russian, Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian) in Latin letters. */
const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  ђ: 'dj',
  е: 'e',
  ё: 'yo',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  ѕ: 'dz',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'c',
  ќ: 'kj',
  ѓ: 'gj',
  у: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  џ: 'dz',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Greek letters, their accents already taken off, in Latin letters. */
const GREEK: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/** Latin letters that NFKD does not take apart into a letter and an accent. */
const LATIN: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'ng',
};

const SPELLED: Record<string, string> = { ...CYRILLIC, ...GREEK, ...LATIN };
const spell = (text: string) => text.replace(/[\u0080-\uffff]/g, (ch) => SPELLED[ch] ?? ch);

/**
 * What a slug may hold, in a route pattern: ASCII letters, digits and hyphens, and characters
 * beyond Latin-1 (other scripts' letters). Hono matches it against the decoded path.
 */
export const SLUG_PATTERN = '[a-z0-9\\u0100-\\uffff][a-z0-9\\u0100-\\uffff-]*';

/** Paths Hearth itself answers; a post may never take one as its slug. */
export const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'tag',
  'author',
  'archive',
  'search',
  'assets',
  'healthz',
  'feed',
  'feed-xml',
  'atom-xml',
  'feed-json',
  'sitemap-xml',
  'robots-txt',
  'sitemap',
  'robots',
  'atom',
  'media',
  'embed',
  'webmention',
  'ap',
  'nodeinfo',
  'subscribe',
  'unsubscribe',
  'my-data',
  'go',
]);

/**
 * A post's address at the root of the site (`/:slug`, `/:slug/comments`...): a slug that is not a
 * reserved word. Hearth's own pages (`/admin/...`, `/search`, `/feed`) therefore never match a
 * post's routes, so no router answers for another whatever the order they are mounted in.
 * A reserved word is excluded whole (no slug letter follows it): `administration` is a slug,
 * `admin` is not. No `/` in the pattern: route paths are split at slashes.
 */
export const POST_SLUG_PATTERN = `(?!(?:${[...RESERVED_SLUGS].join('|')})(?![a-z0-9\\u0100-\\uffff-]))${SLUG_PATTERN}`;

export function slugify(text: string, maxLength = 80): string {
  // Whole letters first (й, ё and ї would lose what makes them letters of their own), then
  // accents off Latin, Greek and Cyrillic letters only: other scripts' vowel signs are parts of
  // their words. NFC at the end puts Korean syllables and the like back together.
  const folded = spell(
    spell(text.normalize('NFC').toLowerCase())
      .normalize('NFKD')
      .replace(/(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu, ''),
  ).normalize('NFC');
  const slug = folded
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // Cut by characters, never inside one.
  const cut = Array.from(slug).slice(0, maxLength).join('').replace(/-+$/, '');
  // A slug of digits alone would read as a number (a page, a year): it gets a word.
  return /^[0-9-]+$/.test(cut) ? `n-${cut}` : cut;
}

/** A slug as it goes into an address: percent-encoded (ASCII slugs are unchanged). */
export const slugInUrl = (slug: string): string => encodeURIComponent(slug);

/** The first of `base`, `base-2`, `base-3`, ... that `taken` does not claim. */
export async function uniqueSlug(base: string, taken: (slug: string) => Promise<boolean>): Promise<string> {
  const root = base || 'untitled';
  if (!(await taken(root))) return root;
  for (let n = 2; ; n++) {
    const candidate = `${root}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}
