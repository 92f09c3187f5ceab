import type { Query, TermCounts } from '../index/text-model.js';
import { lexiconSurfaceForms } from '../text/lexicon-terms.js';
import { commonestForm, surfaceForms } from '../text/analyze.js';
import type { Language } from '../text/stopwords.js';
import { conceptName, isConceptTerm, type ConceptMatcher, type ConceptSide } from '../text/concepts.js';
import type { MatchRecord } from '../model.js';
import { compareIds } from './compare-ids.js';
import type { SolutionCorpus } from './corpus.js';

/** A word's part in a pair's text score. */
export interface TermPart {
  /** The word as the pair's texts most often write it. */
  word: string;
  stem: string;
  /** Contribution to the text score (0..1 scale). */
  contribution: number;
}

/** Surface forms of a record's text, keyed by stem. */
export function recordForms(record: MatchRecord, lang: Language, concepts?: ConceptMatcher | null, side: ConceptSide = 'document'): Map<string, Map<string, number>> {
  return surfaceForms(`${record.title}\n${record.text}`, lang, new Map(), concepts, side);
}

/**
 * `recordForms` of a need, through the corpus's lexicon when it analyses with
 * the same concepts; with `only`, at least the forms of those terms.
 * `tokens`: the need's title and text as the lexicon's token numbers, when
 * known already (needTermCounts gives them).
 */
export function needForms(corpus: SolutionCorpus, need: MatchRecord, lang: Language, concepts?: ConceptMatcher | null, only?: ReadonlySet<string>, tokens?: readonly number[]): Map<string, Map<string, number>> {
  const { lexicon } = corpus;
  if (lexicon.concepts !== (concepts ?? null)) return recordForms(need, lang, concepts, 'query');
  if (!tokens) {
    const read: number[] = [];
    lexicon.tokenize(`${need.title}\n${need.text}`, read);
    tokens = read;
  }
  return lexiconSurfaceForms(lexicon, tokens, lang, 'query', only);
}

/** The forms of `terms` in solution `doc`: `recordForms` of the solution, read back from its token numbers. */
function solutionForms(corpus: SolutionCorpus, doc: number, terms: ReadonlySet<string>, concepts?: ConceptMatcher | null): Map<string, Map<string, number>> {
  const { lexicon, tokens } = corpus;
  if (lexicon.concepts !== (concepts ?? null)) return recordForms(corpus.solutions[doc], corpus.langs[doc], concepts);
  return lexiconSurfaceForms(lexicon, tokens.tokens.subarray(tokens.start[doc], tokens.start[doc + 1]), corpus.langs[doc], 'document', terms);
}

/**
 * The part of `query` made of the need's own terms (feedback may have added
 * others). `own`: the need's counts as looked up in the index (see
 * queryWithBound), which, when it holds every one of them, tells a term by
 * its id instead of by string.
 */
export function needOnlyQuery(query: Query, corpus: SolutionCorpus, counts: ReadonlyMap<string, number>, own?: TermCounts): Query {
  const terms = corpus.weighted.index.terms;
  const keep: number[] = [];
  if (own && own.ids.length === counts.size) {
    ownTerms.start(terms.length);
    for (let i = 0; i < own.ids.length; i++) if (own.ids[i] >= 0) ownTerms.set(own.ids[i]);
    for (let i = 0; i < query.termIds.length; i++) if (ownTerms.has(query.termIds[i])) keep.push(i);
  } else {
    for (let i = 0; i < query.termIds.length; i++) if (counts.has(terms[query.termIds[i]])) keep.push(i);
  }
  if (keep.length === query.termIds.length) return query;
  const termIds = new Int32Array(keep.length);
  const weights = new Float64Array(keep.length);
  keep.forEach((i, j) => {
    termIds[j] = query.termIds[i];
    weights[j] = query.weights[i];
  });
  return { termIds, weights };
}

/**
 * Term ids marked with the current round's number, so that a round starts
 * without clearing the marks of the last (one thread runs one round at a time).
 */
class TermMarks {
  private marks = new Int32Array(0);
  private round = 0;

  /** A new round over `termCount` terms: none marked. */
  start(termCount: number): void {
    if (this.marks.length < termCount) this.marks = new Int32Array(termCount);
    this.round++;
  }

  set(term: number): void {
    this.marks[term] = this.round;
  }

  has(term: number): boolean {
    return this.marks[term] === this.round;
  }
}

/** needOnlyQuery's marks: the need's own terms. */
const ownTerms = new TermMarks();

/**
 * The query terms a solution shares with the need, largest contribution first
 * (ties by stem), shown as readable words rather than stems.
 */
export function termBreakdown(corpus: SolutionCorpus, query: Query, doc: number, needForms: Map<string, Map<string, number>>, concepts?: ConceptMatcher | null): TermPart[] {
  return termParts(corpus, doc, sortedContributions(corpus, query, doc), needForms, concepts);
}

/** The contributions of `termBreakdown`, in its order. */
function sortedContributions(corpus: SolutionCorpus, query: Query, doc: number): { termId: number; contribution: number }[] {
  const terms = corpus.weighted.index.terms;
  const contributions = documentContributions(corpus, query, doc);
  contributions.sort((a, b) => b.contribution - a.contribution || compareIds(terms[a.termId], terms[b.termId]));
  return contributions;
}

/** Contributions of solution `doc` as words. */
function termParts(corpus: SolutionCorpus, doc: number, contributions: readonly { termId: number; contribution: number }[], needForms: Map<string, Map<string, number>>, concepts?: ConceptMatcher | null): TermPart[] {
  const terms = corpus.weighted.index.terms;
  const forms = solutionForms(corpus, doc, new Set(contributions.map((c) => terms[c.termId])), concepts);
  return contributions.map(({ termId, contribution }) => {
    const stem = terms[termId];
    if (isConceptTerm(stem)) {
      // A concept shared across languages reads "riciclo ≈ recycling".
      const a = commonestForm(needForms.get(stem), conceptName(stem));
      const b = commonestForm(forms.get(stem), a);
      return { word: a === b ? a : `${a} ≈ ${b}`, stem, contribution };
    }
    const merged = new Map(needForms.get(stem));
    for (const [form, n] of forms.get(stem) ?? []) merged.set(form, (merged.get(form) ?? 0) + n);
    return { word: commonestForm(merged, stem), stem, contribution };
  });
}

/** Words beyond `limit` worked out first, in case some turn out to repeat others (then all are worked out). */
const SPARE_WORDS = 2;

/**
 * For each of `docs`, `distinctWords(termBreakdown(...)).slice(0, limit)`:
 * the words a shortlist shows. Only the words that can be shown are worked
 * out (a breakdown has dozens of terms, a shortlist shows a few), and the
 * need's word forms only for those terms; `allNeedForms`, when the caller
 * has the need's forms anyway; `needTokens`, as needForms takes them. When repeats leave fewer than `limit` words,
 * the whole breakdown is worked out, so the words are always the same.
 */
export function shownWords(corpus: SolutionCorpus, query: Query, docs: readonly number[], need: MatchRecord, lang: Language, concepts: ConceptMatcher | null, limit: number, allNeedForms?: Map<string, Map<string, number>>, needTokens?: readonly number[]): string[][] {
  if (limit <= 0) return docs.map(() => []);
  const terms = corpus.weighted.index.terms;
  const sorted = docs.map((doc) => sortedContributions(corpus, query, doc));
  // The first words up to limit + SPARE_WORDS plain ones, and every concept: a concept's pair can hide a later word.
  const heads = sorted.map((list) => {
    let plain = 0;
    let cut = 0;
    while (cut < list.length && plain < limit + SPARE_WORDS) if (!isConceptTerm(terms[list[cut++].termId])) plain++;
    return { cut, concepts: list.slice(cut).filter((c) => isConceptTerm(terms[c.termId])) };
  });
  let full = allNeedForms;
  const fullForms = () => (full ??= needForms(corpus, need, lang, concepts, undefined, needTokens));
  const stems = new Set<string>();
  sorted.forEach((list, i) => {
    for (let j = 0; j < heads[i].cut; j++) stems.add(terms[list[j].termId]);
    for (const c of heads[i].concepts) stems.add(terms[c.termId]);
  });
  const forms = allNeedForms ?? needForms(corpus, need, lang, concepts, stems, needTokens);
  return sorted.map((list, i) => {
    const { cut, concepts: later } = heads[i];
    if (cut < list.length) {
      const head = termParts(corpus, docs[i], [...list.slice(0, cut), ...later], forms, concepts);
      const words = distinctWords(head.slice(0, cut), head.slice(cut)).slice(0, limit);
      if (words.length === limit) return words;
    }
    return distinctWords(termParts(corpus, docs[i], list, fullForms(), concepts)).slice(0, limit);
  });
}

/**
 * The weights by term id of the query last explained (a shortlist explains
 * several solutions with one query), marked with its number: a look-up is two
 * array reads, where a Map of the query's terms cost more than the rest of
 * reading a document back. One thread explains one query at a time.
 */
let weightByTerm = new Float64Array(0);
const queryTerms = new TermMarks();
let marked: Query | null = null;

function markQuery(query: Query, termCount: number): void {
  if (marked === query && weightByTerm.length >= termCount) return;
  if (weightByTerm.length < termCount) weightByTerm = new Float64Array(termCount);
  queryTerms.start(termCount);
  marked = query;
  for (let i = 0; i < query.termIds.length; i++) {
    weightByTerm[query.termIds[i]] = query.weights[i];
    queryTerms.set(query.termIds[i]);
  }
}

/** `termContributions`, read from the document's own terms (the forward index) rather than searched in every posting list. */
function documentContributions(corpus: SolutionCorpus, query: Query, doc: number): { termId: number; contribution: number }[] {
  markQuery(query, corpus.weighted.index.terms.length);
  const { docStart, termId, posting } = corpus.forward;
  const weights = corpus.weighted.weights;
  const out: { termId: number; contribution: number }[] = [];
  for (let i = docStart[doc]; i < docStart[doc + 1]; i++) {
    const t = termId[i];
    if (queryTerms.has(t)) out.push({ termId: t, contribution: weightByTerm[t] * weights[posting[i]] });
  }
  return out;
}

/**
 * The words of a breakdown for display, without repeats: a stem that the
 * concept layer already shows ("sensori ≈ sensors") is not listed again.
 * `laterConcepts`: concept parts that follow `parts` in the breakdown, whose
 * pairs hide words too.
 */
export function distinctWords(parts: readonly TermPart[], laterConcepts: readonly TermPart[] = []): string[] {
  const inPairs = new Set([...parts, ...laterConcepts].flatMap(({ word }) => (word.includes(' ≈ ') ? word.split(' ≈ ') : [])));
  const out: string[] = [];
  for (const { word } of parts) {
    if (out.includes(word) || (!word.includes(' ≈ ') && inPairs.has(word))) continue;
    out.push(word);
  }
  return out;
}
