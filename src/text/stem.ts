import italianStemmer from 'natural/lib/natural/stemmers/porter_stemmer_it.js';
import type { Language } from './stopwords.js';
import { porterEnglish } from './porter-english.js';

const STEMMERS: Record<Language, (word: string) => string> = {
  // natural's English Porter stemmer, ported to run without regular expressions (16x faster, same stems).
  en: porterEnglish,
  it: (w) => italianStemmer.stem(w),
};

// Corpora repeat a small vocabulary many times: stem each distinct word once.
const memo: Record<Language, Map<string, string>> = { en: new Map(), it: new Map() };
const MEMO_LIMIT = 500_000;

/** Stem of a lower-cased word in `lang`, memoised. */
export function stem(word: string, lang: Language): string {
  const cache = memo[lang];
  let s = cache.get(word);
  if (s === undefined) {
    // Digits and very short words are kept as they are: stemmers mangle codes like "4.0" or "5g".
    s = word.length <= 2 || /\d/.test(word) ? word : STEMMERS[lang](word);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(word, s);
  }
  return s;
}
