// A message with markup inside it ("by <a>Ana</a>", "Replying to <a>Ana</a>"): the message is
// formatted with SLOT as the argument, so the translation decides where the markup goes, and the
// markup is put in its place afterwards, escaped as JSX or the item template escapes it.

/** A character no message or name holds (control characters are stripped from input). */
export const SLOT = '\u0000';

/** The text around the slot, with `fill` in it: [before, fill, after]. */
export function withSlot<T>(text: string, fill: T): (string | T)[] {
  const at = text.indexOf(SLOT);
  return at < 0 ? [text] : [text.slice(0, at), fill, text.slice(at + SLOT.length)];
}
