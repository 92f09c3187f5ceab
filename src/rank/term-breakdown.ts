import { termContributions, type Query } from '../index/text-model.js';
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

/** The part of `query` made of the need's own terms (feedback may have added others). */
export function needOnlyQuery(query: Query, corpus: SolutionCorpus, counts: ReadonlyMap<string, number>): Query {
  const terms = corpus.weighted.index.terms;
  const keep: number[] = [];
  for (let i = 0; i < query.termIds.length; i++) if (counts.has(terms[query.termIds[i]])) keep.push(i);
  if (keep.length === query.termIds.length) return query;
  return { termIds: Int32Array.from(keep, (i) => query.termIds[i]), weights: Float64Array.from(keep, (i) => query.weights[i]) };
}

/**
 * The query terms a solution shares with the need, largest contribution first
 * (ties by stem), shown as readable words rather than stems.
 */
export function termBreakdown(corpus: SolutionCorpus, query: Query, doc: number, needForms: Map<string, Map<string, number>>, concepts?: ConceptMatcher | null): TermPart[] {
  const terms = corpus.weighted.index.terms;
  const contributions = termContributions(corpus.weighted, query, doc);
  contributions.sort((a, b) => b.contribution - a.contribution || compareIds(terms[a.termId], terms[b.termId]));
  const forms = recordForms(corpus.solutions[doc], corpus.langs[doc], concepts);
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

/**
 * The words of a breakdown for display, without repeats: a stem that the
 * concept layer already shows ("sensori ≈ sensors") is not listed again.
 */
export function distinctWords(parts: readonly TermPart[]): string[] {
  const inPairs = new Set(parts.flatMap(({ word }) => (word.includes(' ≈ ') ? word.split(' ≈ ') : [])));
  const out: string[] = [];
  for (const { word } of parts) {
    if (out.includes(word) || (!word.includes(' ≈ ') && inPairs.has(word))) continue;
    out.push(word);
  }
  return out;
}
