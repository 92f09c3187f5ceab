import { words as englishWords } from 'natural/lib/natural/util/stopwords.js';
import { words as italianWords } from 'natural/lib/natural/util/stopwords_it.js';

export type Language = 'en' | 'it';
export const LANGUAGES: readonly Language[] = ['en', 'it'];

// natural's lists, plus a few elided and auxiliary forms the Italian list misses.
const ITALIAN_EXTRA = ["c", "l", "un", "d", "dov", "cos", "quell", "quest", "nient", "tutt", "po", "già", "può", "possono", "essere", "deve", "devono", "inoltre", "oltre", "tramite", "attraverso", "ogni", "molto", "molti", "molte", "tra", "fra", "dove", "quando", "come", "cui", "anche", "sia", "più", "meno"];
const ENGLISH_EXTRA = ["s", "t", "can", "could", "would", "should", "may", "might", "must", "also", "via", "using", "use", "used", "within", "without", "across", "well", "per", "against", "among", "upon", "whose", "whom", "etc", "e.g", "i.e"];

export const STOPWORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set([...englishWords, ...ENGLISH_EXTRA]),
  it: new Set([...italianWords, ...ITALIAN_EXTRA]),
};

/** True when `word` is a stop word in either language (for language-neutral checks such as glossary validation). */
export function isStopWord(word: string): boolean {
  return STOPWORDS.en.has(word) || STOPWORDS.it.has(word);
}
