// Where a reader came from to a program: the post or the staff reply whose card she followed.
// It travels as `from=post:<id>` or `from=comment:<id>` through the card's link and the sign-up form.

export type CardSource = { kind: 'post'; id: string } | { kind: 'comment'; id: string };

const SOURCE = /^(post|comment):([0-9a-f-]{36})$/;

/** The source named by a `from` value, or undefined for anything else (never trusted further). */
export function parseSource(raw: string | undefined | null): CardSource | undefined {
  const m = SOURCE.exec((raw ?? '').trim());
  if (!m) return undefined;
  return { kind: m[1] as CardSource['kind'], id: m[2] as string };
}

export const formatSource = (source: CardSource): string => `${source.kind}:${source.id}`;
