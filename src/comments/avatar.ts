// A small picture for each commenter, made here from her initials and a color derived from her
// email: no outside service learns who reads or writes.

/** FNV-1a: cheap and stable; only the color depends on it. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w as string)[0]?.toUpperCase() ?? '').join('') || '?';
}

/** Dark enough behind white letters in every hue (contrast above 4.5:1). */
export function avatarColor(seed: string): string {
  return `hsl(${hash(seed) % 360} 45% 30%)`;
}
