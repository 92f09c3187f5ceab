import { tokenize } from './tokenize.js';
import { stem } from './stem.js';
import { STOPWORDS, type Language } from './stopwords.js';
import { detectLanguage, type LanguageOption } from './language.js';
import { conceptForms, conceptTerms, type ConceptMatcher, type ConceptSide } from './concepts.js';

export interface AnalyzerOptions {
  /** `auto` picks English or Italian per record from its stop-word share. */
  lang: LanguageOption;
  /** Bilingual concepts to add as extra terms (a third field), or null for words only. */
  concepts?: ConceptMatcher | null;
  /** Whether the texts are a need (query) or a solution (document): concept terms differ (see ConceptSide). */
  side?: ConceptSide;
}

/** Index terms (stems) of a text, with the language used to produce them. */
export interface AnalyzedText {
  lang: Language;
  terms: string[];
}

/** Whether a token can be an index term in `lang`: not a stop word and not a lone letter. */
function isContentWord(token: string, lang: Language): boolean {
  if (token.length === 1 && !/\d/.test(token)) return false;
  return !STOPWORDS[lang].has(token);
}

/** Language to analyse `tokens` with, honouring a forced language. */
export function chooseLanguage(tokens: readonly string[], option: LanguageOption): Language {
  return option === 'auto' ? detectLanguage(tokens) : option;
}

/** Stems of the content words of `tokens`, in order. */
export function termsOf(tokens: readonly string[], lang: Language): string[] {
  const terms: string[] = [];
  for (const t of tokens) if (isContentWord(t, lang)) terms.push(stem(t, lang));
  return terms;
}

/**
 * Turns texts into index terms. Several texts of one record (title, description)
 * share one language decision, made on all of them together.
 */
export function analyzeFields(texts: readonly string[], options: AnalyzerOptions): { lang: Language; fields: string[][] } {
  const tokenLists = texts.map(tokenize);
  const lang = chooseLanguage(tokenLists.flat(), options.lang);
  const fields = tokenLists.map((tokens) => termsOf(tokens, lang));
  // Concepts of every text go in one extra field, matched per text so no phrase spans two fields.
  if (options.concepts) fields.push(tokenLists.flatMap((tokens) => conceptTerms(tokens, options.concepts!, options.side ?? 'document', lang)));
  return { lang, fields };
}

/** Surface forms behind each stem in `text`, counted: used to show readable words instead of stems. */
export function surfaceForms(text: string, lang: Language, into = new Map<string, Map<string, number>>(), concepts?: ConceptMatcher | null, side: ConceptSide = 'document'): Map<string, Map<string, number>> {
  const tokens = tokenize(text);
  if (concepts) conceptForms(tokens, concepts, side, into, lang);
  for (const token of tokens) {
    if (!isContentWord(token, lang)) continue;
    const s = stem(token, lang);
    let forms = into.get(s);
    if (!forms) into.set(s, (forms = new Map()));
    forms.set(token, (forms.get(token) ?? 0) + 1);
  }
  return into;
}

/** The most frequent form in `forms`; ties go to the shorter, then alphabetically first, so output is stable. */
export function commonestForm(forms: Map<string, number> | undefined, fallback: string): string {
  if (!forms) return fallback;
  let best = fallback;
  let bestCount = -1;
  for (const [form, count] of forms) {
    if (count > bestCount || (count === bestCount && (form.length < best.length || (form.length === best.length && form < best)))) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}
