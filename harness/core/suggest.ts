// "Did you mean ...?" for a mistyped name: the closest known name by edit
// distance, when it is close enough to be a likely typo.
export function closest(word: string, known: readonly string[]): string | undefined {
  if (word.length > 64) return undefined; // not a typo of a name; and the distance is quadratic
  let best: string | undefined, bestD = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** " (did you mean 'x'?)" or "". */
export const didYouMean = (word: string, known: readonly string[]) => {
  const c = closest(word, known);
  return c ? ` (did you mean '${c}'?)` : '';
};

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
