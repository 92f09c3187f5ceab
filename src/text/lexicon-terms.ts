import type { Language } from './stopwords.js';
import type { LanguageOption } from './language.js';
import { conceptTerm, isConceptTerm, type ConceptSide } from './concepts.js';
import type { Lexicon } from './lexicon.js';

/**
 * Text analysis through a Lexicon: the same results as analyze.ts (which
 * works on strings), with every distinct word looked up and stemmed once.
 */

/**
 * The field-weighted term counts of a record's texts and its language:
 * `termCounts(analyzeFields(texts, { lang, concepts: lexicon.concepts, side }).fields, fieldWeights)`,
 * in the same insertion order; also the texts' token numbers, one text after the other, and
 * the stem numbers of the counts' first `stems.length` terms (the words; concepts follow them).
 */
export function lexiconTermCounts(lexicon: Lexicon, texts: readonly string[], option: LanguageOption, side: ConceptSide, fieldWeights: readonly number[]): { lang: Language; counts: Map<string, number>; tokens: number[]; stems: readonly number[] } {
  const tokens: number[] = [];
  const ends: number[] = [];
  for (const text of texts) {
    lexicon.tokenize(text, tokens);
    ends.push(tokens.length);
  }
  const lang = lexicon.language(tokens, option);
  // Words are counted by stem number (an array read, where a Map keyed by the stem cost several times
  // as much), in the order first met, then put in the Map in that order: the same sums and order.
  const n = tokens.length;
  if (stemScratch.length < n) stemScratch = new Int32Array(Math.max(n, 2 * stemScratch.length));
  const stems = stemScratch;
  lexicon.stemIdsInto(tokens, 0, n, lang, stems);
  if (stemCounts.length < lexicon.stems.length) {
    stemCounts = new Float64Array(Math.max(lexicon.stems.length, 2 * stemCounts.length));
    stemSeen = new Int32Array(stemCounts.length);
  }
  const sums = stemCounts;
  const seen = stemSeen;
  const call = ++countCall;
  const met: number[] = [];
  for (let f = 0, start = 0; f < texts.length; start = ends[f], f++) {
    const weight = fieldWeights[f] ?? 1;
    if (weight === 0) continue;
    for (let i = start; i < ends[f]; i++) {
      const s = stems[i];
      if (s < 0) continue;
      if (seen[s] !== call) {
        seen[s] = call;
        sums[s] = 0;
        met.push(s);
      }
      sums[s] += weight;
    }
  }
  const counts = new Map<string, number>();
  for (const s of met) counts.set(lexicon.stems[s], sums[s]);
  const add = (term: string, weight: number) => counts.set(term, (counts.get(term) ?? 0) + weight);
  const conceptWeight = fieldWeights[texts.length] ?? 1;
  if (lexicon.concepts && conceptWeight !== 0) {
    // Concepts of each text in turn, so no phrase spans two fields.
    for (let f = 0, start = 0; f < texts.length; start = ends[f], f++) {
      lexicon.findConcepts(tokens, start, ends[f], lang, (concept, from, to, formLang) => {
        const term = conceptTerm({ concept, start: from, end: to, formLang }, side, lang);
        if (term !== null) add(term, conceptWeight);
      });
    }
  }
  return { lang, counts, tokens, stems: met };
}

/**
 * `surfaceForms(text, lang, new Map(), lexicon.concepts, side)` for a text
 * given as its token numbers: the forms behind each stem (and concept term),
 * counted. With `only`, just the forms of those terms.
 */
export function lexiconSurfaceForms(lexicon: Lexicon, tokens: ArrayLike<number>, lang: Language, side: ConceptSide, only?: ReadonlySet<string>): Map<string, Map<string, number>> {
  const into = new Map<string, Map<string, number>>();
  const add = (term: string, form: string) => {
    let forms = into.get(term);
    if (!forms) into.set(term, (forms = new Map()));
    forms.set(form, (forms.get(form) ?? 0) + 1);
  };
  // Phrase matching is skipped when no concept term is asked for.
  if (lexicon.concepts && (!only || [...only].some(isConceptTerm))) {
    lexicon.findConcepts(tokens, 0, tokens.length, lang, (concept, from, to, formLang) => {
      const term = conceptTerm({ concept, start: from, end: to, formLang }, side, lang);
      if (term === null || (only && !only.has(term))) return;
      const words: string[] = [];
      for (let i = from; i < to; i++) words.push(lexicon.tokens[tokens[i]]);
      add(term, words.join(' '));
    });
  }
  const n = tokens.length;
  if (stemScratch.length < n) stemScratch = new Int32Array(Math.max(n, 2 * stemScratch.length));
  const stems = stemScratch;
  lexicon.stemIdsInto(tokens, 0, n, lang, stems);
  if (!only) {
    for (let i = 0; i < n; i++) if (stems[i] >= 0) add(lexicon.stems[stems[i]], lexicon.tokens[tokens[i]]);
    return into;
  }
  // A shortlist asks for a few stems of a long text: marked by number, each token is tested without a string lookup.
  const marked = markStems(lexicon, only);
  const marks = stemMarks;
  for (let i = 0; i < n; i++) {
    const s = stems[i];
    if (s >= 0 && marks[s] === 1) add(lexicon.stems[s], lexicon.tokens[tokens[i]]);
  }
  for (const s of marked) marks[s] = 0;
  return into;
}

/** lexiconTermCounts' sums by stem number, and the call that last counted each stem (one thread runs one call at a time). */
let stemCounts = new Float64Array(0);
let stemSeen = new Int32Array(0);
let countCall = 0;

/** A mark per stem number, set only during a lexiconSurfaceForms call (one thread runs one at a time). */
let stemMarks = new Uint8Array(0);
/** The stem numbers of the text a lexiconSurfaceForms call reads. */
let stemScratch = new Int32Array(1024);

/** Marks the stems among `terms` in stemMarks; returns their numbers, to unmark. */
function markStems(lexicon: Lexicon, terms: ReadonlySet<string>): number[] {
  if (stemMarks.length < lexicon.stems.length) stemMarks = new Uint8Array(Math.max(lexicon.stems.length, 2 * stemMarks.length));
  const marked: number[] = [];
  for (const term of terms) {
    const s = lexicon.stemNumberOf(term);
    if (s >= 0) {
      stemMarks[s] = 1;
      marked.push(s);
    }
  }
  return marked;
}
