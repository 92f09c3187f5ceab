/**
 * Unicode-aware word splitting. natural's tokenizers cut accented words
 * ("città" → "citt"), so we split on anything that is not a letter, digit or
 * combining mark ourselves. Apostrophes split words, which turns Italian
 * elisions ("dell'acqua") into a stop word plus the content word. Digit
 * groups stay one token ("10.000", "1,5"), so numbers do not leak "000".
 */
const WORD = /\p{N}+(?:[.,]\p{N}+)*(?:\p{L}[\p{L}\p{N}\p{M}]*)?|\p{L}[\p{L}\p{N}\p{M}]*/gu;

/** Lower-cased words of `text`, in order, NFC-normalised so "città" typed either way is one word. */
export function tokenize(text: string): string[] {
  if (!text) return [];
  const lower = text.normalize('NFC').toLowerCase();
  return lower.match(WORD) ?? [];
}

/** Removes diacritics: "Città" → "citta". Used for matching names (columns, tags), not for stemming. */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
}

/** A key for comparing labels loosely: folded, lower-cased, words joined by one space. */
export function normalizeLabel(text: string): string {
  return tokenize(foldAccents(text)).join(' ');
}
