// The languages Hearth speaks to readers: one catalog each in src/i18n/catalogs/. A post may be
// written in any of them; the site's setting is the default for every page and post.

export const LOCALES = ['en', 'es', 'fr', 'de', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, for the settings and the post editor. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  ar: 'العربية',
};

const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar']);

/** Which way the language's text runs: the `dir` of its pages. */
export const directionOf = (locale: Locale): 'ltr' | 'rtl' => (RTL.has(locale) ? 'rtl' : 'ltr');

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale a person's browser asks for first (any Intl knows, such as de-CH or pt-BR), for the
 * workspace's dates; en-US when the header names none Intl knows.
 */
export function preferredLocale(header: string | undefined): string {
  if (!header) return 'en-US';
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag !== '' && r.tag !== '*' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // Not a language tag: try the next.
    }
  }
  return 'en-US';
}

/**
 * The best of `supported` for an Accept-Language header ("de-CH, fr;q=0.8, *;q=0.1"), by its
 * weights; `fallback` when none fits. Only the primary subtag counts (de-CH reads as de).
 */
export function negotiate<T extends string>(header: string | undefined, supported: readonly T[], fallback: T): T {
  if (!header) return fallback;
  let best: T = fallback;
  let bestQ = 0;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    const primary = tag.toLowerCase().split('-')[0] as T;
    if (weight > bestQ && supported.includes(primary)) {
      best = primary;
      bestQ = weight;
    }
  }
  return best;
}
