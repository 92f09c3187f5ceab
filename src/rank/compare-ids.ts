/** Orders strings by Unicode code point (JavaScript's `<` compares UTF-16 units, which differs past U+FFFF). */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Rounds a score to the 4 decimals shown in every output. */
export function roundScore(score: number): number {
  return Math.round(score * 10000) / 10000;
}
