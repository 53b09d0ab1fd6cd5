// Where the workspace's counts of comments and waiting threads stop. Counting every row of a long
// list reads every row (100,000 waiting threads: 0.2 to 1.4 s at 10 million comments, see
// bench/SCALE.md); counting up to the cap reads a short index range. A count above it is shown
// as "more than" the cap.
export const COUNT_CAP = 1000;

/** A count as the workspace shows it: the number, or "1,000+" when counting stopped at the cap. */
export function countText(n: number): string {
  return n > COUNT_CAP ? `${COUNT_CAP.toLocaleString('en-US')}+` : String(n);
}

/** A count in a sentence: the number, or "More than 1,000" when counting stopped at the cap. */
export function countWords(n: number): string {
  return n > COUNT_CAP ? `More than ${COUNT_CAP.toLocaleString('en-US')}` : String(n);
}
