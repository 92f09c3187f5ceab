/**
 * English Porter stemmer: a hand-written, regex-free port of natural 6.9.2's
 * `natural/lib/natural/stemmers/porter_stemmer.js`, several times faster.
 *
 * It reproduces natural exactly, quirks included, rather than the reference
 * Porter algorithm: 'y' is a vowel only right after a code unit other than
 * a/e/i/o/u/y (so 'flyover' -> 'flyov', 'myopic' -> 'myop'), a vowel 'y' and a
 * following vowel run count as two groups, so the measure can be a half-integer,
 * 'ies' -> 'i', 'eed' stays 'eed', step 2/3 test every rule against the word as it
 * entered the step, and so on. Strings shorter than 3 code units are returned
 * untouched (not lower-cased); anything else is lower-cased and run through the
 * steps on UTF-16 code units, like natural's regular expressions.
 * test/porter-english.test.ts checks it against natural word for word.
 */

const LOWER_A = 97;
const LOWER_D = 100;
const LOWER_E = 101;
const LOWER_G = 103;
const LOWER_I = 105;
const LOWER_L = 108;
const LOWER_N = 110;
const LOWER_O = 111;
const LOWER_S = 115;
const LOWER_T = 116;
const LOWER_U = 117;
const LOWER_W = 119;
const LOWER_X = 120;
const LOWER_Y = 121;
const LOWER_Z = 122;

function isAeiou(c: number): boolean {
  return c === LOWER_A || c === LOWER_E || c === LOWER_I || c === LOWER_O || c === LOWER_U;
}

/** natural's vowel test for one code unit: a/e/i/o/u, or a 'y' right after anything but a/e/i/o/u/y. */
function isVowelAt(word: string, i: number): boolean {
  const c = word.charCodeAt(i);
  if (isAeiou(c)) return true;
  if (c !== LOWER_Y || i === 0) return false;
  const prev = word.charCodeAt(i - 1);
  return !(isAeiou(prev) || prev === LOWER_Y);
}

/**
 * Twice natural's `measure` of word.slice(0, end); -2 (measure -1) for an empty prefix.
 * natural builds a group string (runs of a/e/i/o/u -> 'V', each vowel 'y' -> its own 'V',
 * runs of anything else -> 'C'), drops one leading 'C' and one trailing 'V', and halves the
 * length; doubling keeps it an integer, since "yV then vowel run" makes odd lengths.
 */
function doubleMeasure(word: string, end: number): number {
  if (end === 0) return -2;
  let groups = 0;
  // 0: start, 1: consonant run, 2: a/e/i/o/u run, 3: vowel 'y'
  let prevKind = 0;
  let prevCode = -1;
  let firstIsConsonant = false;
  for (let i = 0; i < end; i++) {
    const c = word.charCodeAt(i);
    let kind: number;
    if (isAeiou(c)) {
      kind = 2;
      if (prevKind !== 2) groups++;
    } else if (c === LOWER_Y && i > 0 && !(isAeiou(prevCode) || prevCode === LOWER_Y)) {
      kind = 3;
      groups++;
    } else {
      kind = 1;
      if (prevKind !== 1) groups++;
    }
    if (i === 0) firstIsConsonant = kind === 1;
    prevKind = kind;
    prevCode = c;
  }
  return groups - (firstIsConsonant ? 1 : 0) - (prevKind !== 1 ? 1 : 0);
}

/** Whether word.slice(0, end) has any vowel in natural's sense. */
function hasVowelBefore(word: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isVowelAt(word, i)) return true;
  return false;
}

/** consonant-vowel-consonant at positions at-2, at-1, at (natural's categorizeChars). */
function isCvcEndingAt(word: string, at: number): boolean {
  return at >= 2 && !isVowelAt(word, at - 2) && isVowelAt(word, at - 1) && !isVowelAt(word, at);
}

/** Code units `.` does not match in natural's non-multiline regular expressions. */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

type Rule = readonly [suffix: string, replacement: string];

/** Key of a suffix's last two code units, to look up only the rules that can match. */
function endKey(word: string): number {
  const n = word.length;
  return n < 2 ? -1 : (word.charCodeAt(n - 1) << 16) | word.charCodeAt(n - 2);
}

/** Rules grouped by endKey, keeping their order within each group (order matters in step 2). */
function indexRules(rules: readonly Rule[]): Map<number, Rule[]> {
  const index = new Map<number, Rule[]>();
  for (const rule of rules) {
    const key = endKey(rule[0]);
    const group = index.get(key);
    if (group) group.push(rule);
    else index.set(key, [rule]);
  }
  return index;
}

/**
 * natural's replacePatterns with threshold 0: every rule is tested against the word as it
 * entered the step (suffix present and measure of the rest > 0), but applied to the word
 * as rewritten so far; an empty rewrite is discarded.
 */
function applyRules(word: string, index: Map<number, Rule[]>): string {
  const rules = index.get(endKey(word));
  if (rules === undefined) return word;
  let current = word;
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    if (doubleMeasure(word, word.length - suffix.length) <= 0) continue;
    if (!current.endsWith(suffix)) continue;
    const rewritten = current.slice(0, current.length - suffix.length) + replacement;
    if (rewritten !== '') current = rewritten;
  }
  return current;
}

const STEP2 = indexRules([
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'],
  ['abli', 'able'], ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'],
  ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'],
  ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'],
  ['logi', 'log'],
]);

const STEP3 = indexRules([
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''],
  ['ness', ''],
]);

/** Step 4 suffixes by endKey, longest first: natural's lazy `^(.+?)(...)$` picks the longest that leaves >= 1 unit. */
const STEP4 = new Map<number, string[]>();
for (const suffix of ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ou',
  'ism', 'ate', 'iti', 'ous', 'ive', 'ize']) {
  const key = endKey(suffix);
  const group = STEP4.get(key);
  if (group) group.push(suffix);
  else STEP4.set(key, [suffix]);
}
for (const group of STEP4.values()) group.sort((a, b) => b.length - a.length);

function step1a(w: string): string {
  const n = w.length;
  if (n < 1 || w.charCodeAt(n - 1) !== LOWER_S) return w;
  // (ss|i)es -> ss|i
  if (n >= 3 && w.charCodeAt(n - 2) === LOWER_E) {
    const c = w.charCodeAt(n - 3);
    if (c === LOWER_I || (c === LOWER_S && n >= 4 && w.charCodeAt(n - 4) === LOWER_S)) return w.slice(0, n - 2);
  }
  // a final 's' not after another 's'
  if (n > 2 && w.charCodeAt(n - 2) !== LOWER_S) return w.slice(0, n - 1);
  return w;
}

function step1b(w: string): string {
  const n = w.length;
  if (n >= 3 && w.charCodeAt(n - 1) === LOWER_D && w.charCodeAt(n - 2) === LOWER_E && w.charCodeAt(n - 3) === LOWER_E) {
    // 'eed' is never treated as 'ed', even when its measure is too small
    return doubleMeasure(w, n - 3) > 0 ? w.slice(0, n - 1) : w;
  }
  let stemEnd: number;
  if (n >= 2 && w.charCodeAt(n - 1) === LOWER_D && w.charCodeAt(n - 2) === LOWER_E) stemEnd = n - 2;
  else if (n >= 3 && w.charCodeAt(n - 1) === LOWER_G && w.charCodeAt(n - 2) === LOWER_N && w.charCodeAt(n - 3) === LOWER_I) stemEnd = n - 3;
  else return w;
  // natural keeps the word when the stem is empty or has no vowel
  if (stemEnd === 0 || !hasVowelBefore(w, stemEnd)) return w;
  const stem = w.slice(0, stemEnd);
  const last = stem.charCodeAt(stemEnd - 1);
  if (stemEnd >= 2) {
    const prev = stem.charCodeAt(stemEnd - 2);
    if (last === LOWER_T && prev === LOWER_A) return stem + 'e';
    if (last === LOWER_L && prev === 98 /* b */) return stem + 'e';
    if (last === LOWER_Z && prev === LOWER_I) return stem + 'e';
    // double consonant (natural counts 'yy' too), except ll/ss/zz
    if (last === prev && !isAeiou(last) && last !== LOWER_L && last !== LOWER_S && last !== LOWER_Z) {
      return stem.slice(0, stemEnd - 1);
    }
  }
  if (doubleMeasure(stem, stemEnd) === 2 && isCvcEndingAt(stem, stemEnd - 1) &&
    last !== LOWER_W && last !== LOWER_X && last !== LOWER_Y) {
    return stem + 'e';
  }
  return stem;
}

function step1c(w: string): string {
  const n = w.length;
  if (n >= 1 && w.charCodeAt(n - 1) === LOWER_Y && hasVowelBefore(w, n - 1)) return w.slice(0, n - 1) + 'i';
  return w;
}

function step4(w: string): string {
  const n = w.length;
  const suffixes = STEP4.get(endKey(w));
  if (suffixes !== undefined) {
    for (const suffix of suffixes) {
      if (n > suffix.length && w.endsWith(suffix)) {
        const stemEnd = n - suffix.length;
        if (isRegexDotSafe(w, stemEnd) && doubleMeasure(w, stemEnd) > 2) return w.slice(0, stemEnd);
        break; // only the longest suffix is tried
      }
    }
  }
  // (s|t)ion: keep the s/t
  if (n >= 5 && w.charCodeAt(n - 1) === LOWER_N && w.charCodeAt(n - 2) === LOWER_O && w.charCodeAt(n - 3) === LOWER_I) {
    const c = w.charCodeAt(n - 4);
    if ((c === LOWER_S || c === LOWER_T) && isRegexDotSafe(w, n - 4) && doubleMeasure(w, n - 3) > 2) return w.slice(0, n - 3);
  }
  return w;
}

/** Whether natural's `^(.+?)` can span word.slice(0, end): `.` stops at line terminators. */
function isRegexDotSafe(word: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isLineTerminator(word.charCodeAt(i))) return false;
  return true;
}

function step5a(w: string): string {
  const n = w.length;
  if (n < 1 || w.charCodeAt(n - 1) !== LOWER_E) return w;
  const m = doubleMeasure(w, n - 1);
  // natural looks at the three units before the final 'e' (only for words of 4+ units)
  if (m > 2 || (m === 2 && !(n >= 4 && isCvcEndingAt(w, n - 2) &&
    w.charCodeAt(n - 2) !== LOWER_W && w.charCodeAt(n - 2) !== LOWER_X && w.charCodeAt(n - 2) !== LOWER_Y))) {
    return w.slice(0, n - 1);
  }
  return w;
}

function step5b(w: string): string {
  const n = w.length;
  if (n >= 2 && w.charCodeAt(n - 1) === LOWER_L && w.charCodeAt(n - 2) === LOWER_L && doubleMeasure(w, n) > 2) {
    return w.slice(0, n - 1);
  }
  return w;
}

/** Porter stem of `word`, identical to natural 6.9.2's PorterStemmer.stem(word). */
export function porterEnglish(word: string): string {
  if (word.length < 3) return word;
  let w = word.toLowerCase();
  w = step1a(w);
  w = step1b(w);
  w = step1c(w);
  w = applyRules(w, STEP2);
  w = applyRules(w, STEP3);
  w = step4(w);
  w = step5a(w);
  return step5b(w);
}
