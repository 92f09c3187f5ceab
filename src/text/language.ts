import { STOPWORDS, type Language } from './stopwords.js';

export type LanguageOption = Language | 'auto';

/**
 * Guesses the language of a text from the share of its words that are
 * stop words of each language. Ties and texts with no stop words at all
 * (tag lists, titles) fall back to `fallback`.
 */
export function detectLanguage(tokens: readonly string[], fallback: Language = 'en'): Language {
  let en = 0;
  let it = 0;
  for (const t of tokens) {
    if (STOPWORDS.en.has(t)) en++;
    if (STOPWORDS.it.has(t)) it++;
  }
  if (en === it) return fallback;
  return it > en ? 'it' : 'en';
}
